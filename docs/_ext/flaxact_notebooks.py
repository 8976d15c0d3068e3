"""Sphinx extension: execute the notebook guides in the background, while the gallery runs.

myst-nb executes a notebook when Sphinx reads it, one after the other (they fall into one
read chunk even with ``-j``), after Sphinx-Gallery has run every example — each stage
using one core. This extension starts every notebook that jupyter-cache does not hold yet
at ``config-inited``, in separate processes, so that their kernels run beside the gallery
(and the registry figures) in the main process. Before Sphinx reads the sources it waits
for them and stores the executed notebooks in myst-nb's jupyter-cache, where myst-nb
(``nb_execution_mode = "cache"``) finds them.

Nothing is skipped: a cold build has no cache, so every notebook is executed. A notebook
that fails here is not cached; myst-nb then executes it again while reading and fails the
build with the error, as it would without this extension. Output a notebook shows is the
same either way (the same reader, kernel, working folder and timeout).

``flaxact_notebook_jobs`` (default: the CPU count less one, at least 1) sets how many
notebooks run at once.

Run as a script, it executes one notebook: ``python flaxact_notebooks.py SRC OUT TIMEOUT``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

_STATE: dict[str, Any] = {}


def _notebook(path: Path, md_config: Any = None, nb_config: Any = None) -> Any:
    """The notebook myst-nb reads from ``path`` (None if it is not one)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    text = path.read_text(encoding="utf8")
    reader = create_nb_reader(
        str(path), md_config or MdParserConfig(), nb_config or NbParserConfig(), text
    )
    return None if reader is None else reader.read(text)


def _sources(src: Path) -> list[Path]:
    """``.md`` and ``.ipynb`` files below ``src``, outside folders named ``_*`` or ``.*``
    (the build, static files, templates, extensions: no notebooks there)."""
    out = []
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        out += [Path(root, f) for f in sorted(files) if f.endswith((".md", ".ipynb"))]
    return out


def _candidates(app: Any) -> list[Path]:
    """Notebook sources Sphinx will read and myst-nb would execute, not in the cache yet."""
    from sphinx.util.matching import Matcher

    cfg = app.config
    src = Path(app.srcdir)
    excluded = Matcher(list(cfg.exclude_patterns))
    no_exec = Matcher(list(cfg.nb_execution_excludepatterns))
    cache = _cache(app)
    out = []
    for path in _sources(src):
        rel = path.relative_to(src).as_posix()
        if excluded(rel) or no_exec(rel):
            continue
        nb = _notebook(path)
        if nb is None or not any(c.cell_type == "code" for c in nb.cells):
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            out.append(path)
    return out


def _cache(app: Any) -> Any:
    from jupyter_cache import get_cache

    path = app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    return get_cache(str(Path(path).resolve()))


def start(app: Any, config: Any) -> None:
    """At config-inited: start executing every notebook not in the cache."""
    if config.nb_execution_mode != "cache":
        return
    todo = _candidates(app)
    if not todo:
        return
    jobs = config.flaxact_notebook_jobs or max(1, (os.cpu_count() or 2) - 1)
    tmp = Path(tempfile.mkdtemp(prefix="flaxact-nb-"))
    results: dict[Path, dict[str, Any]] = {}
    procs: list[subprocess.Popen] = []
    lock = threading.Lock()
    queue = list(todo)

    def worker() -> None:
        while True:
            with lock:
                if not queue or _STATE.get("cancelled"):
                    return
                path = queue.pop(0)
            out = tmp / f"{todo.index(path)}-{path.stem}.ipynb"
            start_t = time.perf_counter()
            cmd = [sys.executable, __file__, str(path), str(out), str(config.nb_execution_timeout)]
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            with lock:
                procs.append(proc)
            log, _ = proc.communicate()
            with lock:
                results[path] = {
                    "ok": proc.returncode == 0 and out.is_file(),
                    "out": out,
                    "log": log.decode(errors="replace"),
                    "seconds": time.perf_counter() - start_t,
                }

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(jobs, len(todo)))]
    for t in threads:
        t.start()
    _STATE.update(threads=threads, procs=procs, results=results, tmp=tmp, started=time.time())
    from sphinx.util import logging

    logging.getLogger(__name__).info(
        "flaxact_notebooks: executing %d notebook(s) in the background, %d at a time",
        len(todo),
        len(threads),
    )


def finish(app: Any, env: Any = None, docnames: Any = None) -> None:
    """Before reading: wait for the notebooks and put them in myst-nb's cache."""
    threads = _STATE.pop("threads", None)
    if threads is None:
        return
    import nbformat
    from jupyter_cache.base import CacheBundleIn
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    waited = time.perf_counter()
    for t in threads:
        t.join()
    waited = time.perf_counter() - waited
    cache = _cache(app)
    for path, res in sorted(_STATE.pop("results").items()):
        rel = Path(path).relative_to(app.srcdir)
        if not res["ok"]:
            # myst-nb executes it again while reading and reports the error
            logger.info("flaxact_notebooks: %s failed in the background:\n%s", rel, res["log"])
            continue
        executed = nbformat.read(res["out"], as_version=4)
        seconds = json.loads(res["out"].with_suffix(".json").read_text())["seconds"]
        cache.cache_notebook_bundle(
            CacheBundleIn(executed, str(path), data={"execution_seconds": seconds}),
            check_validity=False,
            overwrite=True,
        )
        try:  # the notebook as myst-nb will read it, with the project's configuration
            cache.match_cache_notebook(_notebook(Path(path), env.myst_config, env.mystnb_config))
        except KeyError:
            logger.info("flaxact_notebooks: %s does not match; myst-nb executes it again", rel)
            continue
        logger.info("flaxact_notebooks: %s executed in %.1f s (background)", rel, seconds)
    logger.info("flaxact_notebooks: waited %.1f s for the notebooks", waited)
    _cleanup()


def _cleanup(*_: Any) -> None:
    _STATE["cancelled"] = True
    for proc in _STATE.pop("procs", []):
        if proc.poll() is None:
            proc.kill()
    tmp = _STATE.pop("tmp", None)
    if tmp is not None:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    _STATE.pop("cancelled", None)


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("flaxact_notebook_jobs", 0, "", int)
    # before flaxact_docs draws its figures (500) and Sphinx-Gallery runs (builder-inited)
    app.connect("config-inited", start, priority=450)
    app.connect("env-before-read-docs", finish)
    app.connect("build-finished", _cleanup)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def _execute(src: str, out: str, timeout: str) -> int:
    """Execute one notebook as myst-nb's cache mode does: in its folder, errors fatal."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    path = Path(src)
    nb = _notebook(path)
    result = single_nb_execution(
        nb, cwd=str(path.parent), timeout=int(timeout), allow_errors=False, meta_override=True
    )
    if result.err is not None:
        print(result.exc_string, file=sys.stderr)
        return 1
    nbformat.write(nb, out)
    Path(out).with_suffix(".json").write_text(json.dumps({"seconds": result.time}))
    return 0


if __name__ == "__main__":
    sys.exit(_execute(*sys.argv[1:4]))
