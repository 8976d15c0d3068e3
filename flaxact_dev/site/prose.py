"""What the site says of each activation beyond its registry record, from
``docs/_data/activations.toml``: when to use it, the models that use it, what goes wrong,
the paper, how other libraries name it and, where it costs more than its baseline
somewhere, where the time goes. Not loaded by ``import flaxact``."""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path

import flaxact

PROSE = Path(__file__).resolve().parents[2] / "docs" / "_data" / "activations.toml"


@dataclasses.dataclass(frozen=True)
class Prose:
    """One activation's entry.

    ``usage``: when to use it, in two to four sentences (the gallery's "When to use it");
    ``pitfall``: the one thing that most often goes wrong, in one line; ``reference``: the
    paper that introduced it (or a standard reference); ``used_in``: well-known models or
    uses that rely on it (empty where none stands out); ``frameworks``: how PyTorch and
    Keras (and jax.nn, where it differs) name or parametrise it; ``speed_note``: where the
    time goes against its baseline, for the Performance page (empty where flaxact does the
    same work).
    """

    usage: str
    pitfall: str
    reference: str
    used_in: tuple[str, ...] = ()
    frameworks: Mapping[str, str] = dataclasses.field(default_factory=dict)
    speed_note: str = ""


@functools.cache
def entries(path: Path = PROSE) -> dict[str, Prose]:
    """Every entry, by registry name; a ValueError names an entry with an unknown field."""
    raw = tomllib.loads(path.read_text(encoding="utf8"))
    fields = {f.name for f in dataclasses.fields(Prose)}
    out = {}
    for name, entry in raw.items():
        unknown = set(entry) - fields
        if unknown:
            raise ValueError(f"{path.name}: [{name}] has unknown fields {sorted(unknown)}")
        out[name] = Prose(**{**entry, "used_in": tuple(entry.get("used_in", ()))})
    return out


def of(name: str) -> Prose:
    """The entry of a registry name or alias (``hard_swish`` gives ``hard_silu``'s)."""
    return entries()[flaxact.get(name).name]
