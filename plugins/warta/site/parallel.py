"""Render queued pages on every core: forked workers share the build's context.

Pelican renders one page after another on one core. By the time pages are
rendered, everything a template reads (articles, listings, navigation) is
already in memory and no longer changes, so a ``fork`` gives each worker that
context for free: no pickling of 100,000 articles, no second parse of the
archive. Each worker renders its share of the queued pages (every n-th one, so
article pages and listings spread evenly) and writes them itself; only small
counts and errors travel back through a pipe.

``gc.freeze()`` before the fork keeps the collector from touching (and so
copying) every object of the parent in each child.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..core.outfiles import write_if_changed

log = logging.getLogger(__name__)

T = TypeVar("T")

MIN_JOBS_PER_PROCESS = 32
"""Below this many pages per worker a fork costs more than it saves."""


class WorkerError(RuntimeError):
    """A worker failed: carries the worker's traceback, so the build log names the page."""


def available_cores() -> int:
    """Cores this process may run on (the CI runner's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def process_count(requested: Any, jobs: int) -> int:
    """How many processes to render ``jobs`` pages with: ``requested`` (0 = every core),
    fewer when the queue is short, 1 where ``fork`` does not exist."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        # A fork copies only the calling thread: a lock another thread holds at that moment
        # (a stream being written, a log handler) would stay held in the worker for ever.
        return 1
    try:
        wanted = int(requested or 0)
    except (TypeError, ValueError):
        wanted = 1
    wanted = available_cores() if wanted <= 0 else wanted
    return max(1, min(wanted, jobs // MIN_JOBS_PER_PROCESS))


def _share(jobs: Sequence[T], index: int, processes: int,
           work: Callable[[T], bool]) -> tuple[int, int]:
    changed = unchanged = 0
    for job in jobs[index::processes]:
        if work(job):
            changed += 1
        else:
            unchanged += 1
    return changed, unchanged


def _child(jobs: Sequence[T], index: int, processes: int, work: Callable[[T], bool],
           fd: int) -> None:
    """Body of a forked worker: render, report, leave without running the parent's exit code."""
    code = 0
    try:
        payload: tuple[str, Any] = ("ok", _share(jobs, index, processes, work))
    except BaseException:  # reported to the parent, which raises it in the build
        payload = ("error", traceback.format_exc())
        code = 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps(payload))
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _collect(pid: int, fd: int) -> tuple[str, Any]:
    """A worker's report, once it has ended (always waited for: no zombie is left)."""
    try:
        with os.fdopen(fd, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    try:
        return pickle.loads(data)  # written by our own forked child
    except Exception:
        return "error", f"render worker {pid} ended without a report (status {status})"


def run(jobs: Sequence[T], work: Callable[[T], bool], processes: int) -> tuple[int, int]:
    """``work`` over every job on ``processes`` processes (this one included).

    ``work`` returns whether it changed a file. Returns (changed, unchanged).
    Raises :class:`WorkerError` when any share failed, after every worker has
    ended (no orphan keeps writing into the output).
    """
    if processes <= 1:
        return _share(jobs, 0, 1, work)
    gc.collect()
    gc.freeze()
    children: list[tuple[int, int]] = []
    try:
        for index in range(1, processes):
            read_fd, write_fd = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(read_fd)
                os.close(write_fd)
                raise
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                os.close(read_fd)
                _child(jobs, index, processes, work, write_fd)
            os.close(write_fd)
            children.append((pid, read_fd))
        mine: tuple[str, Any]
        try:
            mine = ("ok", _share(jobs, 0, processes, work))
        except Exception:
            mine = ("error", traceback.format_exc())
    finally:
        results = [_collect(pid, fd) for pid, fd in children]
        gc.unfreeze()
    changed = unchanged = 0
    errors = []
    for status, value in [mine, *results]:
        if status == "ok":
            changed += value[0]
            unchanged += value[1]
        else:
            errors.append(value)
    if errors:
        raise WorkerError("halaman gagal dirender:\n" + "\n".join(errors))
    log.debug("parallel: %d pages on %d processes", len(jobs), processes)
    return changed, unchanged


# -- pages ---------------------------------------------------------------------------------


@dataclass(slots=True)
class PageJob:
    """A page to render: what Pelican's ``write_file`` would have rendered at once."""

    template: Any
    context: dict[str, Any]
    name: str
    kwargs: dict[str, Any]
    relative_urls: bool
    path: str


def render_page(job: PageJob) -> bool:
    """Render one queued page and write it if its bytes changed (True then)."""
    from pelican.plugins import signals
    from pelican.utils import get_relative_path, path_to_url

    local = job.context.copy()
    local["localsiteurl"] = local.get("localsiteurl", None)
    if job.relative_urls:
        relative_url = path_to_url(get_relative_path(job.name))
        local["SITEURL"] = relative_url
        local["localsiteurl"] = relative_url
    local["output_file"] = job.name
    local.update(job.kwargs)
    if local["localsiteurl"]:
        # As Pelican's writer: an article's content resolves its links against the shared
        # context's ``localsiteurl`` (Content.content), so it must be this page's.
        job.context["localsiteurl"] = local["localsiteurl"]
    output = job.template.render(local)
    changed = write_if_changed(Path(job.path), output.encode("utf-8"))
    signals.content_written.send(job.path, context=local)
    return changed
