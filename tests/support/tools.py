"""Programs the suite runs: scripts/test.sh installs each, so a missing one fails, never skips."""

from __future__ import annotations

import shutil

import pytest

PACKAGES = {"chromium": "chromium", "chromedriver": "chromium-driver", "rsync": "rsync",
            "node": "nodejs"}
"""Command → the Debian package scripts/test.sh installs it from."""


def require(command: str) -> str:
    """The path of ``command``; the test fails (not skips) when it is missing."""
    path = shutil.which(command)
    if path is None:
        pytest.fail(f"{command} is not installed: run scripts/test.sh, which installs it "
                    f"(Debian package {PACKAGES[command]})")
    return path
