"""The registry: one record per activation, the single source of truth.

Each public activation is declared once, with :func:`activation`, next to its
implementation. The record drives the docstring's formula block, the API index and
tables of the documentation, the gallery-completeness test and the property tests.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import math
from collections.abc import Callable, Mapping
from typing import Any

from ._frameworks import FRAMEWORKS, Target

__all__ = ["Activation", "Kink", "activation", "get", "names", "records"]

FAMILIES = ("rectifier", "exponential", "sigmoidal", "smooth", "normalizing", "gated")
SMOOTHNESS = ("C0", "C1", "C2", "Cinf", "discontinuous")


@dataclasses.dataclass(frozen=True)
class Kink:
    """A point where the function is not differentiable, and the gradient chosen there.

    Parameters
    ----------
    x : float
        Where the kink is.
    grad : float
        The value ``jax.grad`` returns at ``x`` (the same as jax.nn's).
    one_sided : tuple of float
        The one-sided derivatives ``(left, right)``, shown in the documentation.

    See Also
    --------
    Activation : The record a kink belongs to.

    Examples
    --------
    >>> import flaxact
    >>> flaxact.get("relu").kinks
    (Kink(x=0.0, grad=0.0, one_sided=(0.0, 1.0)),)
    """

    x: float
    grad: float
    one_sided: tuple[float, float]


@dataclasses.dataclass(frozen=True)
class Activation:
    """Everything flaxact's code and tests use about one activation function.

    What the documentation says of it besides (when to use it, the models that use it,
    pitfalls, the paper, other libraries' names) lives with the site, in
    ``docs/_data/activations.toml``.

    Parameters
    ----------
    name : str
        Public name, ``flaxact.<name>``.
    fn : callable
        The function itself.
    family : str
        One of ``rectifier``, ``exponential``, ``sigmoidal``, ``smooth``,
        ``normalizing``, ``gated``.
    formula, derivative : str
        LaTeX for :math:`f(x)` and :math:`f'(x)` (``derivative`` may be empty for
        functions of a whole axis).
    output_range : tuple of float
        Infimum and supremum of the output under default parameters and
        ``example_args`` (``±inf`` for unbounded).
    monotonic : bool or None
        Non-decreasing in ``x`` (``None`` where the notion does not apply).
    smoothness : str
        ``C0``, ``C1``, ``C2`` or ``Cinf``.
    zero_centered : bool or None
        For an element-wise function: ``f(x)`` has the sign of ``x`` and ``f`` is
        non-decreasing, so negative inputs give negative outputs that do not swing back to
        zero and a layer's outputs can average to zero. True of tanh,
        ELU and leaky ReLU; not of ReLU or sigmoid, nor of SiLU, GELU and Mish (negative
        outputs that return to zero as ``x`` falls), nor of hard_shrink (zero on an
        interval). For a function of a whole axis: the output averages to zero along that
        axis (standardize). ``None`` for the gated units, whose two halves come from
        separate projections.
    kinks : tuple of Kink
        Points of non-differentiability and the gradient convention there.
    aliases : tuple of str
        Other public names for the same callable.
    elementwise : bool
        Acts on each element independently.
    jax_nn : str or None
        Name of the ``jax.nn`` counterpart this function is a drop-in for.
    ulp_f32 : float or mapping
        Contracted worst-case error in float32 units in the last place, tested
        against a float64 reference (itself checked against mpmath at 40 digits); a
        mapping gives it per parameter setting
        (keys like ``"approximate=False"``, ``""`` for the defaults).
    ulp_floor : float
        Where it is not 0, ``ulp_f32`` is measured in ULP of ``max(|exact|, ulp_floor)``:
        an absolute error for results smaller than ``ulp_floor`` in magnitude (log-softmax
        and log-sum-exp near 0, whose relative error is unbounded there in jax.nn's
        form, which flaxact keeps for speed).
    accurate_from : float, mapping or None
        Where not ``None``, ``ulp_f32`` holds for inputs at or above it (a mapping gives
        it per parameter setting, keyed as ``ulp_f32``; a setting it lacks takes ``""``'s).
        Below, the
        result is formed as jax.nn forms it and loses what jax.nn's loses there (an
        exponential flushed to zero once subnormal, a cancellation); the Notes say which,
        and :mod:`flaxact.precise` has the form that does not.
    grad_as_jax_nn : bool
        The gradient is computed as jax.nn computes it (and is tested to be no less
        accurate than jax.nn's, and finite wherever the derivative is); otherwise it is
        tested to 1e-6 relative wherever the derivative is a normal number.
    precise_ulp_f32 : float, mapping or None
        Where not ``None``, :mod:`flaxact.precise` has a more accurate (and slower) form
        of the function, with this tested bound and gradients to 1e-6.
    example_params : mapping
        Parameter values swept in the gallery (``{"alpha": [0.5, 1.0, 2.0]}``).
    example_args : mapping
        Values for the arguments that have no default (``threshold``'s ``threshold`` and
        ``default_value``), used wherever the function is called without a user: the
        tests, the benchmarks and the gallery.
    derivative_monotonic : bool or None
        ``f'`` is non-decreasing over the whole domain, wherever it is defined, at
        default parameters (ReLU and softplus: yes; GELU, sigmoid and SELU: no).
        ``None`` for the functions that are not element-wise.
    identity_near_origin : bool or None
        ``f(0) = 0`` and ``f'(0) = 1`` from both sides, so ``f(x) ≈ x`` for small
        ``x`` (tanh and ELU with ``alpha=1``: yes; ReLU, leaky ReLU, GELU and SiLU: no).
        ``None`` for the functions that are not element-wise.
    parameter_kinks : mapping
        Kinks that only some parameter values have, which ``kinks`` and ``smoothness``
        (stated for the defaults) leave out: a condition on the parameters as a Python
        expression (``"alpha != 1"``) to a reST sentence saying where the kink is and
        what ``jax.grad`` returns there. The API page shows them, and the tests check
        that the derivative jumps for parameter values that meet the condition and
        only for those.
    bound : mapping
        Keyword arguments that calling the record passes to ``fn`` (a call's own
        arguments take precedence): empty for a registered record; what another
        framework's name means, for the record ``get(name, framework=...)`` returns
        (PyTorch's ``"gelu"`` binds ``approximate=False``).

    See Also
    --------
    get : Look a record up by name.
    records : All records.

    Examples
    --------
    >>> import flaxact
    >>> rec = flaxact.get("elu")
    >>> rec.family, rec.output_range, rec.params
    ('exponential', (-1.0, inf), {'alpha': 1.0})

    A record is callable: calling it calls the function, so a configuration can name
    the activation.

    >>> flaxact.get("elu")([-1.0, 2.0])
    Array([-0.63212055,  2.        ], dtype=float32)
    """

    name: str
    fn: Callable[..., Any]
    family: str
    formula: str
    derivative: str
    output_range: tuple[float, float]
    monotonic: bool | None
    smoothness: str
    zero_centered: bool | None
    kinks: tuple[Kink, ...] = ()
    aliases: tuple[str, ...] = ()
    elementwise: bool = True
    jax_nn: str | None = None
    ulp_f32: float | Mapping[str, float] = 2.0
    ulp_floor: float = 0.0
    accurate_from: float | Mapping[str, float] | None = None
    grad_as_jax_nn: bool = False
    precise_ulp_f32: float | Mapping[str, float] | None = None
    example_params: Mapping[str, tuple[Any, ...]] = dataclasses.field(default_factory=dict)
    example_args: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    derivative_monotonic: bool | None = None
    identity_near_origin: bool | None = None
    parameter_kinks: Mapping[str, str] = dataclasses.field(default_factory=dict)
    bound: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the function: ``get("gelu")(x)`` is ``gelu(x)``, with ``bound`` passed too."""
        return self.fn(*args, **{**self.bound, **kwargs})

    @property
    def example_fn(self) -> Callable[..., Any]:
        """The function with ``example_args`` bound, callable on ``x`` alone (the function
        itself when it needs no more), as the tests, benchmarks and gallery call it."""
        return functools.partial(self.fn, **self.example_args) if self.example_args else self.fn

    @property
    def params(self) -> dict[str, Any]:
        """Keyword parameters and their defaults, read from the signature."""
        sig = inspect.signature(self.fn)
        return {
            p.name: p.default
            for p in list(sig.parameters.values())[1:]
            if p.default is not inspect.Parameter.empty
        }

    def ulp_bound(self, params: Mapping[str, Any] | None = None, *, precise: bool = False) -> float:
        """The contracted float32 error bound for these parameters (defaults when empty);
        ``precise=True``: that of the :mod:`flaxact.precise` form."""
        bounds = self.precise_ulp_f32 if precise else self.ulp_f32
        if bounds is None:
            raise ValueError(f"flaxact.{self.name} has no precise form")
        return float(_for_setting(bounds, params))

    def accurate_start(self, params: Mapping[str, Any] | None = None) -> float | None:
        """The input from which :meth:`ulp_bound` holds for these parameters (defaults
        when empty); ``None`` where it holds everywhere."""
        start = _for_setting(self.accurate_from, params)
        return None if start is None else float(start)

    @property
    def bounded_below(self) -> bool:
        return math.isfinite(self.output_range[0])

    @property
    def bounded_above(self) -> bool:
        return math.isfinite(self.output_range[1])

    @property
    def bounded(self) -> str:
        """``"both"``, ``"below"``, ``"above"`` or ``"no"``."""
        lo, hi = self.bounded_below, self.bounded_above
        return {(True, True): "both", (True, False): "below", (False, True): "above"}.get(
            (lo, hi), "no"
        )


def _for_setting(value: Any, params: Mapping[str, Any] | None) -> Any:
    """``value``, or where it is a mapping keyed by setting (``"approximate=False"``,
    ``""`` for the defaults), its entry for ``params``."""
    return _at_key(value, ",".join(f"{k}={v}" for k, v in (params or {}).items()))


def _at_key(value: Any, key: str) -> Any:
    return value.get(key, value[""]) if isinstance(value, Mapping) else value


_RECORDS: dict[str, Activation] = {}
_ALIASES: dict[str, str] = {}


def _insert_formula(doc: str, formula: str) -> str:
    """Place a ``.. math::`` block with ``formula`` after the docstring's summary line."""
    lines = inspect.cleandoc(doc).splitlines()
    head, rest = lines[:1], lines[1:]
    block = ["", ".. math::", "", "    " + formula]
    return "\n".join(head + block + rest) + "\n"


def _fmt_ulp(v: float) -> str:
    return "exact (0 ULP)" if v == 0 else f"{v:g} ULP"


def _fmt_setting(key: str) -> str:
    """``"approximate=sigmoid"`` as ``approximate='sigmoid'`` (strings quoted, as in a call)."""
    name, _, value = key.partition("=")
    try:
        float(value)
    except ValueError:
        if value not in ("True", "False", "None"):
            value = repr(value)
    return f"{name}={value}"


def accuracy_sentence(record: Activation) -> str:
    """The Notes paragraph stating the tested accuracy, generated from ``record.ulp_f32``.

    Docstrings carry no hand-typed bound: this text and the tests read the same record.
    """
    starts = record.accurate_from
    per_setting = isinstance(starts, Mapping)
    if isinstance(record.ulp_f32, Mapping) or per_setting:
        keys = [k for k in (record.ulp_f32 if isinstance(record.ulp_f32, Mapping) else starts) if k]
        parts = []
        for k in keys:
            part = _fmt_ulp(float(_at_key(record.ulp_f32, k)))
            if per_setting:
                part += f" for x >= {_at_key(starts, k):g}"
            parts.append(f"{part} with ``{_fmt_setting(k)}``")
        bound = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        bound = "within " + bound.replace(" ULP", " ULP of the exact value", 1)
    elif float(record.ulp_f32) == 0:
        bound = "exact"
    else:
        bound = f"within {_fmt_ulp(float(record.ulp_f32))} of the exact value"
    if record.ulp_floor:
        bound += (
            f" (of {record.ulp_floor:g} where the exact value is smaller than that in "
            "magnitude: an absolute error there)"
        )
    text = (
        "Accuracy, as tested against a float64 reference that is itself checked against "
        f"mpmath at 40 digits: float32 results {bound}"
    )
    if starts is not None:
        where = "" if per_setting else f" for x >= {starts:g}"
        text += (
            f"{where} (below, it is formed as jax.nn forms it and "
            "loses what jax.nn's loses there: see Notes)"
        )
    if not record.elementwise:
        return text + ", on the inputs of the test suite."
    if bound == "exact":
        return (
            f"{text} (and so in bfloat16 and float16), wherever input and output are normal "
            "numbers. Measured figures are on the :doc:`/generated/accuracy` page."
        )
    grad = (
        " Gradients are jax.nn's formula, finite wherever the derivative is."
        if record.grad_as_jax_nn
        else ""
    )
    precise = (
        f" :func:`flaxact.precise.{record.name}` is accurate to "
        f"{_fmt_ulp(record.ulp_bound(precise=True))}, with gradients to 1e-6, at a higher cost."
        if record.precise_ulp_f32 is not None
        else ""
    )
    return (
        f"{text}, wherever input and output are normal numbers; bfloat16 and float16 results "
        f"within 1 ULP (computed in float32, rounded once).{grad}{precise} Measured figures, "
        "next to jax.nn's, are on the :doc:`/generated/accuracy` page."
    )


def _wrap(text: str, width: int = 88) -> list[str]:
    """``text``'s words in lines of at most ``width`` characters (a word longer than that
    on a line of its own): what ``textwrap.wrap`` gives for plain prose, without its
    general machinery, which every docstring completed at import would pay for."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _insert_notes(doc: str, paragraph: str) -> str:
    """Place ``paragraph`` first in the docstring's Notes section (created if missing)."""
    lines = doc.splitlines()
    wrapped = _wrap(paragraph)
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Notes" and set(lines[i + 1].strip()) == {"-"}:
            return "\n".join(lines[: i + 2] + wrapped + [""] + lines[i + 2 :]) + "\n"
    for head in ("References", "Examples"):
        for i in range(len(lines) - 1):
            if lines[i].strip() == head and set(lines[i + 1].strip()) == {"-"}:
                block = ["Notes", "-----", *wrapped, ""]
                return "\n".join(lines[:i] + block + lines[i:]) + "\n"
    return "\n".join([*lines, "", "Notes", "-----", *wrapped]) + "\n"


def precise_accuracy_sentence(record: Activation) -> str:
    """The Notes paragraph of ``flaxact.precise.<name>``, from ``record.precise_ulp_f32``."""
    bound = _fmt_ulp(record.ulp_bound(precise=True))
    text = (
        "Accuracy, as tested against a float64 reference that is itself checked against "
        f"mpmath at 40 digits: float32 results within {bound} of the exact value"
    )
    if record.elementwise:
        text += (
            ", wherever input and output are normal numbers; bfloat16 and float16 results "
            "within 1 ULP; gradients to 1e-6 relative wherever the derivative is a normal "
            "number"
        )
    else:
        text += " on the inputs of the test suite"
    return (
        f"{text}. The default, :func:`flaxact.{record.name}`, states its own bound. Measured "
        "figures, next to jax.nn's, are on the :doc:`/generated/accuracy` page."
    )


def _document(fn: Callable[..., Any], record: Activation, notes: str) -> None:
    """The one place docstrings are completed: the record's formula after the summary line,
    its tested accuracy first in Notes (so neither is typed in the docstring)."""
    fn.__doc__ = _insert_notes(_insert_formula(fn.__doc__ or fn.__name__, record.formula), notes)


def activation(**fields: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as an activation (see :class:`Activation`).

    The function's docstring receives its formula block from ``formula`` and its tested
    accuracy from ``ulp_f32`` (``accuracy_sentence``), so each is written in exactly
    one place.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = fn.__name__
        old = _RECORDS.get(name)
        # A module executed twice (doctest collection does this) re-registers its own
        # functions; a second definition elsewhere is a bug.
        same = old is not None and old.fn.__module__.split(".")[-1] == fn.__module__.split(".")[-1]
        if (old is not None and not same) or name in _ALIASES:
            raise ValueError(f"flaxact: activation {name!r} registered twice")
        if fields.get("family") not in FAMILIES:
            raise ValueError(f"flaxact: {name}: family must be one of {FAMILIES}")
        if fields.get("smoothness") not in SMOOTHNESS:
            raise ValueError(f"flaxact: {name}: smoothness must be one of {SMOOTHNESS}")
        record = Activation(name=name, fn=fn, **fields)
        _document(fn, record, accuracy_sentence(record))
        _RECORDS[name] = record
        for alias in record.aliases:
            _ALIASES[alias] = name
        return fn

    return register


def precise_form(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Make the decorated function :mod:`flaxact.precise`'s ``name``: the accurate form of
    the registered activation ``name``, defined beside its kernels and re-exported there.

    It takes the public name (``__name__``, ``__module__``) and, as the default does, its
    record's formula and the bound it is tested to (``precise_ulp_f32``).
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        record = _RECORDS.get(name)
        if record is None or record.precise_ulp_f32 is None:
            raise ValueError(f"flaxact: {name!r} is not an activation with a precise form")
        fn.__name__ = fn.__qualname__ = name
        fn.__module__ = "flaxact.precise"
        _document(fn, record, precise_accuracy_sentence(record))
        return fn

    return register


def names(*, aliases: bool = False, framework: str | None = None) -> list[str]:
    """Return the names of every registered activation, sorted.

    Parameters
    ----------
    aliases : bool, default False
        Also list alias names (``swish``'s ``hard_swish`` and the like).
    framework : {"torch", "keras", "transformers"}, optional
        Instead, the names that framework gives the activations :func:`get` resolves
        for it (PyTorch's functional and module class names, ``keras.activations``,
        transformers' ``ACT2FN``).

    Returns
    -------
    list of str
        The canonical names (and aliases when asked), in alphabetical order.

    See Also
    --------
    get : The record behind a name.

    Examples
    --------
    >>> import flaxact
    >>> "gelu" in flaxact.names()
    True
    >>> "hard_swish" in flaxact.names(), "hard_swish" in flaxact.names(aliases=True)
    (False, True)
    >>> "gelu_new" in flaxact.names(framework="transformers")
    True
    """
    if framework is not None:
        table = _framework_table(framework, "names")
        return sorted(k for k, v in table.items() if not isinstance(v, str))
    out = list(_RECORDS)
    if aliases:
        out += list(_ALIASES)
    return sorted(out)


def records() -> list[Activation]:
    """Return every :class:`Activation` record, sorted by name.

    Returns
    -------
    list of Activation
        One record per activation (aliases are not repeated).

    See Also
    --------
    names : Just the names.

    Examples
    --------
    >>> import flaxact
    >>> [r.name for r in flaxact.records() if r.family == "exponential"]
    ['celu', 'elu', 'selu', 'xielu']
    """
    return [_RECORDS[n] for n in sorted(_RECORDS)]


def get(name: str | Callable[..., Any], *, framework: str | None = None) -> Activation:
    """Look up an activation's record by name, alias or function.

    Parameters
    ----------
    name : str or callable
        A name from :func:`names`, one of the aliases, or a flaxact activation
        function itself (``flaxact.gelu``). A name flaxact does not use but PyTorch,
        Keras 3 or transformers does (``"hardswish"``, ``"gelu_new"``) resolves to what
        that framework means, where every framework that has it means the same.
    framework : {"torch", "keras", "transformers"}, optional
        Read ``name`` as that framework does: PyTorch's ``torch.nn.functional`` and
        ``torch.nn`` class names, ``keras.activations``, transformers' ``ACT2FN``
        (``names(framework=...)`` lists them). The record returned binds the arguments
        the framework's name means (``bound``): transformers' ``"gelu"`` is
        ``gelu(x, approximate=False)``, Keras' ``"leaky_relu"`` has
        ``negative_slope=0.2``.

    Returns
    -------
    Activation
        The record. It is callable (calling it calls the function with the same
        arguments, and ``bound``), and its ``fn`` attribute is the function.

    Raises
    ------
    KeyError
        When no activation has that name; the message lists close matches.
    ValueError
        When the name is another framework's for something flaxact does not compute (a
        learned or random activation, a function it does not have); the message says
        why. Also when ``framework`` is not one of the three, or a name means different
        functions in different frameworks and ``framework`` is not given.
    TypeError
        When ``name`` is neither a string nor a registered activation function.

    See Also
    --------
    names : Every name ``get`` accepts.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> import flaxact
    >>> rec = flaxact.get("hard_swish")
    >>> rec.name, rec.family, rec.fn is flaxact.hard_silu
    ('hard_silu', 'rectifier', True)
    >>> float(rec(3.0))
    3.0
    >>> flaxact.get(flaxact.gelu).name
    'gelu'

    A configuration that names its activation builds the model from the string:

    >>> act = flaxact.get("silu")
    >>> act(jnp.array([-1.0, 0.0, 2.0]))
    Array([-0.26894143,  0.        ,  1.761594  ], dtype=float32)

    A configuration written for another framework means what that framework means:

    >>> act = flaxact.get("gelu", framework="transformers")
    >>> act.name, act.bound
    ('gelu', {'approximate': False})
    >>> float(act(-1.0)), float(flaxact.gelu(-1.0))
    (-0.15865527093410492, -0.15880796313285828)
    >>> flaxact.get("Hardswish", framework="torch").name
    'hard_silu'
    """
    if callable(name) and not isinstance(name, str):
        if isinstance(name, Activation):
            return name
        for record in _RECORDS.values():
            if record.fn is name:
                return record
        what = getattr(name, "__qualname__", type(name).__name__)
        raise TypeError(
            f"flaxact.get: argument 'name' must be an activation's name or a flaxact "
            f"activation function; {what} is not registered"
        )
    if not isinstance(name, str):
        raise TypeError(
            "flaxact.get: argument 'name' must be a str or a flaxact activation function; "
            f"got {type(name).__name__}"
        )
    if framework is not None:
        table = _framework_table(framework, "get")
        if name in table:
            return _resolved(name, framework, table[name])
        close = difflib.get_close_matches(name, list(table), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"flaxact.get: {framework} has no activation named {name!r}{hint}")
    key = _ALIASES.get(name, name)
    if key in _RECORDS:
        return _RECORDS[key]
    meanings = {fw: table[name] for fw, table in FRAMEWORKS.items() if name in table}
    if meanings:
        distinct = {repr(t) for t in meanings.values()}
        if len(distinct) > 1:
            raise ValueError(
                f"flaxact.get: {name!r} means different functions in "
                f"{' and '.join(meanings)}: pass framework= to say which"
            )
        framework, target = next(iter(meanings.items()))
        return _resolved(name, framework, target)
    every = sorted({*names(aliases=True), *(n for table in FRAMEWORKS.values() for n in table)})
    close = difflib.get_close_matches(name, every, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise KeyError(f"flaxact.get: no activation named {name!r}{hint}")


def _framework_table(framework: Any, caller: str) -> Mapping[str, Target]:
    if framework not in FRAMEWORKS:
        raise ValueError(
            f"flaxact.{caller}: argument 'framework' must be one of "
            f"{', '.join(map(repr, FRAMEWORKS))}; got {framework!r}"
        )
    return FRAMEWORKS[framework]


def _resolved(name: str, framework: str, target: Target) -> Activation:
    """The record ``framework``'s ``name`` means, with the arguments it binds."""
    if isinstance(target, str):
        raise ValueError(f"flaxact.get: {framework}'s {name!r} {target}")
    fn_name, bound = target
    record = _RECORDS[fn_name]
    return dataclasses.replace(record, bound=dict(bound)) if bound else record
