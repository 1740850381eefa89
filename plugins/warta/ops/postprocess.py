"""Steps run on the built site before verification: a pluggable list.

``WARTA_POSTPROCESS`` (a Pelican setting) lists steps as ``"module:function"``
strings (or callables). Each step is called as ``step(output, settings)`` and
may return a small dict of figures for the run log. Search indexing
plugs in here; :func:`gzip_precompress` is offered for static hosts that serve
``.gz`` siblings (nginx ``gzip_static``) — GitHub Pages compresses by itself.
"""

from __future__ import annotations

import gzip
import importlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.settings import setting

Step = Callable[[Path, dict[str, Any]], "dict[str, Any] | None"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class PostprocessError(RuntimeError):
    """A step could not be loaded or failed (message names the step)."""


def load_step(spec: str | Step) -> Step:
    if callable(spec):
        return spec
    module_name, _, attr = str(spec).partition(":")
    try:
        step = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise PostprocessError(f"langkah pascaproses {spec!r} tidak ditemukan: {exc}") from exc
    if not callable(step):
        raise PostprocessError(f"langkah pascaproses {spec!r} bukan fungsi")
    return step


def step_name(spec: str | Step) -> str:
    return spec if isinstance(spec, str) else getattr(spec, "__qualname__", repr(spec))


def run_steps(output: Path, settings: dict[str, Any],
              steps: Iterable[str | Step] | None = None) -> list[dict[str, Any]]:
    """Run each step in order; returns one record per step (name, seconds, figures)."""
    specs = list(setting(settings, "WARTA_POSTPROCESS") if steps is None else steps)
    records: list[dict[str, Any]] = []
    for spec in specs:
        step = load_step(spec)
        started = time.perf_counter()
        try:
            figures = step(output, settings) or {}
        except Exception as exc:  # a step's own failure, named for the operator
            raise PostprocessError(f"langkah pascaproses {step_name(spec)} gagal: {exc}") from exc
        records.append({"step": step_name(spec), "seconds": round(time.perf_counter() - started, 3),
                        **figures})
    return records


def gzip_precompress(output: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """Write ``file.gz`` next to each text file larger than 1 KiB (mtime kept, reproducible).

    A ``.gz`` carries its file's mtime, so one whose mtime still matches is left alone: an
    hour compresses the files the build wrote, not the whole site. ``files``: how many were made.

    A server that sends ``.gz`` siblings (nginx ``gzip_static``, many CDNs) must never send
    one of a page that is gone — a withdrawn report — or that changed and is no longer worth
    compressing: such siblings are deleted (``removed``). Every ``.gz`` of a
    :data:`COMPRESSIBLE` name in the built site is taken for a sibling (the build
    writes no other).
    """
    min_size = int(setting(settings, "WARTA_GZIP_MIN_BYTES"))
    count = saved = removed = 0
    for dirpath, _dirs, files in os.walk(output):
        present = set(files)
        for name in files:
            if name.endswith(".gz") and name[:-3].endswith(COMPRESSIBLE) \
                    and name[:-3] not in present:
                os.unlink(os.path.join(dirpath, name))  # its page is gone
                removed += 1
                continue
            if not name.endswith(COMPRESSIBLE):
                continue
            path = Path(dirpath) / name
            gz = path.with_name(name + ".gz")
            st = path.stat()
            try:
                if gz.stat().st_mtime_ns == st.st_mtime_ns:
                    continue  # made from this very file (it carries its mtime): nothing to redo
            except OSError:
                pass
            data = path.read_bytes()
            packed = gzip.compress(data, compresslevel=9, mtime=0) if len(data) >= min_size else b""
            if not packed or len(packed) >= len(data):
                if name + ".gz" in present:
                    gz.unlink(missing_ok=True)  # an older version's: no longer this file
                    removed += 1
                continue
            gz.write_bytes(packed)
            os.utime(gz, ns=(st.st_atime_ns, st.st_mtime_ns))
            count += 1
            saved += len(data) - len(packed)
    return {"files": count, "bytes_saved": saved, "removed": removed}
