"""The source registry: a public contract validated with every error at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from warta.sources import regions
from warta.sources.registry import RegistryInvalid, load_registry, parse_source

from tests.conftest import write_source

GOOD = """\
id: pemkab-cilacap
name: Pemerintah Kabupaten Cilacap
short_name: Pemkab Cilacap
kind: pemkab
region: "33.01"
homepage: https://cilacapkab.go.id
feeds:
  - https://cilacapkab.go.id/feed/
mode: full
active: true
"""


def test_valid_file_gives_a_source_with_its_zone(tmp_path: Path) -> None:
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", GOOD)
    assert errors == []
    assert src is not None
    assert src.region == "33.01" and src.province == "33"
    assert src.timezone == "Asia/Jakarta"
    assert src.feeds[0].url == "https://cilacapkab.go.id/feed/"
    assert src.display_name == "Pemkab Cilacap"


@pytest.mark.parametrize(("region", "zone"), [
    ("52.71", "Asia/Makassar"),  # Kota Mataram, NTB: WITA
    ("73", "Asia/Makassar"),  # Sulawesi Selatan
    ("91.71", "Asia/Jayapura"),  # Kota Jayapura: WIT
    ("95", "Asia/Jayapura"),  # Papua Pegunungan, one of the new provinces
    ("64", "Asia/Makassar"),  # Kalimantan Timur
    ("61", "Asia/Jakarta"),  # Kalimantan Barat is WIB
])
def test_zone_follows_the_province(tmp_path: Path, region: str, zone: str) -> None:
    text = GOOD.replace('"33.01"', f'"{region}"')
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", text)
    assert errors == [] and src is not None
    assert src.timezone == zone


def test_national_bodies_need_no_region_and_are_wib(tmp_path: Path) -> None:
    text = GOOD.replace("kind: pemkab", "kind: kementerian").replace('region: "33.01"\n', "")
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", text)
    assert errors == [] and src is not None
    assert src.region is None and src.timezone == "Asia/Jakarta"


def test_every_error_is_reported_at_once_with_file_field_and_line(tmp_path: Path) -> None:
    bad = """\
id: Pemkab_Cilacap
name: ""
kind: kabupaten
region: "99.99"
homepage: ftp://cilacapkab.go.id
feeds:
  - notaurl
  - javascript:alert(1)
mode: kadang
active: ya
homepge: https://typo.example
"""
    path = tmp_path / "pemkab-cilacap.yml"
    src, errors = parse_source(path, bad)
    assert src is None
    fields = {e.field for e in errors}
    assert {"id", "name", "kind", "region", "homepage", "feeds[1]", "feeds[2]", "mode", "active",
            "homepge"} <= fields
    rendered = [str(e) for e in errors]
    assert all(r.startswith(str(path)) for r in rendered)
    kind_err = next(e for e in errors if e.field == "kind")
    assert kind_err.line == 3
    assert "kabupaten" in kind_err.message and "pemkab" in kind_err.message
    region_err = next(e for e in errors if e.field == "region")
    assert "99.99" in region_err.message


def test_unquoted_region_is_explained(tmp_path: Path) -> None:
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", GOOD.replace('"33.01"', "33.10"))
    assert src is None
    assert any(e.field == "region" and "kutip" in e.message for e in errors)


def test_id_must_equal_file_name(tmp_path: Path) -> None:
    src, errors = parse_source(tmp_path / "cilacap.yml", GOOD)
    assert src is None
    assert [e.field for e in errors] == ["id"]
    assert "cilacap.yml" in errors[0].message or "cilacap" in errors[0].message


def test_region_required_for_regional_kinds(tmp_path: Path) -> None:
    _, errors = parse_source(tmp_path / "pemkab-cilacap.yml", GOOD.replace('region: "33.01"\n', ""))
    assert [e.field for e in errors] == ["region"]
    for kind in ("pemprov", "pemkot", "dprd", "instansi-vertikal", "bumd"):
        text = GOOD.replace("kind: pemkab", f"kind: {kind}").replace('region: "33.01"\n', "")
        assert [e.field for e in parse_source(tmp_path / "pemkab-cilacap.yml", text)[1]] == ["region"]


@pytest.mark.parametrize("kind", ["tni-polri", "yudikatif", "lainnya"])
def test_headquarters_of_kinds_with_regional_offices_may_be_national(tmp_path: Path, kind: str) -> None:
    """Polri's headquarters is national, a Polda is not: both are ``tni-polri``."""
    national = GOOD.replace("kind: pemkab", f"kind: {kind}").replace('region: "33.01"\n', "")
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", national)
    assert errors == [] and src is not None and src.region is None
    with_region = GOOD.replace("kind: pemkab", f"kind: {kind}")
    regional, errors = parse_source(tmp_path / "pemkab-cilacap.yml", with_region)
    assert errors == [] and regional is not None and regional.region == "33.01"


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    _, errors = parse_source(tmp_path / "x.yml", "id: x\nname: [tidak ditutup\nkind: pemkab\n")
    assert len(errors) == 1 and errors[0].line is not None
    assert "YAML" in errors[0].message


