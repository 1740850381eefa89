"""``invoke new`` scaffolds an article that passes ``invoke check``; the /admin/ editorial UI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from warta.contrib import articles, editorial
from warta.contrib import check as contentcheck
from warta.contrib.categories import vocabulary
from warta.ops import cli
from warta.sources.registry import load_registry

from tests.conftest import ROOT
from tests.support.tools import require

DATA = Path(__file__).parents[1] / "data" / "konten" / "_dasar"
NOW = datetime(2025, 6, 1, 5, 30, tzinfo=ZoneInfo("UTC"))
FORMAT_JS = ROOT / "plugins" / "warta" / "admin" / "pelican-format.js"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DATA, root)
    return root


def check(root: Path, now: datetime = NOW) -> contentcheck.CheckReport:
    return contentcheck.check_repository(sources_dir=root / "sources", content_dir=root / "content",
                                         takedowns_file=root / "takedowns.yml", now=now)


def test_new_scaffold_passes_check(repo: Path) -> None:
    path = cli.new_article("pemkab-cilacap", "Bupati Cilacap Buka Festival Nelayan Teluk Penyu 2025",
                           sources_dir=repo / "sources", content_dir=repo / "content", now=NOW)
    assert path == (repo / "content/33/pemkab-cilacap/2025"
                    / "bupati-cilacap-buka-festival-nelayan-teluk-penyu-2025.md")
    text = path.read_text(encoding="utf-8")
    assert "Date: 2025-06-01 12:30+07:00\n" in text  # now, in the source's own offset
    assert "Source: pemkab-cilacap\n" in text and "Tags: Cilacap\n" in text
    assert "PANDUAN MENGISI" in text  # guidance in Indonesian, hidden from readers
    report = check(repo)
    assert report.errors == [] and report.registry_errors == []
    # Placeholders are flagged, but only as warnings.
    assert {(p.code, p.line) for p in report.warnings} == {
        ("placeholder", 6), ("placeholder-image", 7), ("placeholder", 27)}


def test_new_scaffold_national_source_and_zone(repo: Path) -> None:
    path = cli.new_article("kemenkes", "Kemenkes Luncurkan Layanan Cek Kesehatan Gratis",
                           sources_dir=repo / "sources", content_dir=repo / "content", now=NOW)
    assert path.parent == repo / "content/nasional/kemenkes/2025"
    assert check(repo).errors == []


def test_new_scaffold_never_overwrites_and_keeps_slugs_unique(repo: Path) -> None:
    first = cli.new_article("pemkab-cilacap", "Jembatan Karangsari Diresmikan",
                            sources_dir=repo / "sources", content_dir=repo / "content", now=NOW)
    # The base tree already has jembatan-karangsari-diresmikan.md (2025) → a new slug.
    assert first.name == "jembatan-karangsari-diresmikan-2.md"
    second = cli.new_article("pemkab-cilacap", "Jembatan Karangsari Diresmikan",
                             sources_dir=repo / "sources", content_dir=repo / "content", now=NOW)
    assert second.name == "jembatan-karangsari-diresmikan-3.md"
    assert check(repo).errors == []


def test_new_unknown_source_suggests(repo: Path) -> None:
    with pytest.raises(cli.UnknownSource, match="pemkab-cilacap"):
        cli.new_article("pemkab-cilacp", "Judul", sources_dir=repo / "sources",
                        content_dir=repo / "content")


def invoke(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line: ``invoke new --source ID "Judul"``, ``invoke check``."""
    return subprocess.run([sys.executable, "-m", "invoke", "--search-root", str(ROOT), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_invoke_new_and_check_commands(repo: Path) -> None:
    made = invoke(repo, "new", "--source", "pemkab-cilacap", "Posyandu Remaja Dibuka di Kesugihan")
    assert made.returncode == 0, made.stderr
    assert "Artikel baru dibuat" in made.stdout
    assert len(list((repo / "content/33/pemkab-cilacap").rglob(
        "posyandu-remaja-dibuka-di-kesugihan.md"))) == 1
    ok = invoke(repo, "check")
    assert ok.returncode == 0, ok.stdout
    assert "peringatan" in ok.stdout and "Semua berkas valid" in ok.stdout
    unknown = invoke(repo, "new", "--source", "pemkab-cilacp", "Judul")
    assert unknown.returncode == 1 and "pemkab-cilacap" in unknown.stderr
    (repo / "content/33/pemkab-cilacap/2025/jembatan-karangsari-diresmikan.md").write_text(
        "Title: Tanpa kolom lain\n\nIsi.\n", encoding="utf-8")
    bad = invoke(repo, "check")
    assert bad.returncode == 1
    assert "kolom 'Date' wajib diisi" in bad.stdout


def test_slug_for_title() -> None:
    assert (articles.slug_for("Wali Kota: \"Pasar Rakyat\" Dibuka 24 Jam!")
            == "wali-kota-pasar-rakyat-dibuka-24-jam")
    assert articles.slug_for("Ëkspor Kopi Gayo Naik 12%") == "ekspor-kopi-gayo-naik-12"
    assert articles.slug_for("!!!") == "berita"


def test_decap_config_matches_article_schema(repo: Path) -> None:
    sources, _ = load_registry(repo / "sources")
    config = editorial.decap_config(sources, {"WARTA_ADMIN_REPO": "warta-id/warta"})
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["name"] == "github"
    by_name = {c["name"]: c for c in config["collections"]}
    assert by_name["pemkab-cilacap"]["folder"] == "content/33/pemkab-cilacap"
    assert by_name["kemenkes"]["folder"] == "content/nasional/kemenkes"
    for col in by_name.values():
        assert col["path"] == "{{year}}/{{slug}}" and col["format"] == "pelican"
        fields = {f["name"]: f for f in col["fields"]}
        required = {f.lower() for f in articles.REQUIRED_FIELDS}
        assert required <= set(fields)
        for name in required:
            assert fields[name].get("required", True) is True
        assert fields["source"] == {"label": "Sumber", "name": "source", "widget": "hidden",
                                    "default": col["name"]}
        assert [o["value"] for o in fields["category"]["options"]] == list(vocabulary())
        assert {f.lower() for f in articles.OPTIONAL_FIELDS} >= {
            n for n, f in fields.items() if f.get("required") is False}


def test_admin_written_into_build(tmp_path: Path, repo: Path) -> None:
    out = cli.build(settings_file=ROOT / "pelicanconf.py", sources_dir=repo / "sources",
                    db=tmp_path / "w.sqlite", output=tmp_path / "out",
                    overrides={"PATH": str(repo / "content"),
                               "WARTA_TAKEDOWNS": str(repo / "takedowns.yml")})
    admin = out / "admin"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in config["collections"]] == ["pemkab-cilacap", "kemenkes"]
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert 'integrity="sha384-' in page and "decap-cms@3.16.3" in page and "pelican-format.js" in page
    # The reader site itself makes no third-party request: only /admin/ loads the CDN.
    for html in out.rglob("*.html"):
        if html.parent != admin:
            text = html.read_text(encoding="utf-8")
            assert "unpkg.com" not in text and "<script src=\"http" not in text
    # Local article photos are published from content/images.
    assert (out / "images/33/pemkab-cilacap/jembatan-karangsari.jpg").is_file()
    latest = json.loads((out / "api/v1/latest.json").read_text(encoding="utf-8"))
    images = {i["id"]: i.get("image") for i in latest["items"]}
    # The uploaded photo is served like every image (derivatives under /media/).
    assert images["lokal-jembatan-karangsari-diresmikan"].startswith("http")
    assert "/media/" in images["lokal-jembatan-karangsari-diresmikan"]


def test_decap_pelican_format_round_trip(repo: Path, tmp_path: Path) -> None:
    """What /admin/ saves is what `invoke new` writes and what `invoke check` accepts."""
    require("node")
    scaffolded = cli.new_article("pemkab-cilacap", "Dinas Pertanian Bagikan Bibit Kelapa",
                                 sources_dir=repo / "sources", content_dir=repo / "content", now=NOW)
    script = f"""
    const f = require({json.dumps(str(FORMAT_JS))});
    const fs = require("fs");
    const data = f.fromFile(fs.readFileSync({json.dumps(str(scaffolded))}, "utf8"));
    const edited = Object.assign({{}}, data, {{
      summary: "Seribu bibit kelapa dibagikan\\nkepada petani pesisir.",
      tags: ["Cilacap", "pertanian", " kelapa "],
      image: "/images/33/pemkab-cilacap/jembatan-karangsari.jpg",
      modified: new Date(Date.UTC(2025, 5, 1, 6, 0)),
      penulis: "Dewi Anggraini",
      body: "Dinas Pertanian membagikan seribu bibit kelapa kepada petani pesisir.\\n",
    }});
    process.stdout.write(JSON.stringify({{data: data, text: f.toFile(edited)}}));
    """
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60,
                            env={"TZ": "Asia/Jakarta", "PATH": "/usr/bin:/bin:/usr/local/bin"},
                            check=True)
    out = json.loads(result.stdout)
    assert out["data"]["title"] == "Dinas Pertanian Bagikan Bibit Kelapa"
    assert out["data"]["tags"] == ["Cilacap"]
    assert out["data"]["source"] == "pemkab-cilacap"
    text = out["text"]
    assert text.startswith("Title: Dinas Pertanian Bagikan Bibit Kelapa\nDate: ")
    assert "Summary: Seribu bibit kelapa dibagikan kepada petani pesisir.\n" in text
    assert "Tags: Cilacap, pertanian, kelapa\n" in text
    assert "Modified: 2025-06-01 13:00+07:00\n" in text
    scaffolded.write_text(text, encoding="utf-8")
    report = check(repo, now=datetime(2025, 6, 2, tzinfo=ZoneInfo("UTC")))
    assert report.errors == [] and report.warnings == []
