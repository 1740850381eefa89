"""``invoke discover TARGET --write``: found feeds written into ``discover: true`` entries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from warta.archive.store import Archive
from warta.core.records import FeedSpec
from warta.ingest.fetch import FetchPolicy
from warta.ingest.run import run_fetch
from warta.ops import cli
from warta.sources.entryfile import EntryEditError, with_feeds
from warta.sources.registry import load_registry, parse_source

from tests.ingest.test_firstrun import closed_port
from tests.support.extract_eval import Fixture

POLICY = FetchPolicy(retries=0, page_delay=0.02, total_timeout=3)

ENTRY = """\
# Dibuat dari daftar publik; feed dicari otomatis.
id: pemkab-aceh-barat
name: Pemerintah Kabupaten Aceh Barat
short_name: Pemkab Aceh Barat
kind: pemkab
region: "11.05"
homepage: {homepage}
discover: true   # cari feed sendiri
ref:
  - https://id.wikipedia.org/wiki/Aceh_Barat (infobox 'Situs web')
  - daftar situs pemda
mode: summary
"""


def _file(tmp_path: Path, homepage: str = "https://acehbaratkab.go.id", text: str = ENTRY,
          folder: str = "11") -> Path:
    path = tmp_path / "sources" / folder / "pemkab-aceh-barat.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(homepage=homepage), encoding="utf-8")
    return path


@pytest.mark.parametrize("spec", [
    FeedSpec("https://acehbaratkab.go.id/feed/"),
    FeedSpec("https://acehbaratkab.go.id/index.php?format=feed&type=rss"),
    FeedSpec("https://acehbaratkab.go.id/", "wordpress"),
    FeedSpec("https://acehbaratkab.go.id/sitemap-news.xml", "sitemap"),
    FeedSpec("https://acehbaratkab.go.id/berita/?k=utama:#terbaru", "html",
             {"item": 'h2.judul a[href*="/berita/"]'}),
])
def test_feeds_take_the_place_of_discover_and_the_rest_stays(tmp_path: Path,
                                                            spec: FeedSpec) -> None:
    path = _file(tmp_path)
    before = path.read_text(encoding="utf-8")
    new = with_feeds(path, before, (spec,), "API WordPress: 9 berita ditemukan")
    source, errors = parse_source(path, new)
    assert errors == [] and source is not None
    assert source.feeds == (spec,) and source.discover is False
    assert source.ref == ("https://id.wikipedia.org/wiki/Aceh_Barat (infobox 'Situs web')",
                          "daftar situs pemda") and source.mode == "summary"
    old_lines = before.splitlines()
    new_lines = new.splitlines()
    # Every line but discover's is kept, in order; the block sits where discover was.
    at = old_lines.index("discover: true   # cari feed sendiri")
    block = 3 + len(spec.options)
    assert new_lines[at:at + 2] == ["feeds:", "  # API WordPress: 9 berita ditemukan"]
    assert new_lines[:at] + new_lines[at + block:] == old_lines[:at] + old_lines[at + 1:]


def test_empty_feeds_are_replaced_and_full_ones_refused(tmp_path: Path) -> None:
    spec = FeedSpec("https://acehbaratkab.go.id/feed/")
    for empty in ("feeds: []\n", "feeds:\n"):
        text = ENTRY.replace("discover: true   # cari feed sendiri\n", "") + empty
        text = text.replace("mode: summary\n", "") + "discover: true"  # no final newline
        path = _file(tmp_path, text=text)
        new = with_feeds(path, path.read_text(encoding="utf-8"), (spec,))
        assert new.count("feeds:") == 1 and "discover" not in new
        assert parse_source(path, new)[0].feeds == (spec,)  # type: ignore[union-attr]
    text = ENTRY + "feeds:\n  - https://acehbaratkab.go.id/rss\n"
    path = _file(tmp_path, text=text)
    with pytest.raises(EntryEditError, match="sudah berisi feeds"):
        with_feeds(path, path.read_text(encoding="utf-8"), (spec,))
    # A result that would not validate is refused (here: the file is invalid already).
    path = _file(tmp_path, text=ENTRY.replace("kind: pemkab", "kind: kabupaten"))
    with pytest.raises(EntryEditError, match="kind"):
        with_feeds(path, path.read_text(encoding="utf-8"), (spec,))


def _registry(tmp_path: Path, fx: Fixture) -> Path:
    root = tmp_path / "sources"
    for n, kind in enumerate(("wp", "joomla"), start=1):
        text = ENTRY.replace("pemkab-aceh-barat", f"situs-{kind}").replace('"11.05"', f'"11.0{n}"')
        path = root / "11" / f"situs-{kind}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(homepage=fx.sites[kind].url("/")), encoding="utf-8")
    dead = ENTRY.replace("pemkab-aceh-barat", "situs-mati").replace('"11.05"', '"11.07"')
    (root / "11" / "situs-mati.yml").write_text(
        dead.format(homepage=f"http://127.0.0.1:{closed_port()}/"), encoding="utf-8")
    return root


def test_write_searches_each_entry_and_fills_its_file(sites: Fixture, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(tmp_path, sites)
    dead_before = (root / "11" / "situs-mati.yml").read_text(encoding="utf-8")
    code = cli.discover(str(root / "11"), write=True, sources_dir=root, db=None, policy=POLICY)
    out = capsys.readouterr().out
    assert code == 1  # one entry found nothing
    sources, errors = load_registry(root)
    assert errors == []
    by_id = {s.id: s for s in sources}
    assert by_id["situs-wp"].feeds == (FeedSpec(sites.sites["wp"].url("/"), "wordpress"),)
    assert by_id["situs-joomla"].feeds == (FeedSpec(
        sites.sites["joomla"].url("/index.php/berita"), "html", {"item": "h2.item-title a"}),)
    assert not by_id["situs-wp"].discover and by_id["situs-mati"].discover
    assert (root / "11" / "situs-mati.yml").read_text(encoding="utf-8") == dead_before
    assert "✓ sources/11/situs-wp.yml: API WordPress" in out
    assert "✗ sources/11/situs-mati.yml: beranda tidak dapat dibuka" in out
    assert "2 berkas diperbarui, 1 belum ditemukan" in out
    wp_text = (root / "11" / "situs-wp.yml").read_text(encoding="utf-8")
    assert wp_text.startswith("# Dibuat dari daftar publik")
    assert "  # API WordPress: 9 berita ditemukan (invoke discover, " in wp_text
    # Entries that have feeds now are left alone on a second pass.
    assert cli.discover("situs-wp", write=True, sources_dir=root, db=None, policy=POLICY) == 1
    assert "sudah berisi feeds; tidak diubah" in capsys.readouterr().out


def test_write_uses_what_the_fetch_run_read_without_asking_the_site(
        sites: Fixture, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(tmp_path, sites)
    (root / "11" / "situs-mati.yml").unlink()
    db = tmp_path / "warta.sqlite"
    sources, _ = load_registry(root)
    with Archive(db) as archive:
        run_fetch(archive, sources, registry_root=root, policy=POLICY,
                  clock=lambda: datetime(2025, 3, 1, tzinfo=UTC))
    asked = sites.requests()
    assert cli.discover(str(root), write=True, sources_dir=root, db=db, policy=POLICY) == 0
    assert sites.requests() == asked
    out = capsys.readouterr().out
    assert out.count("sudah berhasil dibaca oleh pengambilan") == 2
    by_id = {s.id: s for s in load_registry(root)[0]}
    assert by_id["situs-wp"].feeds == (FeedSpec(sites.sites["wp"].url("/"), "wordpress"),)


def test_unknown_target_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _file(tmp_path)
    root = tmp_path / "sources"
    assert cli.discover("pemkab-tidak-ada", write=True, sources_dir=root, db=None) == 1
    assert "'pemkab-tidak-ada' tidak cocok" in capsys.readouterr().out


def test_without_write_an_id_or_folder_prints_each_entrys_report(
        sites: Fixture, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _registry(tmp_path, sites)
    before = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.yml")}
    assert cli.discover("situs-wp", sources_dir=root, db=None, policy=POLICY) == 0
    assert "Terbaik: API WordPress" in capsys.readouterr().out
    assert cli.discover(str(root / "11"), sources_dir=root, db=None, policy=POLICY) == 1
    out = capsys.readouterr().out
    assert out.count("Penelusuran ") == 3 and "beranda tidak dapat dibuka" in out
    assert {p: p.read_text(encoding="utf-8") for p in root.rglob("*.yml")} == before
