"""A small synthetic hub for build tests: 8 sources, reports added in batches, built in tmp."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warta.ops import cli

from benchmarks import synth


class SynthHub:
    """Reports ``0..total-1`` of one synthetic corpus over ``months``, added oldest first."""

    def __init__(self, root: Path, *, overrides: dict[str, Any], total: int = 400,
                 months: int = 2, search: bool = False):
        self.root = root
        self.sources = synth.make_sources(8, seed=3)
        synth.write_registry(root / "sources", self.sources)
        (root / "content").mkdir()
        self.db = root / "a.sqlite"
        self.overrides = {**overrides, "PATH": str(root / "content")}
        self.corpus = total
        self.months = months
        self.search = search
        self.total = 0
        """Reports added so far."""

    def add(self, count: int) -> None:
        synth.fill_archive(self.db, synth.items(count, self.sources, offset=self.total,
                                                total=self.corpus, months=self.months))
        self.total += count

    def build(self, out: str = "site", *, full: bool = False,
              overrides: dict[str, Any] | None = None) -> Path:
        return cli.build(sources_dir=self.root / "sources", db=self.db, output=self.root / out,
                         full=full, overrides={**self.overrides, **(overrides or {})},
                         search=self.search)
