"""Reference values for the elementwise activations, in float64 and in mpmath.

``VALUE[name](x, **params)`` and ``DERIV[name](x, **params)`` are float64 NumPy/SciPy
formulas written in cancellation-free forms, so their relative error (~1e-15) is a
billionth of a float32 ULP: they are the oracle the accuracy tests measure against.
They are themselves checked against ``MP[name]`` (mpmath, 40 digits) in
``tests/library/test_oracle.py``, so a mistake in a float64 formula cannot pass unnoticed.

``SCALE[name]`` gives, for derivatives that change sign, the magnitude of the terms the
derivative is a sum of: near a zero of the derivative no float32 evaluation can have a
small *relative* error, so there the error is measured against the terms instead.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
from scipy import special as sp

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_C = math.sqrt(2.0 / math.pi)
SQRT2 = math.sqrt(2.0)


def _expit(x):
    return sp.expit(x)


def _dsig(x):
    """sigmoid'(x) = sigmoid(x) * sigmoid(-x), without cancellation."""
    return sp.expit(x) * sp.expit(-x)


def _softplus(x):
    return np.logaddexp(x, 0.0)


def _sech2(x):
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(x) ** 2


def _gelu_tanh_u(x):
    return GELU_C * (x + 0.044715 * x**3)


def _squareplus(x, b=4.0):
    r = np.sqrt(x * x + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = b / (2.0 * (r - x))
    return np.where(x >= 0, 0.5 * (x + r), neg)


def _dsquareplus(x, b=4.0):
    r = np.sqrt(x * x + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = b / (2.0 * r * (r - x))
        pos = 0.5 * (1.0 + x / r)
    return np.where(x >= 0, pos, neg)


def _gelu(x, approximate=True):
    if approximate in (True, "tanh"):
        return x * _expit(2.0 * _gelu_tanh_u(x))
    if approximate == "sigmoid":
        return x * _expit(1.702 * x)
    return 0.5 * x * sp.erfc(-x / SQRT2)


def _dgelu(x, approximate=True):
    if approximate in (True, "tanh"):
        u2 = 2.0 * _gelu_tanh_u(x)
        du2 = 2.0 * GELU_C * (1.0 + 3 * 0.044715 * x * x)
        return _expit(u2) + x * du2 * _dsig(u2)
    if approximate == "sigmoid":
        return _expit(1.702 * x) + 1.702 * x * _dsig(1.702 * x)
    return 0.5 * sp.erfc(-x / SQRT2) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _sgelu(x, approximate=True):
    if approximate in (True, "tanh"):
        u2 = 2.0 * _gelu_tanh_u(x)
        du2 = 2.0 * GELU_C * (1.0 + 3 * 0.044715 * x * x)
        return _expit(u2) + np.abs(x * du2 * _dsig(u2))
    if approximate == "sigmoid":
        return _expit(1.702 * x) + np.abs(1.702 * x * _dsig(1.702 * x))
    return 0.5 * sp.erfc(-x / SQRT2) + np.abs(x) * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _log1mexp(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x <= math.log(2.0), np.log(-np.expm1(-x)), np.log1p(-np.exp(-x)))


# Taylor coefficients of (x - tanh(x)) / x**3 in powers of x**2, from mpmath: 18 terms
# reach 1e-17 relative for |x| < 0.5 (the series converges for |x| < pi / 2)
_TANH_SHRINK_SERIES = [-float(c) for c in mp.taylor(mp.tanh, 0, 39)[3::2]]


def _tanh_shrink(x):
    small = np.where(np.abs(x) < 0.5, x, 0.0)
    x2 = small * small
    series = small * x2 * np.polynomial.polynomial.polyval(x2, _TANH_SHRINK_SERIES)
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(x) < 0.5, series, x - np.tanh(x))


def _xielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    # alpha_n (expm1(m) - x) + beta x with m = min(x, eps), as alpha_n expm1(m) + (beta -
    # alpha_n) x: these terms cancel only near the negative root (-2.43 for the defaults),
    # where float64 keeps more than 1e-10 relative at every float32 input
    with np.errstate(over="ignore", invalid="ignore"):
        neg = alpha_n * np.expm1(np.minimum(x, eps)) + (beta - alpha_n) * x
        return np.where(x > 0, x * (alpha_p * x + beta), neg)


def _dxielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    left = alpha_n * np.exp(np.minimum(x, 0.0)) + beta - alpha_n  # x <= eps
    return np.where(x > 0, 2 * alpha_p * x + beta, np.where(x <= eps, left, beta - alpha_n))


def _sxielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    terms = alpha_n * np.exp(np.minimum(x, 0.0)) + abs(beta - alpha_n)
    return np.where((x > 0) | (x > eps), np.abs(_dxielu(x, alpha_p, alpha_n, beta, eps)), terms)


def _snake(x, alpha=1.0):
    if alpha == 0:  # the limit: sin(alpha x)^2 / alpha = alpha x^2 + ...
        return np.asarray(x, np.float64) + 0.0
    return x + np.sin(alpha * x) ** 2 / alpha


def _dsnake(x, alpha=1.0):
    if alpha == 0:
        return np.ones_like(np.asarray(x, np.float64))
    # 1 + sin(2u) = 2 sin(u + pi/4)^2, u = alpha x, which keeps its relative accuracy
    # near the zeros while u + pi/4 is exact enough (the float32 tests measure there
    # against the terms, SCALE). No limit at +-inf, which the tests stand in for by +-1e300
    u = alpha * np.asarray(x, np.float64)
    with np.errstate(invalid="ignore"):
        near = 2 * np.sin(u + math.pi / 4) ** 2
        d = np.where(np.abs(u) < 1e4, near, 1 + np.sin(2 * u))
    return np.where(np.abs(x) >= 1e300, np.nan, d)


def _mish_parts(x):
    t = np.tanh(_softplus(x))
    return t, x * _sech2(_softplus(x)) * _expit(x)


VALUE = {
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "leaky_relu": lambda x, negative_slope=0.01: np.where(x >= 0, x, negative_slope * x),
    "hard_tanh": lambda x: np.clip(x, -1.0, 1.0),
    "hard_sigmoid": lambda x: np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "hard_silu": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "identity": lambda x: x,
    "sparse_sigmoid": lambda x: 0.5 * np.clip(x + 1.0, 0.0, 2.0),
    "elu": lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))),
    "celu": lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0) / alpha)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "sigmoid": _expit,
    "log_sigmoid": sp.log_expit,
    "tanh": np.tanh,
    "soft_sign": lambda x: np.where(np.isinf(x), np.sign(x), x / (1.0 + np.abs(x))),
    "softplus": _softplus,
    "silu": lambda x: x * _expit(x),
    "swish": lambda x, beta=1.0: x * _expit(beta * x),
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "gelu": _gelu,
    "squareplus": _squareplus,
    "sparse_plus": lambda x: np.where(
        x <= -1, 0.0, np.where(x >= 1, x, (np.clip(x, -1, 1) + 1) ** 2 / 4)
    ),
    "log1mexp": _log1mexp,
    "xielu": _xielu,
    "snake": _snake,
    "squared_relu": lambda x: np.maximum(x, 0.0) ** 2,
    "hard_shrink": lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0),
    "soft_shrink": lambda x, threshold=0.5: np.sign(x) * np.maximum(np.abs(x) - threshold, 0.0),
    "tanh_shrink": _tanh_shrink,
    "threshold": lambda x, threshold, default_value: np.where(x > threshold, x, default_value),
}

