/* The tables with the class flaxact-sortable (the Properties page): a click on a column's
   header sorts the rows by it (the vendored tablesort, vendor/tablesort/), and a text box
   above each table keeps the rows that contain every word typed into it. */
(function () {
  "use strict";

  // Each cell sorts by its text and then by its row's place in the page (the cells' data-sort
  // holds both, split by a NUL character), so rows that tie keep the page's order.
  function split(key) {
    var i = key.lastIndexOf("\u0000");
    return i < 0 ? [key, 0] : [key.slice(0, i), Number(key.slice(i + 1))];
  }

  // A cell as a number: "0.5", "-0.6931", "-∞", "0.01 / 1 (kink)" (its first number);
  // null for anything else ("n/a", "—").
  function number(text) {
    var s = split(text)[0].trim().replace(/\u2212/g, "-");
    if (/^[-+]?∞/.test(s)) return s[0] === "-" ? -Infinity : Infinity;
    var v = parseFloat(s);
    return isNaN(v) ? null : v;
  }

  function order(x, y) {
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // A column of numbers and "n/a"; tablesort wants a descending comparison (it reverses
  // the result for the ascending order), and "n/a" comes after every number ascending.
  Tablesort.extend(
    "flaxact-number",
    function (item) {
      return number(item) !== null || split(item)[0].trim() === "n/a";
    },
    function (a, b) {
      var x = number(a), y = number(b);
      return order(y === null, x === null) || (x === null ? 0 : order(y, x)) ||
        order(split(b)[1], split(a)[1]);
    }
  );

  function addFilter(table) {
    var bar = document.createElement("div");
    var box = document.createElement("input");
    var count = document.createElement("span");
    bar.className = "flaxact-filter-bar";
    box.type = "search";
    box.className = "flaxact-filter";
    box.placeholder = "Filter rows, e.g. rectifier kink";
    box.setAttribute("aria-label", "Keep the rows of the table below that contain these words");
    count.className = "flaxact-filter-count";
    count.setAttribute("aria-live", "polite");
    bar.append(box, count);
    var anchor = table.closest(".pst-scrollable-table-container") || table;
    anchor.parentNode.insertBefore(bar, anchor);

    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
        shown += row.hidden ? 0 : 1;
      });
      count.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
    });
  }

  function setUp() {
    document.querySelectorAll("table.flaxact-sortable").forEach(function (table) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
        Array.prototype.forEach.call(row.cells, function (cell) {
          cell.setAttribute("data-sort", cell.textContent.trim() + "\u0000" + String(i).padStart(4, "0"));
        });
      });
      new Tablesort(table);
      addFilter(table);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
