"""Program analysis: which element-wise functions are piecewise linear in x, read from
their jaxprs (their run-time goal against the memory-bound reference is stricter).
"""

from __future__ import annotations

import functools
from typing import Any

# Levels of dependence on x, for reading a jaxpr: independent of x, piecewise constant
# (comparisons, masks), piecewise linear, anything else.
_CONST, _PC, _PL, _NL = 0, 1, 2, 3


_COMPARE = {
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is_finite",
    "and",
    "or",
    "not",
    "xor",
    "sign",
    "floor",
    "ceil",
    "round",
}


_LINEAR = {
    "add",
    "sub",
    "neg",
    "max",
    "min",
    "abs",
    "select_n",
    "clamp",
    "convert_element_type",
    "broadcast_in_dim",
    "reshape",
    "squeeze",
    "expand_dims",
    "optimization_barrier",
    "copy",
    "copy_p",
    "stop_gradient",
    "reduce_precision",
}


def _jaxpr_level(jaxpr: Any, levels: list[int]) -> list[int]:
    """How each output of ``jaxpr`` depends on its inputs, given the inputs' levels."""
    env: dict[Any, int] = dict(zip(jaxpr.invars, levels, strict=True))

    def read(v: Any) -> int:
        if not hasattr(v, "aval") or type(v).__name__ == "Literal":
            return _CONST
        return env.get(v, _CONST)  # constants (constvars) do not depend on x

    for eqn in jaxpr.eqns:
        ins = [read(v) for v in eqn.invars]
        name = eqn.primitive.name
        inner = eqn.params.get("jaxpr") or eqn.params.get("call_jaxpr")
        top = max(ins, default=_CONST)
        if inner is not None:
            inner = getattr(inner, "jaxpr", inner)
            outs = _jaxpr_level(inner, ins)
        elif name in _COMPARE:
            outs = [min(top, _PC)] * len(eqn.outvars)
        elif name in _LINEAR:
            outs = [top] * len(eqn.outvars)
        elif name == "mul":
            a, b = ins
            outs = [
                top
                if min(a, b) == _CONST
                else (_PL if max(a, b) <= _PL and min(a, b) <= _PC else _NL)
            ]
        elif name == "div":
            a, b = ins
            outs = [a if b == _CONST else (_PC if top <= _PC else _NL)]
        else:
            outs = [top if top <= _PC else _NL] * len(eqn.outvars)
        env.update(zip(eqn.outvars, outs, strict=True))
    return [read(v) for v in jaxpr.outvars]


@functools.cache
def piecewise_linear() -> frozenset[str]:
    """Element-wise records that are piecewise linear in x, read from their jaxprs.

    Each record's function is traced (not compiled) and its operations followed:
    sums, maxima, selections and products with constants keep a function piecewise
    linear; a product of two x-dependent terms or any other operation on x does not.
    """
    import jax
    import jax.numpy as jnp

    import flaxact

    out = set()
    x = jax.ShapeDtypeStruct((8,), jnp.float32)
    for rec in flaxact.records():
        if not rec.elementwise:
            continue
        closed = jax.make_jaxpr(rec.example_fn)(x)
        if max(_jaxpr_level(closed.jaxpr, [_PL]), default=_NL) <= _PL:
            out.add(rec.name)
    return frozenset(out)