DERIV = {
    "relu": lambda x: (x > 0).astype(np.float64),
    "relu6": lambda x: ((x > 0) & (x < 6)).astype(np.float64),
    "leaky_relu": lambda x, negative_slope=0.01: np.where(x >= 0, 1.0, negative_slope),
    "hard_tanh": lambda x: (np.abs(x) <= 1).astype(np.float64),
    "hard_sigmoid": lambda x: ((x > -3) & (x < 3)) / 6.0,
    "hard_silu": lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, (2 * x + 3) / 6)),
    "identity": lambda x: np.ones_like(x),
    "sparse_sigmoid": lambda x: 0.5 * (np.abs(x) < 1),
    "elu": lambda x, alpha=1.0: np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))),
    "celu": lambda x, alpha=1.0: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0) / alpha)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0))),
    "sigmoid": _dsig,
    "log_sigmoid": lambda x: _expit(-x),
    "tanh": _sech2,
    "soft_sign": lambda x: 1.0 / (1.0 + np.abs(x)) ** 2,
    "softplus": _expit,
    "silu": lambda x: _expit(x) + x * _dsig(x),
    "swish": lambda x, beta=1.0: _expit(beta * x) + beta * x * _dsig(beta * x),
    "mish": lambda x: _mish_parts(x)[0] + _mish_parts(x)[1],
    "gelu": _dgelu,
    "squareplus": _dsquareplus,
    "sparse_plus": lambda x: np.where(
        x <= -1, 0.0, np.where(x >= 1, 1.0, (np.clip(x, -1, 1) + 1) / 2)
    ),
    "log1mexp": lambda x: np.exp(-x) / -np.expm1(-x),
    "xielu": _dxielu,
    "snake": _dsnake,
    "squared_relu": lambda x: 2.0 * np.maximum(x, 0.0),
    "hard_shrink": lambda x, threshold=0.5: (np.abs(x) > threshold).astype(np.float64),
    "soft_shrink": lambda x, threshold=0.5: (np.abs(x) > threshold).astype(np.float64),
    "tanh_shrink": lambda x: np.tanh(x) ** 2,
    "threshold": lambda x, threshold, default_value: (x > threshold).astype(np.float64),
}

