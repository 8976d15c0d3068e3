"""The built site was built in the pinned environment, as Read the Docs builds it: the
Python of ``.readthedocs.yaml`` and the versions ``docs/constraints.txt`` pins, which the
build records in ``build-info.json``. Needs ``FLAXACT_SITE`` (``nox -s site`` builds the site and sets it);
skips, saying why, otherwise."""

from __future__ import annotations

import json

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


def test_built_with_the_python_read_the_docs_uses(built):
    major_minor = ".".join(built["python"].split(".")[:2])
    assert major_minor == docs_env.python_version(), (
        f"built with Python {built['python']}; .readthedocs.yaml says {docs_env.python_version()}"
    )


@pytest.mark.parametrize("name", ["jax", "jaxlib", "flax", "numpy", "sphinx", "myst-nb", "sphinx-gallery"])
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
