"""Production settings: used by the hourly run (``invoke hourly``/``invoke build --publish``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("WARTA_SITEURL", "https://warta.github.io")
# Where the hourly run publishes (docs/operations.md#publishing): CI sets these from repository
# variables, so moving a hub from GitHub Pages to a bucket needs no commit.
WARTA_PUBLISH_TARGET = os.environ.get("WARTA_PUBLISH_TARGET") or "gh-pages"
WARTA_RCLONE_REMOTE = os.environ.get("WARTA_RCLONE_REMOTE", "")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
