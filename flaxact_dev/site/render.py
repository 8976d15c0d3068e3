"""Text output of the generated pages: the Jinja templates of ``_templates/flaxact/`` and
the one out-of-date test of the build, writing a file only when its content changes (a
no-change rebuild then re-reads nothing). No Sphinx needed to import this."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "_templates" / "flaxact"


def miss(text: str) -> str:
    """A figure that misses the contract or a goal: red and bold on the page."""
    return f":flaxact-miss:`{text}`"


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # reStructuredText, not HTML
    )
    env.filters["miss"] = miss
    return env


def render(template: str, **context: object) -> str:
    """A template of ``_templates/flaxact`` rendered; in reST, runs of blank lines made one."""
    text = environment().get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n") if template.endswith(".rst.jinja") else text


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Write ``path`` unless it already holds ``text``; whether it wrote."""
    data = text.encode() if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
