"""What the landing page computes (``flaxact_dev/landing.py``): exact values checked against
mpmath, the ULP measure, the criterion for showing a row, the prose written from the rows,
the signature comparison, and the labels of the committed results."""

from __future__ import annotations

import copy
import math

import jax
import mpmath as mp
import pytest

import flaxact
from flaxact_dev import landing, report

mp.mp.dps = 40


def _mp_sigmoid(t):
    return 1 / (1 + mp.exp(-t))


def _mp_softplus(t):
    return mp.log1p(mp.exp(t))


_C = mp.sqrt(2 / mp.pi)


def _mp_u2(x):
    return 2 * _C * (x + mp.mpf("0.044715") * x**3)


#: mpmath at 40 digits, by the name of each exact formula of landing.py.
MP = {
    "_gelu_tanh": lambda x: x * _mp_sigmoid(_mp_u2(x)),
    "_gelu_erf": lambda x: x / 2 * mp.erfc(-x / mp.sqrt(2)),
    "_dgelu_tanh": lambda x: mp.diff(lambda t: t * _mp_sigmoid(_mp_u2(t)), x),
    "_silu": lambda x: x * _mp_sigmoid(x),
    "_mish": lambda x: x * mp.tanh(_mp_softplus(x)),
    "_squareplus": lambda x: (x + mp.sqrt(x * x + 4)) / 2,
    "_dsigmoid": lambda x: mp.diff(_mp_sigmoid, x),
    "_dtanh": lambda x: mp.diff(mp.tanh, x),
    "_dsparse_plus": lambda x: 0 if x <= -1 else 1 if x >= 1 else (x + 1) / 2,
    "_elu": lambda x: x if x > 0 else mp.expm1(x),
    "_dsilu": lambda x: mp.diff(lambda t: t * _mp_sigmoid(t), x),
    "_dmish": lambda x: mp.diff(lambda t: t * mp.tanh(_mp_softplus(t)), x),
    "_dsquareplus": lambda x: mp.diff(lambda t: (t + mp.sqrt(t * t + 4)) / 2, x),
    "_delu": lambda x: 1 if x > 0 else mp.exp(x),
    "_softplus": _mp_softplus,
    "_log_sigmoid": lambda x: -_mp_softplus(-x),
}


@pytest.mark.parametrize("case", landing.CASES, ids=lambda c: f"{c.label}-{c.dtype}")
def test_exact_values_agree_with_mpmath(case):
    """Each exact value is mpmath's to 1e-13 relative (far below an ULP of float32); at
    infinity, the limit: mpmath's value far out."""
    x = case.x_typed
    at = mp.mpf(1e4 if x > 0 else -1e4) if math.isinf(x) else mp.mpf(x)
    want = MP[case.exact.__name__](at)
    got = case.exact(x)
    assert got == pytest.approx(float(want), rel=1e-13, abs=0), case.label


@pytest.mark.parametrize("case", landing.CASES, ids=lambda c: f"{c.label}-{c.dtype}")
def test_cases_have_a_normal_exact_value_of_their_type(case):
    """An ULP is that of a normal number of the type: no case is measured where the exact
    value is subnormal, zero or beyond the type's range."""
    import jax.numpy as jnp

    fi = jnp.finfo(case.dtype)
    exact = abs(case.exact(case.x_typed))
    assert float(fi.tiny) <= exact <= float(fi.max), case.label


def test_ulp_is_the_spacing_of_the_type():
    assert landing.ulp(1.0, "float32") == 2.0**-23
    assert landing.ulp(1.5, "bfloat16") == 2.0**-7
    assert landing.ulp(-1024.0, "float16") == 1.0
    assert landing.ulp(2.0**-130, "float32") == 2.0**-149  # subnormal: the smallest spacing
    assert landing.error_ulp(1.0 + 2.0**-23, 1.0, "float32") == 1.0
    assert landing.error_ulp(math.nan, 1.0, "float32") == math.inf
    assert landing.error_ulp(math.inf, 3e38, "float32") == math.inf
    assert landing.error_ulp(-0.0, -(2.0**-100), "float32") == 2.0**23  # rounded to zero


