"""Sphinx extension: work done in other processes while Sphinx-Gallery runs.

Sphinx-Gallery runs every example in the main process, one after the other, and myst-nb
executes a notebook when Sphinx reads it, after the gallery (all guides fall into one
read chunk even with ``-j``): each stage used one core. Jobs submitted early in
``config-inited`` run in separate processes, ``flaxact_background_jobs`` at a time
(default: the CPU count less one, at least 1: the gallery keeps a core), in the order
submitted. Before Sphinx reads the sources it waits for them all.

Two kinds of job use it:

* the notebook guides (this module): every notebook jupyter-cache does not hold yet is
  executed here, and stored in myst-nb's jupyter-cache, where myst-nb
  (``nb_execution_mode = "cache"``) finds it. The cache lives under ``_build``, so a cold
  build executes every notebook. A notebook that fails here is not cached: myst-nb then
  executes it again while reading and fails the build with the error, as it would
  without this extension. The output is the same either way (same reader, kernel,
  working folder and timeout).
* the figures of the generated pages (``flaxact_figures.py``, submitted by
  ``flaxact_docs.py``), first in the queue.

Run as a script, it executes notebooks one after the other, in one process:
``python flaxact_background.py TIMEOUT OUTDIR SRC...`` writes ``OUTDIR/<i>.ipynb`` and
``OUTDIR/<i>.json`` (seconds, or the error) for the i-th source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Job:
    label: str
    cmd: list[str]
    #: called in the main thread once every job is done: (app, ok, output)
    done: Callable[[Any, bool, str], None]
    ok: bool = False
    output: str = ""
    seconds: float = 0.0
    proc: subprocess.Popen | None = field(default=None, repr=False)


_QUEUE: list[Job] = []
_STATE: dict[str, Any] = {}


def submit(
    label: str, cmd: list[str], done: Callable[[Any, bool, str], None], first: bool = False
) -> None:
    """Queue ``cmd`` (at ``config-inited`` before priority 16, where the queue starts);
    ``first`` puts it ahead."""
    _QUEUE.insert(0 if first else len(_QUEUE), Job(label, cmd, done))


def _start(app: Any, config: Any) -> None:
    """At config-inited (priority 16, after the submissions): run the queue."""
    if not _QUEUE:
        return
    jobs, pending = list(_QUEUE), list(_QUEUE)
    _QUEUE.clear()
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not pending or _STATE.get("cancelled"):
                    return
                job = pending.pop(0)
                job.proc = subprocess.Popen(
                    job.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
                )
            start = time.perf_counter()
            out, _ = job.proc.communicate()
            job.seconds = time.perf_counter() - start
            job.ok, job.output = job.proc.returncode == 0, out.decode(errors="replace")

    slots = config.flaxact_background_jobs or max(1, (os.cpu_count() or 2) - 1)
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(slots)]
    for t in threads:
        t.start()
    _STATE.update(jobs=jobs, threads=threads)
    from sphinx.util import logging

    logging.getLogger(__name__).info(
        "flaxact_background: %s, %d at a time", ", ".join(j.label for j in jobs), slots
    )


def _finish(app: Any, env: Any = None, docnames: Any = None) -> None:
    """Before Sphinx reads: wait for every job, then hand each its result."""
    threads = _STATE.pop("threads", None)
    if threads is None:
        return
    from sphinx.util import logging

    waited = time.perf_counter()
    for t in threads:
        t.join()
    logging.getLogger(__name__).info(
        "flaxact_background: waited %.1f s for the jobs", time.perf_counter() - waited
    )
    for job in _STATE.pop("jobs"):
        job.done(app, job.ok, job.output)


def _cancel(app: Any = None, exception: Any = None) -> None:
    _STATE["cancelled"] = True
    for job in _STATE.pop("jobs", []):
        if job.proc is not None and job.proc.poll() is None:
            job.proc.kill()
    _STATE.clear()
    _QUEUE.clear()


# --------------------------------------------------------------------------- notebooks
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


def _cache_path(app: Any) -> str:
    """Where myst-nb keeps its jupyter-cache (its own default: beside the output folder)."""
    path = app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    return str(Path(path).resolve())


def _cache(app: Any) -> Any:
    from jupyter_cache import get_cache

    return get_cache(_cache_path(app))


def _candidates(app: Any) -> list[Path]:
    """Notebook sources Sphinx will read and myst-nb would execute, not in the cache yet.

    A source older than Sphinx's saved environment is not read again (nothing to do on a
    rebuild); should Sphinx read it all the same (a changed configuration), myst-nb
    finds it in the cache or executes it itself.
    """
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx.util.matching import Matcher

    cfg = app.config
    src = Path(app.srcdir)
    saved = Path(app.doctreedir, "environment.pickle")
    since = saved.stat().st_mtime if saved.is_file() else None
    empty = not Path(_cache_path(app)).exists()  # a cold build: nothing cached, run them all
    excluded = Matcher(list(cfg.exclude_patterns))
    no_exec = Matcher(list(cfg.nb_execution_excludepatterns))
    cache = None
    out = []
    for path in _sources(src):
        rel = path.relative_to(src).as_posix()
        if excluded(rel) or no_exec(rel) or (since and path.stat().st_mtime < since):
            continue
        if empty:
            if path.suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text("utf8")):
                out.append(path)
            continue
        nb = _notebook(path)
        if nb is None or not any(c.cell_type == "code" for c in nb.cells):
            continue
        cache = cache or _cache(app)
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            out.append(path)
    return out


def submit_notebooks(app: Any, config: Any) -> None:
    """At config-inited: queue every notebook not in the cache, one process per slot."""
    if config.nb_execution_mode != "cache":
        return
    todo = _candidates(app)
    if not todo:
        return
    slots = config.flaxact_background_jobs or max(1, (os.cpu_count() or 2) - 1)
    tmp = Path(tempfile.mkdtemp(prefix="flaxact-nb-"))
    for k in range(min(slots, len(todo))):
        part = todo[k::slots]
        out = tmp / str(k)
        cmd = [sys.executable, __file__, str(config.nb_execution_timeout), str(out)]
        names = ", ".join(p.stem for p in part)
        submit(f"notebooks ({names})", [*cmd, *map(str, part)], _notebooks_done(part, out))


def _notebooks_done(paths: list[Path], out: Path) -> Callable[[Any, bool, str], None]:
    def done(app: Any, ok: bool, output: str) -> None:
        import nbformat
        from jupyter_cache.base import CacheBundleIn
        from sphinx.util import logging

        logger = logging.getLogger(__name__)
        cache = _cache(app)
        for i, path in enumerate(paths):
            rel = path.relative_to(app.srcdir)
            result = out / f"{i}.json"
            info = json.loads(result.read_text()) if result.is_file() else {}
            if "seconds" not in info:
                # myst-nb executes it again while reading and reports the error
                why = info.get("error") or output
                logger.info("flaxact_background: %s failed in the background:\n%s", rel, why)
                continue
            executed = nbformat.read(out / f"{i}.ipynb", as_version=4)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, str(path), data={"execution_seconds": info["seconds"]}),
                check_validity=False,
                overwrite=True,
            )
            env = app.env
            try:  # the notebook as myst-nb will read it, with the project's configuration
                cache.match_cache_notebook(_notebook(path, env.myst_config, env.mystnb_config))
            except KeyError:
                logger.info("flaxact_background: %s does not match; myst-nb runs it again", rel)
                continue
            logger.info("flaxact_background: %s executed in %.1f s", rel, info["seconds"])
        import shutil

        shutil.rmtree(out, ignore_errors=True)
        if not any(out.parent.iterdir()):
            out.parent.rmdir()

    return done


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("flaxact_background_jobs", 0, "", int)
    # as early as possible: the jobs run beside the rest of the main process's start too
    app.connect("config-inited", submit_notebooks, priority=14)
    app.connect("config-inited", _start, priority=16)  # after every submission
    app.connect("env-before-read-docs", _finish)
    app.connect("build-finished", _cancel)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def _execute(timeout: str, out: str, *sources: str) -> int:
    """Execute notebooks as myst-nb's cache mode does: each in its folder, errors fatal."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for i, src in enumerate(sources):
        path = Path(src)
        nb = _notebook(path)
        result = single_nb_execution(
            nb,
            cwd=str(path.parent),
            timeout=int(timeout),
            allow_errors=False,
            meta_override=True,
            # the outputs are in; a graceful shutdown waited 1.7 s a notebook for nothing
            shutdown_kernel="immediate",
        )
        if result.err is not None:
            (folder / f"{i}.json").write_text(json.dumps({"error": result.exc_string}))
            continue
        nbformat.write(nb, folder / f"{i}.ipynb")
        (folder / f"{i}.json").write_text(json.dumps({"seconds": result.time}))
    return 0


if __name__ == "__main__":
    sys.exit(_execute(*sys.argv[1:]))
