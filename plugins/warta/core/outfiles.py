"""Writing output files only when their bytes change.

On this hardware creating or truncating a file costs more than rendering a
small one (file creation is the slowest and noisiest part of writing a
build), and unchanged files keep their modification time, so a publish step
(rsync) and browser caches see only what really changed.
"""

from __future__ import annotations

import os
import shutil
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


def copy_if_changed(source: str | Path, target: str | Path) -> bool:
    """Copy ``source`` to ``target`` unless ``target`` already holds its bytes; True if copied."""
    src, dst = Path(source), Path(target)
    try:
        if dst.stat().st_size == src.stat().st_size and dst.read_bytes() == src.read_bytes():
            return False
    except OSError:
        pass
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return True


def merge_tree(fresh: Path, target: Path) -> tuple[int, int]:
    """Make ``target`` hold exactly the files of ``fresh``, then remove ``fresh``.

    Files whose bytes did not change stay as they are (same mtime, so a sync
    to the published copy skips them); new and changed files are moved in,
    files ``fresh`` lacks are deleted. Returns (files moved in, files deleted).
    For tools that can only write a whole folder (Pagefind writes every file of a
    bundle, most of them the same bytes as last hour).
    """
    moved = deleted = 0
    kept: set[str] = set()
    for dirpath, _dirs, names in os.walk(fresh):
        rel_dir = os.path.relpath(dirpath, fresh)
        for name in names:
            rel = os.path.normpath(os.path.join(rel_dir, name))
            kept.add(rel)
            src, dst = Path(dirpath) / name, target / rel
            try:
                same = (dst.stat().st_size == src.stat().st_size
                        and dst.read_bytes() == src.read_bytes())
            except OSError:
                same = False
            if not same:
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
                moved += 1
    for dirpath, _dirs, names in os.walk(target, topdown=False):
        rel_dir = os.path.relpath(dirpath, target)
        for name in names:
            if os.path.normpath(os.path.join(rel_dir, name)) not in kept:
                os.unlink(os.path.join(dirpath, name))
                deleted += 1
        if dirpath != str(target) and not os.listdir(dirpath):
            os.rmdir(dirpath)
    shutil.rmtree(fresh, ignore_errors=True)
    return moved, deleted


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


def remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents while they are empty, up to (not including) ``root``:
    what deleting an output file leaves behind."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
