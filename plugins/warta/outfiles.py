"""Writing output files only when their bytes change.

On this hardware creating or truncating a file costs more than rendering a
small one (PERFORMANCE.md: file-creation time is the noisiest part of a
build), and unchanged files keep their modification time, so a publish step
(rsync) and browser caches see only what really changed.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, data: bytes, *, atomic: bool = False) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written.

    ``atomic``: write a sibling temporary file and rename it over ``path``, so a
    reader never sees half a file (the JSON API).
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    if atomic:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    else:
        path.write_bytes(data)
    return True
