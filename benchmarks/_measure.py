"""Shared measurement helpers for the benchmark scripts: wall time and peak tree RSS.

``ru_maxrss`` of children reports only the largest child, not the sum, so the
peak memory of a run (this process plus every worker it starts) is sampled
from /proc. Processes that are not part of Warta (a feed server) are excluded.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class TreeRSS:
    """Peak of the summed RSS of this process and its children (workers), sampled.

    Forked workers share their parent's pages until they write to them, and RSS
    counts a shared page in every process, so a summed RSS overstates a forked
    tree. The summed PSS (each shared page divided among its sharers) is what
    the tree really holds; it is sampled beside RSS (:attr:`peak_pss`).
    """

    def __init__(self, exclude: int | Iterable[int] = (), interval: float = 0.05,
                 root: int | None = None):
        self.exclude = {exclude} if isinstance(exclude, int) else set(exclude)
        self.interval = interval
        self.root = root or os.getpid()
        self.peak = 0
        self.peak_pss = 0
        self.peak_parts: list[tuple[str, int]] = []
        """(process, RSS kB) of every process at the peak: where the memory was."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _proc_kb(pid: int, name: str, field: str) -> int:
        """A ``field:  N kB`` line of ``/proc/<pid>/<name>`` (0 once the process is gone)."""
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @classmethod
    def _rss_kb(cls, pid: int) -> int:
        return cls._proc_kb(pid, "status", "VmRSS:")

    @classmethod
    def _pss_kb(cls, pid: int) -> int:
        return cls._proc_kb(pid, "smaps_rollup", "Pss:")

    @staticmethod
    def _children(pid: int) -> list[int]:
        out: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                out += [int(c) for c in task.read_text().split()]
            except OSError:
                continue
        return out

    def _name(self, pid: int) -> str:
        """A short name for a process of the tree: this one, a forkserver child, …"""
        if pid == self.root:
            return "main"
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return "?"
        for key in ("resource_tracker", "forkserver", "spawn_main"):
            if key in cmd:
                return key
        return cmd.split(" ", 1)[0].rsplit("/", 1)[-1] or "?"

    def parts(self) -> list[tuple[int, int]]:
        """(pid, RSS kB) of every process in the tree now."""
        stack, out = [self.root], []
        while stack:
            pid = stack.pop()
            if pid in self.exclude:
                continue
            out.append((pid, self._rss_kb(pid)))
            stack += self._children(pid)
        return out

    def sample(self) -> int:
        parts = self.parts()
        total = sum(kb for _, kb in parts)
        if len(parts) > 1 or total > self.peak_pss:  # one process: PSS ≤ RSS, sampled at peaks
            self.peak_pss = max(self.peak_pss, sum(self._pss_kb(pid) for pid, _ in parts))
        if total > self.peak:
            self.peak = total
            self.peak_parts = [(self._name(pid), kb) for pid, kb in parts]
        return total

    def describe_peak(self) -> str:
        """``main 120 + forkserver 70 + …`` in MB: the peak by process."""
        return " + ".join(f"{name} {kb / 1024:.0f}" for name, kb in self.peak_parts)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def __enter__(self) -> TreeRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    @property
    def peak_mb(self) -> float:
        return self.peak / 1024

    @property
    def peak_pss_mb(self) -> float:
        return self.peak_pss / 1024


@dataclass
class Measurement:
    label: str
    wall: float = 0.0
    peak_mb: float = 0.0
    peak_pss_mb: float = 0.0
    cpu: float = 0.0
    """User + system CPU seconds of the child processes that ended inside the block."""
    note: str = ""

    def line(self) -> str:
        note = f" | {self.note}" if self.note else ""
        return (f"{self.label:44s} wall {self.wall:7.1f} s (cpu {self.cpu:.1f} s) | peak RSS "
                f"{self.peak_mb:6.0f} MB (PSS {self.peak_pss_mb:.0f} MB){note}")


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (and theirs): on a VM whose disk is
    shared, wall time moves with the neighbours; CPU time much less."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class measure:
    """``with measure("build 20k") as m: ...`` → wall time and peak tree RSS in ``m``."""

    def __init__(self, label: str, exclude: int | Iterable[int] = ()):
        self.result = Measurement(label)
        self._rss = TreeRSS(exclude)
        self._t0 = 0.0
        self._cpu0 = 0.0

    def __enter__(self) -> Measurement:
        self._rss.__enter__()
        self._cpu0 = _children_cpu()
        self._t0 = time.perf_counter()
        return self.result

    def __exit__(self, *exc: object) -> None:
        self.result.wall = time.perf_counter() - self._t0
        self.result.cpu = _children_cpu() - self._cpu0
        self._rss.__exit__(*exc)
        self.result.peak_mb = self._rss.peak_mb
        self.result.peak_pss_mb = self._rss.peak_pss_mb
        print(self.result.line(), flush=True)
