"""What the landing page (``docs/index.md``) states, computed when the site is built, and
the Migrating guide's statements about jax.nn.

What those pages say about jax.nn depends on the jax they are built with, so none of it is
written by hand:

* :func:`comparison`: a fixed list of inputs (:data:`CASES`) where jax.nn's formula is
  known to be at risk (tails that round to zero, intermediates that overflow, limits at
  infinity), each evaluated with the installed jax.nn and with flaxact, in the type given,
  against the exact value. :func:`comparison_markdown` shows the ones where jax.nn really
  loses (:func:`jax_nn_loses`) and writes the prose from what it shows.
* :func:`signature_differences`: each function of the installed jax.nn's activation set
  against flaxact's function of the same name: parameters, their order, kinds and defaults.
* :func:`edge_gradients`: the gradients at ±inf and far into the tails, against the exact
  derivative (the Migrating guide states them).
* :func:`accuracy_markdown` and :func:`cost_markdown`: what the committed benchmark results
  say (``flaxact_dev.report``), labelled with the jax they were measured with.

The exact values are float64 formulas without cancellation (``tests/site/test_landing.py``
checks each against mpmath at 40 digits), so their error is far below an ULP of the
types compared. Imports JAX; nothing here needs Sphinx.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

from flaxact_dev.site.results import fmt_ulp

#: A row is shown when jax.nn's result is more than this many ULP of the type from the
#: exact value (and flaxact's is closer).
LOSS_ULP = 1.0

#: Significant digits shown for a value of each type (about its precision).
DIGITS = {"float32": 7, "bfloat16": 3, "float16": 4}

#: Public callables of jax.nn that are not activations, so not part of the set flaxact
#: mirrors (attention and scaled matrix products).
NOT_ACTIVATIONS = frozenset(
    {
        "dot_product_attention",
        "scaled_matmul",
        "scaled_dot_general",
        "get_scaled_dot_general_config",
    }
)


# --------------------------------------------------------------------------- exact values
def _sigmoid(t: float) -> float:
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def _softplus(t: float) -> float:
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


_GELU_C = math.sqrt(2.0 / math.pi)


def _gelu_tanh(x: float) -> float:
    """x Φ(x) in the tanh form, as x σ(2u): no 1 + tanh(u) to cancel."""
    return x * _sigmoid(2.0 * _GELU_C * (x + 0.044715 * x**3))


def _gelu_erf(x: float) -> float:
    return 0.5 * x * math.erfc(-x / math.sqrt(2.0))


def _dgelu_tanh(x: float) -> float:
    if math.isinf(x):  # the limits: 1 at +inf, 0 at -inf
        return 1.0 if x > 0 else 0.0
    u2 = 2.0 * _GELU_C * (x + 0.044715 * x**3)
    du2 = 2.0 * _GELU_C * (1.0 + 3 * 0.044715 * x * x)
    return _sigmoid(u2) + x * du2 * _sigmoid(u2) * _sigmoid(-u2)


def _silu(x: float) -> float:
    return x * _sigmoid(x)


def _mish(x: float) -> float:
    return x * math.tanh(_softplus(x))


def _squareplus(x: float, b: float = 4.0) -> float:
    r = math.hypot(x, math.sqrt(b))
    return 0.5 * (x + r) if x >= 0 else b / (2.0 * (r - x))  # no cancellation below 0


def _limit(x: float) -> float:
    """The derivative at ±inf of the functions below: 1 at +inf, 0 at -inf."""
    return 1.0 if x > 0 else 0.0


def _dsilu(x: float) -> float:
    if math.isinf(x):
        return _limit(x)
    return _sigmoid(x) + x * _sigmoid(x) * _sigmoid(-x)


def _dmish(x: float) -> float:
    if math.isinf(x):
        return _limit(x)
    sp = _softplus(x)
    return math.tanh(sp) + x * _sigmoid(x) * _sech2(sp)


def _dsquareplus(x: float, b: float = 4.0) -> float:
    if math.isinf(x):
        return _limit(x)
    r = math.hypot(x, math.sqrt(b))
    return 0.5 * (1.0 + x / r) if x >= 0 else b / (2.0 * r * (r - x))


def _delu(x: float) -> float:
    return 1.0 if x > 0 else math.exp(x)


def _dsigmoid(x: float) -> float:
    return _sigmoid(x) * _sigmoid(-x)


def _sech2(t: float) -> float:
    """1 / cosh(t)^2 = 4 e^(-2|t|) / (1 + e^(-2|t|))^2, without overflow."""
    e = math.exp(-2.0 * abs(t))
    return 4.0 * e / (1.0 + e) ** 2


def _dtanh(x: float) -> float:
    return _sech2(x)


def _dsparse_plus(x: float) -> float:
    return 0.0 if x <= -1 else 1.0 if x >= 1 else 0.5 * (x + 1.0)


def _elu(x: float) -> float:
    return x if x > 0 else math.expm1(x)


def _log_sigmoid(x: float) -> float:
    return -_softplus(-x)


# --------------------------------------------------------------------------- cases
@dataclasses.dataclass(frozen=True)
class Case:
    """One input of one function in one type: ``name`` is the function in jax.nn and in
    flaxact, ``exact`` its float64 value (or derivative's, with ``derivative``) at the
    input as the type holds it; at ±inf, the limit."""

    name: str
    x: float
    dtype: str
    exact: Callable[[float], float]
    derivative: bool = False
    kwargs: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        """``gelu(-3.1875)``, ``gelu′(inf)``, ``gelu(-5, approximate=False)``."""
        args = [_fmt_x(self.x_typed, self.dtype)] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.name}{'′' if self.derivative else ''}({', '.join(args)})"

    @property
    def x_typed(self) -> float:
        """The input as the type holds it (what both functions are given)."""
        import jax.numpy as jnp

        return float(jnp.asarray(self.x, self.dtype))


#: Inputs where jax.nn's formula is at risk, in the types where it shows: the tails of
#: GELU, SiLU and mish, where x σ(·) or 1 + tanh(·) is formed from a rounded or
#: flushed intermediate; squareplus, whose x + sqrt(x² + b) overflows before it is
#: halved; derivatives formed as s (1 - s), which cancel; limits at infinity, where the
#: derivative is inf * 0. Also inputs where jax.nn has been seen to be exact enough
#: (elu, softplus, log_sigmoid tails): which rows show is decided by the jax installed.
CASES: tuple[Case, ...] = (
    Case("gelu", -3.1875, "bfloat16", _gelu_tanh),
    Case("gelu", -3.583984375, "float16", _gelu_tanh),
    Case("gelu", -7.5, "float32", _gelu_tanh),
    Case("gelu", -5.0, "float32", _gelu_erf, kwargs=(("approximate", False),)),
    Case("silu", -88.0, "float32", _silu),
    Case("silu", -11.6484375, "float16", _silu),
    Case("mish", -11.6484375, "float16", _mish),
    Case("squareplus", 3e19, "float32", _squareplus),
    Case("squareplus", 2e38, "float32", _squareplus),
    Case("squareplus", -1e4, "float32", _squareplus),
    Case("gelu", math.inf, "float32", _dgelu_tanh, derivative=True),
    Case("sparse_plus", math.inf, "float32", _dsparse_plus, derivative=True),
    Case("sigmoid", 9.015625, "float16", _dsigmoid, derivative=True),
    Case("tanh", -4.875, "bfloat16", _dtanh, derivative=True),
    Case("elu", -1e-4, "float32", _elu),
    Case("softplus", -20.0, "float32", _softplus),
    Case("log_sigmoid", 20.0, "float32", _log_sigmoid),
)


# --------------------------------------------------------------------------- errors
def ulp(y: float, dtype: str) -> float:
    """The spacing of ``dtype``'s numbers at ``y``: 2^(e - p + 1) for y in [2^e, 2^(e+1)),
    the subnormal spacing below the smallest normal number."""
    import jax.numpy as jnp

    fi = jnp.finfo(dtype)
    emin = round(math.log2(float(fi.tiny)))
    e = max(math.frexp(y)[1] - 1, emin) if y else emin
    return 2.0 ** (e - int(fi.nmant))


def error_ulp(value: float, exact: float, dtype: str) -> float:
    """``|value - exact|`` in ULP of ``dtype`` at ``exact``; inf when ``value`` is not
    finite (nan, or an overflow) where ``exact`` is."""
    if not math.isfinite(value):
        return 0.0 if value == exact else math.inf
    return abs(value - exact) / ulp(exact, dtype)


def jax_nn_loses(jax_nn_ulp: float, flaxact_ulp: float) -> bool:
    """The criterion of the comparison: jax.nn's result more than :data:`LOSS_ULP` from
    the exact value, and flaxact's closer to it."""
    return jax_nn_ulp > LOSS_ULP and flaxact_ulp < jax_nn_ulp


@dataclasses.dataclass(frozen=True)
class Row:
    """A case evaluated: the exact value, each implementation's result and error in ULP."""

    case: Case
    exact: float
    jax_nn: float
    flaxact: float
    jax_nn_ulp: float
    flaxact_ulp: float

    @property
    def shown(self) -> bool:
        return jax_nn_loses(self.jax_nn_ulp, self.flaxact_ulp)

    @property
    def failure(self) -> str:
        """How jax.nn's result fails: ``nan``, ``inf``, ``zero`` or ``off``."""
        if math.isnan(self.jax_nn):
            return "nan"
        if math.isinf(self.jax_nn):
            return "inf"
        return "zero" if self.jax_nn == 0 and self.exact != 0 else "off"


def evaluate(case: Case) -> Row:
    """Both implementations at the case's input, in its type, against the exact value."""
    import jax
    import jax.numpy as jnp

    import flaxact

    x = jnp.asarray(case.x, case.dtype)
    kwargs = dict(case.kwargs)
    exact = case.exact(case.x_typed)
    results = []
    for fn in (getattr(jax.nn, case.name), getattr(flaxact, case.name)):
        f = functools.partial(fn, **kwargs)
        value = jax.grad(f)(x) if case.derivative else f(x)
        results.append(float(jnp.asarray(value, jnp.float32)))
    theirs, ours = results
    return Row(
        case,
        exact,
        theirs,
        ours,
        error_ulp(theirs, exact, case.dtype),
        error_ulp(ours, exact, case.dtype),
    )


def comparison(cases: tuple[Case, ...] = CASES) -> list[Row]:
    return [evaluate(c) for c in cases]


# --------------------------------------------------------------------------- formatting
def _fmt_x(x: float, dtype: str) -> str:
    """The input: its exact decimal where that is short, else the shortest decimal that
    the type rounds to it (``3e19``, ``2e38``)."""
    import jax.numpy as jnp

    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = repr(x).removesuffix(".0")
    if len(text) > 12:
        text = next(
            t
            for k in range(1, 18)
            for t in [f"{x:.{k}g}"]
            if float(jnp.asarray(float(t), dtype)) == x
        )
    return text.replace("e+", "e")


def _fmt(v: float, dtype: str) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    return f"{v:.{DIGITS[dtype]}g}"


def _fmt_ulp(e: float) -> str:
    """An error in ULP, to two digits (the table's ``1.2e7``, ``1,823``, ``5.4``)."""
    return fmt_ulp(e, digits=2, sci=1e4)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cells(row: Row) -> list[str]:
    """A table row: the input, its type, the exact value and each result with its error."""
    d = row.case.dtype

    def result(value: float, error: float) -> str:
        return _fmt(value, d) + (f" ({_fmt_ulp(error)})" if math.isfinite(error) else "")

    return [
        _code(row),
        d,
        _fmt(row.exact, d),
        result(row.jax_nn, row.jax_nn_ulp),
        result(row.flaxact, row.flaxact_ulp),
    ]


def _code(row: Row) -> str:
    return f"`{row.case.label}`"


def comparison_markdown(rows: list[Row], version: str) -> str:
    """The table of the rows where jax.nn loses (MyST Markdown), and prose written from
    them: what jax.nn ``version`` returns there, how far flaxact is, which listed cases
    jax.nn does not lose."""
    shown = [r for r in rows if r.shown]
    other = [r for r in rows if not r.shown]
    intro = (
        f"Computed when this page was built, with jax {version}: each row evaluates one "
        "input with jax.nn and with flaxact in the type shown, against the exact value "
        "(a float64 formula without cancellation), errors in ULP of the type. Of "
        f"{len(rows)} inputs where jax.nn's formula is at risk, the table shows the "
        f"{len(shown)} where jax.nn's result is more than {LOSS_ULP:g} ULP from the exact "
        "value and flaxact's is closer."
    )
    if not shown:
        return intro + f"\n\nWith jax {version}, jax.nn loses none of them by that measure."
    head = ["input", "type", "exact", f"jax.nn {version} (ULP off)", "flaxact (ULP off)"]
    lines = ["```{list-table}", ":header-rows: 1", ":class: flaxact-table flaxact-versus", ""]
    for cells in [head] + [_cells(r) for r in shown]:
        lines += [f"* - {cells[0]}", *[f"  - {c}" for c in cells[1:]]]
    lines.append("```")
    parts = []
    for failure, one, many, rest in (
        ("zero", "rounds", "round", "to zero where the exact value is a normal number of the type"),
        ("inf", "overflows", "overflow", "to infinity where the exact value is finite"),
        ("nan", "is", "are", "nan where the exact value is "),
    ):
        rows_ = [r for r in shown if r.failure == failure]
        if rows_:
            if failure == "nan":
                rest += _join(sorted({_fmt(r.exact, r.case.dtype) for r in rows_}))
            verb = one if len(rows_) == 1 else many
            parts.append(f"{_join([_code(r) for r in rows_])} {verb} {rest}")
    off = [
        f"{_code(r)} in {r.case.dtype} is {_fmt_ulp(r.jax_nn_ulp)} ULP off"
        for r in shown
        if r.failure == "off"
    ]
    if off:
        parts.append(_join(off))
    ours = f"flaxact's results there are within {LOSS_ULP:g} ULP of the exact value"
    far = [
        f"{_fmt_ulp(r.flaxact_ulp)} ULP in {_code(r)}" for r in shown if r.flaxact_ulp > LOSS_ULP
    ]
    if far:
        ours += f" in {len(shown) - len(far)} of these {len(shown)}, and {_join(far)}"
    text = (
        f"{intro}\n\n"
        + "\n".join(lines)
        + f"\n\nWith jax {version}, jax.nn's "
        + "; ".join(parts)
        + f". {ours}."
    )
    if other:
        text += (
            f" Also computed, where jax.nn {version} does not lose by this measure: "
            + _join([f"{_code(r)} in {r.case.dtype}" for r in other])
            + "."
        )
    return text


# --------------------------------------------------------------------------- gradients at the edges
#: The exact derivative of each function whose gradient :func:`edge_gradients` checks.
EDGE_DERIVATIVES: dict[str, Callable[[float], float]] = {
    "gelu": _dgelu_tanh,
    "silu": _dsilu,
    "mish": _dmish,
    "squareplus": _dsquareplus,
    "elu": _delu,
}
#: Where: the infinities, and far enough into the tails that a formula can lose the slope.
EDGES = (-math.inf, -30.0, 30.0, math.inf)


def edge_gradients(
    names: tuple[str, ...] = tuple(EDGE_DERIVATIVES), edges: tuple[float, ...] = EDGES
) -> list[Row]:
    """The float32 gradient of each function in jax.nn and flaxact at each edge, against
    the exact derivative (the limit at ±inf)."""
    return comparison(
        tuple(
            Case(n, x, "float32", EDGE_DERIVATIVES[n], derivative=True)
            for n in names
            for x in edges
        )
    )


def edge_gradients_markdown(rows: list[Row], version: str) -> str:
    """A sentence on where jax.nn ``version``'s gradients are not the derivative (nan,
    rounded to zero, more than :data:`LOSS_ULP` off) and flaxact's are closer, and on how
    close flaxact's are; or that there are none."""
    bad = [r for r in rows if r.shown]
    if not bad:
        return (
            f"With jax {version}, jax.nn's gradients at these inputs are as close to the "
            "derivative as flaxact's, or within "
            f"{LOSS_ULP:g} ULP of it."
        )

    def labels(these: list[Row]) -> list[str]:
        out, names = [], list(dict.fromkeys(r.case.name for r in these))
        for name in names:
            xs = [r.case.x for r in these if r.case.name == name]
            if math.inf in xs and -math.inf in xs:  # both infinities: one label
                xs = [x for x in xs if not math.isinf(x)]
                out.append(f"`{name}′(±inf)`")
            out += [f"`{name}′({_fmt_x(x, 'float32')})`" for x in xs]
        return out

    parts = []
    nan = [r for r in bad if r.failure == "nan"]
    if nan:
        one = len(labels(nan)) == 1
        parts.append(
            f"{_join(labels(nan))} {'is' if one else 'are'} nan where the derivative is finite"
        )
    for r in bad:
        if r.failure == "zero":
            parts.append(
                f"`{r.case.label}` rounds to 0 where the derivative is {_fmt(r.exact, 'float32')}"
            )
        elif r.failure in ("inf", "off"):
            parts.append(f"`{r.case.label}` is {_fmt_ulp(r.jax_nn_ulp)} ULP off")
    worst = max(r.flaxact_ulp for r in bad)
    return (
        f"With jax {version}, jax.nn's "
        + "; ".join(parts)
        + f". flaxact's are within {_fmt_ulp(worst)} ULP of the derivative there."
    )


# --------------------------------------------------------------------------- signatures
def jax_nn_activations() -> list[str]:
    """The public functions of the installed jax.nn, less :data:`NOT_ACTIVATIONS`."""
    import jax

    return sorted(
        n
        for n in dir(jax.nn)
        if not n.startswith("_")
        and n not in NOT_ACTIVATIONS
        and inspect.isfunction(inspect.unwrap(getattr(jax.nn, n)))
    )


def signature_differences() -> dict[str, str]:
    """``{name: what differs}`` for each function of the installed jax.nn's activation set
    that flaxact lacks, or whose flaxact function differs in its parameters: their names,
    order, kinds and defaults (flaxact may add parameters with defaults after them)."""
    import jax

    import flaxact

    out = {}
    for name in jax_nn_activations():
        ours_fn = getattr(flaxact, name, None)
        if ours_fn is None:
            out[name] = "no flaxact function of that name"
            continue
        theirs = list(inspect.signature(getattr(jax.nn, name)).parameters.values())
        ours = {p.name: p for p in inspect.signature(ours_fn).parameters.values()}
        order = list(ours)
        problems = []
        for i, p in enumerate(theirs):
            q = ours.get(p.name)
            if q is None:
                problems.append(f"no parameter `{p.name}`")
            elif order.index(p.name) != i or q.kind != p.kind:
                problems.append(f"`{p.name}` in another position or kind")
            elif p.default != q.default and not (p.default is None and q.default is None):
                problems.append(
                    f"`{p.name}` defaults to `{q.default!r}`, jax.nn's to `{p.default!r}`"
                )
        extra = [q for q in order[len(theirs) :] if ours[q].default is inspect.Parameter.empty]
        problems += [f"`{q}` has no default" for q in extra]
        if problems:
            out[name] = "; ".join(problems)
    return out


def signatures_markdown(version: str, lead: str = "**Drop-in.** ") -> str:
    """One sentence: how many of jax.nn ``version``'s activations flaxact mirrors exactly,
    and what differs for the others."""
    names = jax_nn_activations()
    diff = signature_differences()
    same = len(names) - len(diff)
    count = f"All {same}" if not diff else f"{same} of the {len(names)}"
    text = (
        f"{lead}{count} activation functions of jax.nn {version} have a flaxact "
        "function of the same name, parameters and defaults"
    )
    if diff:
        text += "; not yet: " + "; ".join(f"`{n}` ({d})" for n, d in diff.items())
    return text + "."


# --------------------------------------------------------------------------- committed results
def _jax_note(info: dict[str, Any], version: str) -> str:
    """After :func:`report.machine_label` (which names the jax measured with): what differs
    from this page, in a parenthesis: another jax than ``version``, earlier library code."""
    from flaxact_dev import report

    measured = info.get("jax")
    notes = []
    if measured is None:
        notes.append(f"this page is built with jax {version}")
    elif measured != version:
        notes.append(
            f"not the jax {version} this page is built with: jax.nn's figures "
            f"there are jax {measured}'s"
        )
    if not report.measured_code(info)[0]:
        notes.append("on an earlier version of the library code")
    return f" ({'; '.join(notes)})" if notes else ""


def accuracy_markdown(results: dict[str, dict[str, Any]], version: str) -> str:
    """What the committed accuracy results of the primary platform say against jax.nn
    and the contract, and which jax they were measured with."""
    from flaxact_dev import report

    plat = report.primary_platform(results)
    data = (results.get(plat) or {}).get("accuracy") if plat else None
    if not data:
        return "**Accuracy.** No accuracy results are committed yet."
    f = report.accuracy_findings(data)
    n = len(data["cases"])
    info = data["machine"]
    text = (
        f"**Accuracy.** Measured by `benchmarks/accuracy.py` on "
        f"{report.machine_label(info)}{_jax_note(info, version)}: "
    )
    worse = f["worse_than_jax_nn"]
    if worse:
        text += (
            f"flaxact's largest error is above jax.nn's in {_n(len(worse), 'case')} ("
            + ", ".join(f"`{x['case']}` {x['dtype']}" for x in worse)
            + ")"
        )
    else:
        text += (
            f"flaxact's largest error is at most jax.nn's in each of the {n} cases, "
            "in float32, bfloat16 and float16"
        )
    half = [x for x in f["over_contract"] if x["dtype"] != "float32"]
    if half:
        text += f"; above 1 ULP in a half type in {_n(len(half), 'case')}"
    else:
        text += "; within 1 ULP in bfloat16 and float16 in every case"
    tested = f["over_tested"]
    text += (
        "; float32 within the bound each function's page states"
        if not tested
        else f"; above its stated float32 bound in {_n(len(tested), 'case')}"
    )
    bad = sorted({x["case"].split("[")[0] for x in f["grad_nonfinite"]})
    if bad:
        text += (
            "; non-finite gradients where the derivative is finite, somewhere in the "
            "grid, for " + ", ".join(f"{{func}}`~flaxact.{name}`" for name in bad)
        )
    return text + ". The {doc}`generated/accuracy` page has every figure."


def cost_markdown(results: dict[str, dict[str, Any]], version: str) -> str:
    """The contract's cost limits against the committed results of the primary platform:
    how many functions keep within all, and the misses."""
    import flaxact
    from flaxact_dev import report

    plat = report.primary_platform(results)
    measured = results.get(plat, {}) if plat else {}
    if not measured:
        return "**Cost.** No benchmark results are committed yet."
    info = next(iter(measured.values()))["machine"]
    misses = {}
    for rec in flaxact.records():
        cells = report.contract_cells(measured, rec.name)
        missed = [
            f"{col.replace('_', ' + ')} {cell['value']:.2f}"
            for col, cell in cells.items()
            if not cell["met"]
        ]
        if missed:
            misses[rec.name] = missed
    total = len(flaxact.records())
    c = report.CONTRACT
    text = (
        "**Cost.** Measured against jax.nn (or the `jnp` code a user would write for an extra) "
        f"on {report.machine_label(info)}{_jax_note(info, version)}: "
        f"**{total - len(misses)} of {total} functions** stay within every limit of the "
        f"contract (run time forward and with the backward pass {c['forward']:g}×, compile "
        f"time {c['compile']:g}×, program size {c['program']:g}×, memory saved for the "
        f"backward pass {c['saved']:g}×)"
    )
    if misses:
        text += "; still above a limit: " + "; ".join(
            f"{{func}}`~flaxact.{name}` ({', '.join(m)})" for name, m in misses.items()
        )
    return text + (
        ". Program size and saved memory are also asserted by the test suite for "
        "every function; the {doc}`generated/performance` page has every figure."
    )


def landing_measured(results: dict[str, dict[str, Any]], version: str) -> str:
    """The landing page's "Measured against the jax you have": jax.nn's signatures against
    flaxact's, and what the committed accuracy and cost results say."""
    return "\n\n".join(
        [
            signatures_markdown(version),
            accuracy_markdown(results, version),
            cost_markdown(results, version),
        ]
    )


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A MyST Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _defaults(fn: Callable[..., Any]) -> dict[str, Any]:
    """Keyword defaults of a function after its first (array) argument, functions by name."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    return {
        p.name: getattr(p.default, "__name__", p.default)
        for p in params
        if p.default is not inspect.Parameter.empty
    }


def migrating_jax_nn(version: str) -> str:
    """The Migrating guide's jax.nn section: the signature check, then each jax.nn function
    with its flaxact counterpart, the parameters or defaults that differ, and the site's
    note on it."""
    import jax

    import flaxact
    from flaxact_dev.site import prose

    rows = []
    for rec in flaxact.records():
        if not rec.jax_nn or not hasattr(jax.nn, rec.jax_nn):
            continue
        theirs, ours = _defaults(getattr(jax.nn, rec.jax_nn)), _defaults(rec.fn)
        differ = [
            f"flaxact adds `{k}={ours[k]!r}`"
            if k not in theirs
            else f"`{k}`: jax.nn {theirs[k]!r}, flaxact {ours.get(k, 'absent')!r}"
            for k in sorted(set(theirs) | set(ours))
            if theirs.get(k) != ours.get(k)
        ]
        note = dict(prose.of(rec.name).frameworks).get("jax.nn", "")
        rows.append(
            [
                f"`jax.nn.{rec.jax_nn}`",
                f"{{func}}`flaxact.{rec.name}`",
                "; ".join(differ) or "none",
                note,
            ]
        )
    header = ["jax.nn", "flaxact", "differences in parameters or defaults", "note"]
    return signatures_markdown(version, lead="") + "\n\n" + markdown_table(header, rows)