def test_criterion():
    assert landing.jax_nn_loses(1.5, 0.4)
    assert landing.jax_nn_loses(math.inf, 0.0)
    assert not landing.jax_nn_loses(1.0, 0.0), "1 ULP is not a loss"
    assert not landing.jax_nn_loses(3.0, 3.0), "flaxact must be closer"


def _row(name, x, dtype, exact, theirs, ours, derivative=False):
    case = landing.Case(name, x, dtype, lambda _: exact, derivative=derivative)
    return landing.Row(
        case,
        exact,
        theirs,
        ours,
        landing.error_ulp(theirs, exact, dtype),
        landing.error_ulp(ours, exact, dtype),
    )


def test_prose_is_written_from_the_rows_shown():
    rows = [
        _row("gelu", -3.1875, "bfloat16", -0.00195229, -0.0, -0.001953125),
        _row("squareplus", 2e38, "float32", 2e38, math.inf, 2e38),
        _row("gelu", math.inf, "float32", 1.0, math.nan, 1.0, derivative=True),
        _row("mish", -11.6484375, "float16", -0.000101722, -0.00010204, -0.000101745),
        _row("elu", -1e-4, "float32", -9.9995e-05, -9.9995e-05, -9.9995e-05),
    ]
    text = landing.comparison_markdown(rows, "9.9.9")
    table = [line for line in text.splitlines() if line.startswith("* - `")]
    assert [line.split("`")[1] for line in table] == [r.case.label for r in rows[:4]]
    assert "jax 9.9.9" in text
    assert "  - jax.nn 9.9.9 (ULP off)" in text
    assert "  - -0 (256)" in text  # jax.nn's result in bfloat16 and its error
    assert "`gelu(-3.1875)` rounds to zero" in text
    assert "`squareplus(2e38)` overflows to infinity" in text
    assert "`gelu′(inf)` is nan where the exact value is 1" in text
    assert "`mish(-11.6484375)` in float16 is" in text
    assert "the table shows the 4 where" in text
    assert "Of 5 inputs" in text
    assert "does not lose by this measure: `elu(-0.0001)` in float32." in text
    nothing = landing.comparison_markdown(rows[4:], "9.9.9")
    assert "list-table" not in nothing
    assert "loses none of them" in nothing


def test_the_comparison_on_the_installed_jax():
    """Every row of the installed jax is judged by the criterion, the table holds exactly
    those shown, and flaxact is closer in each (the landing page's claim)."""
    rows = landing.comparison()
    assert len(rows) == len(landing.CASES)
    text = landing.comparison_markdown(rows, jax.__version__)
    for row in rows:
        assert row.shown == landing.jax_nn_loses(row.jax_nn_ulp, row.flaxact_ulp)
        assert (f"* - `{row.case.label}`\n" in text) == row.shown, row.case.label
    assert f"jax {jax.__version__}" in text


def test_signature_differences_are_found(monkeypatch):
    assert "relu" in landing.jax_nn_activations()
    assert not set(landing.jax_nn_activations()) & landing.NOT_ACTIVATIONS
    diff = landing.signature_differences()
    assert "elu" not in diff
    if not diff:
        assert landing.signatures_markdown("9.9.9").startswith("**Drop-in.** All ")
    monkeypatch.setattr(flaxact, "elu", lambda x: x)
    monkeypatch.setattr(flaxact, "celu", lambda x, alpha=2.0: x)
    monkeypatch.setattr(flaxact, "selu", lambda x, scale: x)
    monkeypatch.delattr(flaxact, "silu")
    diff = landing.signature_differences()
    assert diff["elu"] == "no parameter `alpha`"
    assert diff["celu"] == "`alpha` defaults to `2.0`, jax.nn's to `1.0`"
    assert diff["selu"] == "`scale` has no default"
    assert diff["silu"] == "no flaxact function of that name"
    text = landing.signatures_markdown("9.9.9")
    assert "jax.nn 9.9.9" in text
    assert "`elu` (no parameter `alpha`)" in text


