"""The float64 oracle is itself right: checked against mpmath at 40 significant digits.

Values within 1e-12 relative (a hundred-thousandth of a float32 ULP), derivatives against mpmath's
numerical differentiation of the mpmath definition, for every function that has one.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from flaxact_dev.oracle import DERIV, MP, VALUE
from flaxact_dev.testing import in_domain

DIGITS = 40

#: Parameter values checked beside the defaults.
PARAMS = {
    "elu": [{}, {"alpha": 0.5}],
    "celu": [{}, {"alpha": 2.0}, {"alpha": 0.25}],
    "swish": [{}, {"beta": 0.5}, {"beta": 2.0}],
    "gelu": [{}, {"approximate": False}, {"approximate": "sigmoid"}],
    "squareplus": [{}, {"b": 1.0}, {"b": 0.0}],
    "xielu": [{}, {"alpha_p": 1.6}, {"alpha_n": 0.6}, {"eps": 0.0}],
    "snake": [{}, {"alpha": 0.5}, {"alpha": 0.0}, {"alpha": -2.0}],
    "hard_shrink": [{}, {"threshold": 1.0}],
    "soft_shrink": [{}, {"threshold": 1.0}],
    "threshold": [{"threshold": 1.0, "default_value": -0.5}],
}


def _points(name):
    x = np.concatenate(
        [
            np.linspace(-30, 30, 241),
            -np.geomspace(1e-30, 1e30, 61),
            np.geomspace(1e-30, 1e30, 61),
        ]
    )
    return x[in_domain(name, x)]


CASES = [(n, p) for n in sorted(MP) for p in PARAMS.get(n, [{}])]


@pytest.mark.parametrize(("name", "params"), CASES, ids=lambda v: str(v))
def test_oracle_value_agrees_with_mpmath(name, params):
    x = _points(name)
    got = VALUE[name](x, **params)
    with mp.workdps(DIGITS):
        want = np.array([float(MP[name](mp.mpf(float(v)), **params)) for v in x])
    finite = np.isfinite(want) & (np.abs(want) > 1e-300)
    assert finite.sum() > 100
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-12, atol=0)


@pytest.mark.parametrize(("name", "params"), CASES, ids=lambda v: str(v))
def test_oracle_derivative_agrees_with_mpmath(name, params):
    x = np.linspace(-12, 12, 61) + 0.013  # off the kinks at integers
    x = x[in_domain(name, x)]
    got = DERIV[name](x, **params)
    with mp.workdps(DIGITS):
        want = np.array(
            [float(mp.diff(lambda t: MP[name](t, **params), mp.mpf(float(v)))) for v in x]
        )
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
