"""Pelican's copies of static files (theme CSS/JS, ``content/images``), made only when needed.

Pelican copies every theme and content static file on every build
(``pelican.utils.copy_file``, ``shutil.copyfile``): same bytes, new mtime, so
each hourly publish would send the theme again and browsers and CDNs would
see it as changed. :func:`keep_unchanged` replaces that one function with a
copy that leaves a file whose bytes already match alone. Same signature, same
result on disk; applied on ``signals.initialized``.
"""

from __future__ import annotations

import logging
from typing import Any

from ..core.outfiles import copy_if_changed

log = logging.getLogger(__name__)

_MARK = "_warta_keeps_unchanged"


def copy_file(source: str, destination: str) -> None:
    """``pelican.utils.copy_file`` that does not rewrite an identical file."""
    try:
        copy_if_changed(source, destination)
    except OSError as exc:  # Pelican logs and goes on; so does this
        log.warning("A problem occurred copying file %s to %s; %s", source, destination, exc)


setattr(copy_file, _MARK, True)


def keep_unchanged(*_sender: Any) -> None:
    """Install :func:`copy_file` in ``pelican.utils`` (idempotent)."""
    from pelican import utils

    if not getattr(utils.copy_file, _MARK, False):
        utils.copy_file = copy_file
