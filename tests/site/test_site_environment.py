"""The built site was built in the pinned environment, as Read the Docs builds it: the
Python of ``.readthedocs.yaml`` and the versions ``docs/constraints.txt`` pins, which the
build records in ``build-info.json``; and its landing page names that jax and computed its
comparison with it. Needs ``FLAXACT_SITE`` (``nox -s site`` builds the site and sets it);
skips, saying why, otherwise."""

from __future__ import annotations

import html
import json
import re

import pytest

from flaxact_dev import docs_env
from flaxact_dev.docs_testing import SITE

pytestmark = pytest.mark.skipif(
    SITE is None, reason="no built site: run `nox -s site` (builds it and sets FLAXACT_SITE)"
)


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    path = SITE / docs_env.BUILD_INFO
    assert path.is_file(), f"{path} is missing: the build writes it when it succeeds"
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def landing_text() -> str:
    """The landing page's text, tags removed."""
    page = (SITE / "index.html").read_text(encoding="utf8")
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_built_with_the_python_read_the_docs_uses(built):
    major_minor = ".".join(built["python"].split(".")[:2])
    assert major_minor == docs_env.python_version(), (
        f"built with Python {built['python']}; .readthedocs.yaml says {docs_env.python_version()}"
    )


@pytest.mark.parametrize(
    "name", ["jax", "jaxlib", "flax", "numpy", "sphinx", "myst-nb", "sphinx-gallery"]
)
def test_built_with_the_pinned_versions(built, name):
    pins = docs_env.pins()
    assert built[name] == pins[docs_env.normalise(name)], (
        f"the site was built with {name} {built[name]}; {docs_env.CONSTRAINTS} pins "
        f"{pins[docs_env.normalise(name)]}"
    )


def test_tests_run_in_the_environment_that_built_the_site(built):
    """The checks of the built site import what the build imported."""
    import jax

    assert jax.__version__ == built["jax"]


def test_landing_page_names_the_jax_it_was_computed_with(built, landing_text):
    version = built["jax"]
    assert f"jax.nn {version}" in landing_text, (
        "the comparison is not labelled with the build's jax"
    )
    assert f"Computed when this page was built, with jax {version}" in landing_text
    assert f"activation functions of jax.nn {version}" in landing_text
    # every committed result the page quotes carries the jax it was measured with
    for paragraph in ("Accuracy.", "Cost."):
        after = landing_text.split(paragraph, 1)[1][:400]
        assert re.search(r"jax (\d+\.\d+\.\d+|version not recorded)", after), paragraph


def test_landing_page_shows_the_comparison_of_the_build(built, landing_text):
    """The rows on the page are those the criterion picks with the build's jax, and each
    is in the page's table."""
    import jax

    from flaxact_dev import landing

    assert jax.__version__ == built["jax"]
    for row in landing.comparison():
        label = row.case.label
        assert (f"{label} {row.case.dtype} " in landing_text) == row.shown, label
