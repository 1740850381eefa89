"""Writing output files only when their bytes change.

On this hardware creating or truncating a file costs more than rendering a
small one (file creation is the slowest and noisiest part of writing a
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
        write_atomic(path, data)
    else:
        path.write_bytes(data)
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write a sibling temporary file and rename it over ``path``.

    A reader, or a run killed mid-write, sees the old file or the new one,
    never half of one: the JSON API, and the build state and caches kept
    next to the output (see :func:`beside`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def beside(folder: str | Path, suffix: str) -> Path:
    """``<folder><suffix>`` next to ``folder``: build state and caches of an output folder.

    Kept outside it so they are never published, and named after it so two
    output folders (a preview and production) never share one.
    """
    out = Path(folder).resolve()
    return out.with_name(out.name + suffix)