#: Magnitude of the terms of derivatives that change sign (see module docstring).
SCALE = {
    "silu": lambda x: _expit(x) + np.abs(x * _dsig(x)),
    "swish": lambda x, beta=1.0: _expit(beta * x) + np.abs(beta * x * _dsig(beta * x)),
    "mish": lambda x: np.abs(_mish_parts(x)[0]) + np.abs(_mish_parts(x)[1]),
    "gelu": _sgelu,
    "xielu": _sxielu,
    "snake": lambda x, alpha=1.0: 1 + np.abs(np.sin(2 * alpha * x)),
}

#: Where each function is defined (inputs outside are not measured).
DOMAIN = {"log1mexp": (0.0, math.inf)}


def _mp_sig(x):
    return 1 / (1 + mp.exp(-x))


def _mp_gelu(x, approximate=True):
    if approximate in (True, "tanh"):
        # 1 + tanh(u) cancels in the negative tail: carry enough digits to survive it
        with mp.workdps(1500):
            u = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
            return +(x / 2 * (1 + mp.tanh(u)))
    if approximate == "sigmoid":
        return x * _mp_sig(mp.mpf("1.702") * x)
    return x / 2 * mp.erfc(-x / mp.sqrt(2))


def _mp_squareplus(x, b=4.0):
    with mp.workdps(200):  # x + sqrt(x² + b) cancels for large negative x
        return +((x + mp.sqrt(x * x + b)) / 2)


def _mp_tanh_shrink(x):
    with mp.workdps(200):  # x - tanh(x) cancels to x**3 / 3 near 0
        return +(x - mp.tanh(x))


def _mp_xielu(x, alpha_p=0.8, alpha_n=0.8, beta=0.5, eps=-1e-6):
    if x > 0:
        return alpha_p * x * x + beta * x
    return alpha_n * (mp.expm1(min(x, mp.mpf(eps))) - x) + beta * x


#: mpmath definitions, written straight from the formulas (no numerical care needed at 40 digits).
MP = {
    "elu": lambda x, alpha=1.0: x if x > 0 else alpha * mp.expm1(x),
    "celu": lambda x, alpha=1.0: x if x > 0 else alpha * mp.expm1(x / alpha),
    "selu": lambda x: mp.mpf(SELU_SCALE) * (x if x > 0 else mp.mpf(SELU_ALPHA) * mp.expm1(x)),
    "sigmoid": _mp_sig,
    "log_sigmoid": lambda x: mp.log(_mp_sig(x)),
    "tanh": mp.tanh,
    "soft_sign": lambda x: x / (1 + abs(x)),
    "softplus": lambda x: mp.log(1 + mp.exp(x)),
    "silu": lambda x: x * _mp_sig(x),
    "swish": lambda x, beta=1.0: x * _mp_sig(beta * x),
    "mish": lambda x: x * mp.tanh(mp.log(1 + mp.exp(x))),
    "gelu": _mp_gelu,
    "squareplus": _mp_squareplus,
    "sparse_plus": lambda x: 0 if x <= -1 else (x if x >= 1 else (x + 1) ** 2 / 4),
    "log1mexp": lambda x: mp.log(-mp.expm1(-x)),  # 1 - exp(-x) cancels for tiny x
    "xielu": _mp_xielu,
    "snake": lambda x, alpha=1.0: x if alpha == 0 else x + mp.sin(alpha * x) ** 2 / alpha,
    "hard_silu": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "hard_sigmoid": lambda x: min(max(x + 3, 0), 6) / 6,
    "squared_relu": lambda x: max(x, 0) ** 2,
    "hard_shrink": lambda x, threshold=0.5: x if abs(x) > threshold else mp.mpf(0),
    "soft_shrink": lambda x, threshold=0.5: mp.sign(x) * max(abs(x) - threshold, 0),
    "tanh_shrink": _mp_tanh_shrink,
    "threshold": lambda x, threshold, default_value: x if x > threshold else mp.mpf(default_value),
}
