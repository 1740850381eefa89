#!/usr/bin/env python3
"""Generate starter registry files from the sourced lists in sources/_lists/.

Inputs (committed, each row names where its address came from):

* ``sources/_lists/pemda_homepages.csv`` -- ``region,homepage,ref,note``: one
  row per province or regency/city whose official homepage a public list
  states. Names, ids and kinds come from the Kemendagri codes in ``lokal``.
* ``sources/_lists/nasional_homepages.csv`` --
  ``id,kind,name,short_name,homepage,ref,note``: ministries, agencies and SOEs.

Rules:

* A region or national id that already has a hand-written file (one without
  the generator marker) of the same kind is left alone: the hand-written
  entry wins, so nothing is duplicated.
* No row, no file: a region without a sourced homepage gets no entry; it is
  listed by ``--missing`` instead (an address is never built from a pattern).
* Generated entries carry no feeds: ``discover: true`` asks the first run to
  find them.

Usage::

    python scripts/registry_from_lists.py            # write/refresh files
    python scripts/registry_from_lists.py --check    # fail if files are stale
    python scripts/registry_from_lists.py --missing  # regions without a homepage
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lokal import wilayah

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"
LISTS = SOURCES / "_lists"
MARKER = ("# Dibuat oleh scripts/registry_from_lists.py dari sources/_lists/; "
          "ubah daftarnya, bukan berkas ini.")
NOTE = "# Alamat situs diambil dari daftar publik (lihat ref); feed dicari otomatis pada pengambilan pertama."
NATIONAL_DIR = "nasional"
NATIONAL_KINDS = ("kementerian", "lembaga", "bumn", "yudikatif", "tni-polri", "lainnya")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def regions() -> dict[str, tuple[str, str | None]]:
    """code -> (name, parent) for the 38 provinces and 514 regencies/cities."""
    out: dict[str, tuple[str, str | None]] = {}
    for prov in wilayah.list_wilayah():
        out[prov.code] = (prov.name.strip(), None)
    for code in [c for c, (_, parent) in out.items() if parent is None]:
        for child in wilayah.list_wilayah(code):
            out[child.code] = (child.name.strip(), code)
    return out


def pemda_identity(code: str, name: str) -> dict[str, str]:
    """id, name, short_name and kind of a regional government, from its Kemendagri name."""
    if "." not in code:
        if code == "11":  # UU 11/2006: the province's government is "Pemerintah Aceh"
            return {"id": "pemprov-aceh", "name": "Pemerintah Aceh",
                    "short_name": "Pemprov Aceh", "kind": "pemprov"}
        if name.startswith("Daerah Istimewa "):
            full = f"Pemerintah Daerah {name}"
        else:
            full = f"Pemerintah Provinsi {name}"
        return {"id": f"pemprov-{slug(name)}", "name": full,
                "short_name": f"Pemprov {name}", "kind": "pemprov"}
    for prefix, kind, short in (("Kabupaten Administrasi ", "pemkab", "Pemkab"),
                                ("Kabupaten ", "pemkab", "Pemkab"),
                                ("Kota Administrasi ", "pemkot", "Pemkot"),
                                ("Kota ", "pemkot", "Pemkot")):
        if name.startswith(prefix):
            base = name[len(prefix):]
            return {"id": f"{kind}-{slug(base)}", "name": f"Pemerintah {name}",
                    "short_name": f"{short} {base}", "kind": kind}
    raise ValueError(f"{code}: unexpected region name {name!r}")


def existing_entries() -> tuple[dict[tuple[str, str], Path], dict[str, Path]]:
    """Hand-written files: (kind, region) -> path and id -> path."""
    by_region: dict[tuple[str, str], Path] = {}
    by_id: dict[str, Path] = {}
    for path in sorted(SOURCES.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if MARKER in text:
            continue
        data = yaml.safe_load(text) or {}
        by_id[str(data.get("id"))] = path
        if data.get("region"):
            by_region[(str(data.get("kind")), str(data["region"]))] = path
    return by_region, by_id


def check_homepage(value: str, where: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        raise ValueError(f"{where}: homepage {value!r} is not an http(s) URL")
    return value


def render(entry: dict[str, str], note: str) -> str:
    lines = [MARKER, NOTE]
    if note:
        lines.append(f"# Source note: {note}")
    for key in ("id", "name", "short_name", "kind", "region", "homepage"):
        value = entry.get(key)
        if value:
            dumped = yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip()
            if key == "region":
                dumped = f'region: "{value}"'
            lines.append(dumped)
    lines.append("discover: true")
    lines.append(yaml.safe_dump({"ref": entry["ref"]}, allow_unicode=True, width=1000).strip())
    return "\n".join(lines) + "\n"


def planned() -> tuple[dict[Path, str], list[str]]:
    """Every generated file's path and text; the region codes left without one."""
    regs = regions()
    by_region, by_id = existing_entries()
    files: dict[Path, str] = {}
    covered: set[str] = {region for (kind, region) in by_region
                          if kind in ("pemprov", "pemkab", "pemkot")}

    with open(LISTS / "pemda_homepages.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["region"].strip()
            if code not in regs:
                raise ValueError(f"pemda_homepages.csv: unknown region {code}")
            name, _ = regs[code]
            entry = pemda_identity(code, name)
            covered.add(code)
            if (entry["kind"], code) in by_region or entry["id"] in by_id:
                continue  # a hand-written entry of the same kind wins
            entry.update(region=code, homepage=check_homepage(row["homepage"].strip(), code),
                         ref=row["ref"].strip())
            path = SOURCES / code.split(".")[0] / f"{entry['id']}.yml"
            if path in files:
                raise ValueError(f"{code}: id {entry['id']} generated twice")
            files[path] = render(entry, row.get("note", "").strip())

    national = LISTS / "nasional_homepages.csv"
    if national.exists():
        with open(national, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                entry = {k: (row.get(k) or "").strip() for k in
                         ("id", "kind", "name", "short_name", "homepage", "ref")}
                if entry["kind"] not in NATIONAL_KINDS:
                    raise ValueError(f"nasional_homepages.csv: {entry['id']}: kind {entry['kind']}")
                if entry["id"] in by_id:
                    continue
                check_homepage(entry["homepage"], entry["id"])
                path = SOURCES / NATIONAL_DIR / f"{entry['id']}.yml"
                if path in files:
                    raise ValueError(f"{entry['id']}: generated twice")
                files[path] = render(entry, (row.get("note") or "").strip())

    missing = [code for code in regs if code not in covered]
    return files, missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if generated files are stale")
    ap.add_argument("--missing", action="store_true", help="list regions without a sourced homepage")
    args = ap.parse_args()
    files, missing = planned()
    if args.missing:
        regs = regions()
        for code in missing:
            print(f"{code}\t{regs[code][0]}")
        print(f"{len(missing)} of {len(regs)} regions have no entry", file=sys.stderr)
        return 0
    stale = [p for p, text in files.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    orphans = [p for p in SOURCES.rglob("*.yml")
               if p not in files and MARKER in p.read_text(encoding="utf-8")]
    if args.check:
        for p in stale + orphans:
            print(f"stale: {p.relative_to(ROOT)}")
        return 1 if stale or orphans else 0
    for p in orphans:
        p.unlink()
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[p], encoding="utf-8")
    print(f"{len(files)} generated entries ({len(stale)} written, {len(orphans)} removed); "
          f"{len(missing)} regions without an entry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
