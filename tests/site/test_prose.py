"""The site's prose for each activation (docs/_data/activations.toml): one entry per
registry name and no other, each complete."""

from __future__ import annotations

import re

import pytest

import flaxact
from flaxact_dev.site import prose

RECORDS = flaxact.records()


def test_one_entry_per_registry_name():
    names = {r.name for r in RECORDS}
    entries = set(prose.entries())
    assert not names - entries, (
        f"no entry in docs/_data/activations.toml for {sorted(names - entries)}"
    )
    assert not entries - names, f"entries for no registry name: {sorted(entries - names)}"


def test_an_alias_reads_its_functions_entry():
    assert prose.of("hard_swish") is prose.of("hard_silu")


def test_unknown_fields_are_refused(tmp_path):
    path = tmp_path / "prose.toml"
    path.write_text('[relu]\nusage = "a"\npitfall = "b"\nreference = "c"\nusag = "d"\n')
    with pytest.raises(ValueError, match=r"\[relu\] has unknown fields \['usag'\]"):
        prose.entries(path)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_entry_is_complete(rec):
    entry = prose.of(rec.name)
    assert entry.reference.strip(), rec.name
    assert {"PyTorch", "Keras"} <= set(entry.frameworks), rec.name
    assert entry.pitfall.strip(), f"{rec.name}: no pitfall"
    assert "\n" not in entry.pitfall, f"{rec.name}: the pitfall is one line"
    assert all(isinstance(u, str) and u.strip() for u in entry.used_in), rec.name


def test_every_entry_says_when_to_use_it():
    """``usage`` (the gallery page's "When to use it") is two to four sentences on one line,
    for every function, and no two share it."""
    by_text: dict[str, list[str]] = {}
    for rec in RECORDS:
        usage = prose.of(rec.name).usage
        assert usage.strip(), f"{rec.name}: no usage"
        assert "\n" not in usage, f"{rec.name}: usage is one paragraph on one line"
        sentences = 1 + len(re.findall(r"(?<!\bal)[.!?]\s+", usage))  # not after "et al."
        assert 2 <= sentences <= 4, f"{rec.name}: usage has {sentences} sentences"
        by_text.setdefault(" ".join(usage.split()).lower(), []).append(rec.name)
    shared = [names for names in by_text.values() if len(names) > 1]
    assert not shared, f"functions with the same usage: {shared}"
