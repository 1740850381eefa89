"""One hourly run at a time: an advisory ``flock`` on a file under ``var/``.

``fcntl.flock`` is released by the kernel when the process dies, so a run
killed by cron, OOM or a CI timeout never leaves a stale lock behind (unlike
a pid file). The file holds the holder's pid and start time for operators.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType


class LockBusy(RuntimeError):
    """Another run holds the lock; ``holder`` is what it wrote (may be empty)."""

    def __init__(self, path: Path, holder: str):
        super().__init__(f"{path} is held by another run: {holder or 'unknown'}")
        self.path = path
        self.holder = holder


class RunLock:
    """Non-blocking exclusive lock; use as a context manager."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            raise LockBusy(self.path, holder) from None
        info = json.dumps({"pid": os.getpid(), "since": datetime.now(UTC).isoformat()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