def test_results_are_labelled_with_the_jax_they_were_measured_with():
    results = copy.deepcopy(report.load_results())
    plat = report.primary_platform(results)
    info = results[plat]["accuracy"]["machine"]
    measured = info["jax"]
    for text in (
        landing.accuracy_markdown(results, "9.9.9"),
        landing.cost_markdown(results, "9.9.9"),
    ):
        assert f"jax {measured} (not the jax 9.9.9 this page is built with" in text
    for text in (
        landing.accuracy_markdown(results, measured),
        landing.cost_markdown(results, measured),
    ):
        assert f"jax {measured}" in text
        assert "not the jax" not in text
    current = report.current_source()
    for data in results[plat].values():
        data["machine"]["flaxact_source"] = "0" * 16
    assert "earlier version of the library code" in landing.accuracy_markdown(results, measured)
    for data in results[plat].values():
        data["machine"]["flaxact_source"] = current
    assert "earlier version" not in landing.accuracy_markdown(results, measured)
    for data in results[plat].values():
        data["machine"].pop("jax")
    assert "jax version not recorded" in landing.accuracy_markdown(results, "9.9.9")


def test_accuracy_summary_reports_what_the_results_say():
    results = copy.deepcopy(report.load_results())
    plat = report.primary_platform(results)
    data = results[plat]["accuracy"]
    assert "at most jax.nn's in each of" in landing.accuracy_markdown(results, "1")
    case = next(c for c in data["cases"] if c["name"] == "relu")
    case["bfloat16"]["flaxact"]["max"], case["bfloat16"]["jax.nn"]["max"] = 3.0, 0.5
    text = landing.accuracy_markdown(results, "1")
    assert "above jax.nn's in 1 case (`relu` bfloat16)" in text
    assert "above 1 ULP in a half type in 1 case;" in text


@pytest.mark.parametrize("x", [-30.0, -1.5, 0.5, 30.0])
@pytest.mark.parametrize("name", list(landing.EDGE_DERIVATIVES))
def test_edge_derivatives_agree_with_mpmath(name, x):
    exact = landing.EDGE_DERIVATIVES[name]
    want = MP[exact.__name__](mp.mpf(x))
    assert exact(x) == pytest.approx(float(want), rel=1e-13, abs=0), (name, x)


@pytest.mark.parametrize("name", list(landing.EDGE_DERIVATIVES))
def test_edge_derivatives_take_their_limits_at_infinity(name):
    exact = landing.EDGE_DERIVATIVES[name]
    assert exact(math.inf) == 1.0
    assert exact(-math.inf) == 0.0
    assert exact(1e4) == pytest.approx(1.0, abs=1e-6)
    assert exact(-1e4) == pytest.approx(0.0, abs=1e-6)


def test_edge_gradient_prose_is_written_from_the_rows():
    rows = [
        _row("gelu", -math.inf, "float32", 0.0, math.nan, 0.0, derivative=True),
        _row("gelu", math.inf, "float32", 1.0, math.nan, 1.0, derivative=True),
        _row("elu", -30.0, "float32", 9.357623e-14, 0.0, 9.357623e-14, derivative=True),
        _row(
            "silu",
            -30.0,
            "float32",
            -2.7137e-12,
            -2.7137e-12 * (1 + 2**-21),
            -2.7137e-12,
            derivative=True,
        ),
        _row("silu", 30.0, "float32", 1.0, 1.0, 1.0, derivative=True),
    ]
    text = landing.edge_gradients_markdown(rows, "9.9.9")
    assert text.startswith(
        "With jax 9.9.9, jax.nn's `gelu′(±inf)` is nan where the derivative is finite;"
    )
    assert "`elu′(-30)` rounds to 0 where the derivative is 9.357623e-14" in text
    assert "`silu′(-30)` is 6 ULP off" in text
    assert "silu′(30)" not in text
    assert text.endswith("flaxact's are within 0 ULP of the derivative there.")
    assert "as close to the derivative" in landing.edge_gradients_markdown(rows[4:], "9.9.9")


def test_edge_gradients_on_the_installed_jax():
    rows = landing.edge_gradients()
    assert len(rows) == len(landing.EDGE_DERIVATIVES) * len(landing.EDGES)
    text = landing.edge_gradients_markdown(rows, jax.__version__)
    for row in rows:
        if row.shown and not math.isinf(row.case.x):
            assert f"`{row.case.label}`" in text, row.case.label
        if not row.shown:
            assert f"`{row.case.label}`" not in text, row.case.label