def test_duplicate_ids_across_folders_and_bad_files_do_not_stop_the_rest(tmp_path: Path) -> None:
    write_source(tmp_path / "33", "pemkab-a", ["https://a.go.id/feed/"])
    write_source(tmp_path / "35", "pemkab-b", ["https://b.go.id/feed/"], region="35.01")
    dup = tmp_path / "lain" / "pemkab-b.yml"
    dup.parent.mkdir()
    dup.write_text((tmp_path / "35" / "pemkab-b.yml").read_text())
    write_source(tmp_path / "33", "rusak", ["bukan-url"])
    sources, errors = load_registry(tmp_path)
    # The first file (in path order) keeps the id; the duplicate and the broken file are reported.
    assert [s.id for s in sources] == ["pemkab-a", "pemkab-b"]
    assert sources[1].path == tmp_path / "35" / "pemkab-b.yml"
    assert any(e.path == dup and e.field == "id" for e in errors)
    assert any(e.field == "id" and "sudah dipakai" in e.message for e in errors)
    assert any(e.field == "feeds[1]" for e in errors)
    with pytest.raises(RegistryInvalid):
        load_registry(tmp_path, strict=True)


def test_feed_mappings_are_validated(tmp_path: Path) -> None:
    write_source(tmp_path, "pemkot-x", [
        {"wordpress": "https://x.go.id/"},
        {"html": "https://x.go.id/berita/"},
        {"html": "https://x.go.id/berita/", "item": "h2 >>> a"},
        {"rss": "https://x.go.id/feed"},
    ], kind="pemkot", region="33.71")
    _, errors = load_registry(tmp_path)
    messages: dict[str | None, str] = {}
    for e in errors:
        messages[e.field] = messages.get(e.field, "") + " " + e.message
    assert "item" in messages["feeds[2]"]
    assert "selektor" in messages["feeds[3].item"]
    assert "rss" in messages["feeds[4]"]


def test_region_reference_list_is_complete() -> None:
    provs = regions.provinces()
    assert len(provs) == 38
    assert sum(len(regions.children(p.code)) for p in provs) == 514
    assert regions.get("33.01").name == "Kabupaten Cilacap"


DISCOVER = """\
# Alamat situs dari daftar publik; feed dicari otomatis.
id: pemkab-cilacap
name: Pemerintah Kabupaten Cilacap
kind: pemkab
region: "33.01"
homepage: https://cilacapkab.go.id
discover: true
ref: https://id.wikipedia.org/wiki/Kabupaten_Cilacap
"""


def test_discover_entry_needs_no_feeds_and_keeps_its_refs(tmp_path: Path) -> None:
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", DISCOVER)
    assert errors == [] and src is not None
    assert src.discover is True and src.feeds == ()
    assert src.ref == ("https://id.wikipedia.org/wiki/Kabupaten_Cilacap",)
    listed = DISCOVER.replace("ref: https://id.wikipedia.org/wiki/Kabupaten_Cilacap",
                              "ref:\n  - daftar situs Kemendagri\n  - infobox Wikipedia")
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", listed + "feeds: []\n")
    assert errors == [] and src is not None
    assert src.ref == ("daftar situs Kemendagri", "infobox Wikipedia") and src.feeds == ()
    # An entry with feeds may say discover too; its feeds are what is read.
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml",
                               DISCOVER + "feeds:\n  - https://cilacapkab.go.id/feed/\n")
    assert errors == [] and src is not None and len(src.feeds) == 1


def test_missing_feeds_error_points_at_discover(tmp_path: Path) -> None:
    text = DISCOVER.replace("discover: true\n", "")
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", text)
    assert src is None and [e.field for e in errors] == ["feeds"]
    assert "discover: true" in errors[0].message
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml",
                               DISCOVER.replace("discover: true", "discover: false"))
    assert src is None and [e.field for e in errors] == ["feeds"]


@pytest.mark.parametrize(("line", "field"), [
    ("discover: ya", "discover"),
    ('discover: "true"', "discover"),
    ('ref: ""', "ref"),
    ("ref: []", "ref"),
    ("ref:\n  - ok\n  - 3", "ref"),
    ("ref: {url: x}", "ref"),
])
def test_discover_and_ref_must_be_well_formed(tmp_path: Path, line: str, field: str) -> None:
    key = line.split(":")[0]
    text = "\n".join(x for x in DISCOVER.splitlines() if not x.startswith(key + ":"))
    text += f"\n{line}\n"
    if field == "ref":
        text += "discover: true\n" if "discover:" not in text else ""
    src, errors = parse_source(tmp_path / "pemkab-cilacap.yml", text)
    assert src is None
    assert field in {e.field for e in errors}, errors
    bad = next(e for e in errors if e.field == field)
    assert bad.line is not None and str(tmp_path / "pemkab-cilacap.yml") in str(bad)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://www.cilacapkab.go.id/", "http://cilacapkab.go.id", True),
    ("https://CilacapKab.go.id:443/", "https://cilacapkab.go.id", True),
    ("https://x.go.id/dprd/", "https://x.go.id", False),
    ("https://x.go.id:8080/", "https://x.go.id", False),
    ("https://humas.x.go.id", "https://x.go.id", False),
])
def test_homepage_key_tells_one_site_from_two(a: str, b: str, same: bool) -> None:
    from warta.sources.registry import homepage_key

    assert (homepage_key(a) == homepage_key(b)) is same
