"""Fit the two polynomials of flaxact's exact GELU (``flaxact/_smooth.py``).

With :math:`t = |x|`, :math:`E = e^{-x^2/2}` and :math:`Q` the upper tail of the
normal distribution, :math:`x\\,Q(t) = G(t)\\,E` where

.. math:: G(t) = \\tfrac{t}{2}\\,\\mathrm{erfcx}(t/\\sqrt{2}),

a smooth function rising from 0 to :math:`1/\\sqrt{2\\pi}`. ``G_W`` is :math:`G` as a
polynomial in :math:`w = (t - 1)/(t + 1)` on :math:`1/2 \\le t \\le 13.5`; ``P_S`` is
:math:`\\mathrm{erf}(x/\\sqrt{2})/(2x)` as a polynomial in :math:`s = x^2` on
:math:`|x| \\le 1/2`.

Both are least-squares fits of the relative error at 300 Chebyshev nodes against
mpmath, with the coefficients rounded to float32 one at a time, from the constant term
up, each rounding absorbed by refitting the terms above it (a float32 coefficient set,
not a rounded float64 one). Prints the tuples to paste; ``tests/library/test_smooth.py`` checks
that the library's constants are what this script gives.

Usage: python tools/fit_gelu_erf.py
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

T_LO, T_HI = 0.5, 13.5  # below T_LO the series P is used; above T_HI gelu(-t) underflows
G_DEGREE, P_DEGREE = 12, 4
NODES = 300


def _g(t: float) -> float:
    with mp.workdps(40):
        t = mp.mpf(t)
        return float(t * mp.erfc(t / mp.sqrt(2)) / 2 * mp.exp(t * t / 2))


def _p(s: float) -> float:
    with mp.workdps(40):
        if s == 0:
            return float(1 / mp.sqrt(2 * mp.pi))
        x = mp.sqrt(mp.mpf(s))
        return float(mp.erf(x / mp.sqrt(2)) / (2 * x))


def _nodes(a: float, b: float) -> np.ndarray:
    j = np.arange(NODES)
    return 0.5 * (a + b) + 0.5 * (b - a) * np.cos(np.pi * (j + 0.5) / NODES)


def fit_float32(v: np.ndarray, y: np.ndarray, degree: int) -> tuple[float, ...]:
    """Coefficients (constant first), float32 values, fitting ``y`` in relative error."""
    fixed: list[float] = []
    powers = np.vander(v, degree + 1, increasing=True)
    for i in range(degree + 1):
        rest = y - powers[:, :i] @ np.asarray(fixed, np.float64)
        c, *_ = np.linalg.lstsq(powers[:, i:] / y[:, None], rest / y, rcond=None)
        fixed.append(float(np.float32(c[0])))
    return tuple(fixed)


def fits() -> dict[str, tuple[float, ...]]:
    w = _nodes((T_LO - 1) / (T_LO + 1), (T_HI - 1) / (T_HI + 1))
    g = np.array([_g((1 + v) / (1 - v)) for v in w])
    s = _nodes(0.0, T_LO * T_LO)
    p = np.array([_p(v) for v in s])
    return {"G_W": fit_float32(w, g, G_DEGREE), "P_S": fit_float32(s, p, P_DEGREE)}


if __name__ == "__main__":
    for name, coefs in fits().items():
        print(f"_{name} = (")
        for c in coefs:
            print(f"    {c!r},")
        print(")")
