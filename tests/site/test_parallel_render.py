"""Pages rendered on several processes: the work is shared, failures surface, bytes are the same."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from warta.site import parallel

from tests.support.synthhub import SynthHub as Hub

BUILD_TIME = "2026-11-20T12:00:00+00:00"
OVERRIDES = {"WARTA_BUILD_TIME": BUILD_TIME, "DEFAULT_PAGINATION": 4}


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "sources.json"}


def test_jobs_are_shared_between_processes_and_each_runs_once(tmp_path: Path) -> None:
    def work(job: int) -> bool:
        (tmp_path / f"{job}.pid").write_text(str(os.getpid()))
        return job % 3 == 0

    changed, unchanged = parallel.run(list(range(200)), work, 2)
    assert (changed, unchanged) == (67, 133)
    pids = {p.read_text() for p in tmp_path.glob("*.pid")}
    assert len(list(tmp_path.glob("*.pid"))) == 200
    assert len(pids) == 2 and str(os.getpid()) in pids


def test_a_failing_page_in_a_worker_fails_the_run_with_its_traceback() -> None:
    def work(job: int) -> bool:
        if job == 7:  # an odd job: rendered by the forked worker
            raise ValueError("template broke on job 7")
        return True

    with pytest.raises(parallel.WorkerError, match="template broke on job 7"):
        parallel.run(list(range(100)), work, 2)


def test_short_queues_are_not_forked() -> None:
    assert parallel.process_count(2, 10) == 1
    assert parallel.process_count(2, 1000) == 2
    assert parallel.process_count(1, 1000) == 1
    assert parallel.process_count(0, 1000) == min(parallel.available_cores(), 1000 // 32)


def test_no_fork_while_another_thread_runs() -> None:
    """A fork copies one thread; a lock the other holds would stay held in the worker."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.process_count(2, 1000) == 1
    finally:
        stop.set()
        other.join()
    assert parallel.process_count(2, 1000) == 2


def test_a_build_on_two_processes_equals_one_on_one(tmp_path: Path) -> None:
    from pelican.plugins import signals

    hub = Hub(tmp_path, overrides=OVERRIDES)
    hub.add(80)
    one = hub.build("one", full=True, overrides={"WARTA_RENDER_PROCESSES": 1})
    pids = tmp_path / "pids"
    pids.mkdir()

    def note_pid(path: str, context: object = None) -> None:
        (pids / f"{os.getpid()}-{Path(path).stem}-{abs(hash(path))}").touch()

    signals.content_written.connect(note_pid)
    try:
        two = hub.build("two", full=True, overrides={"WARTA_RENDER_PROCESSES": 2})
    finally:
        signals.content_written.disconnect(note_pid)
    stats = json.loads((tmp_path / "two.warta-state.json").read_text())["stats"]
    renderers = {p.name.split("-", 1)[0] for p in pids.iterdir()}
    assert len(list(pids.iterdir())) == stats["rendered"]
    # This process and a forked worker per batch (article pages, then the rest) shared them.
    assert str(os.getpid()) in renderers and len(renderers) >= 2, renderers
    a, b = _tree(one), _tree(two)
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []
