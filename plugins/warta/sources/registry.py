"""Read and validate the source registry: one YAML file per humas office.

The registry is a public contract: humas staff add themselves by pull request,
often from the GitHub web editor. So validation reports *every* problem at
once, each naming the file, the line, the field and the fix, in Indonesian.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..core.messages import REGISTRY_MESSAGES
from ..core.records import FeedSpec, Source
from . import regions
from .kinds import KINDS, NATIONAL_KINDS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELDS = ("id", "name", "short_name", "kind", "region", "homepage", "feeds", "discover", "mode",
          "active", "logo", "ref")
FEED_METHODS = ("wordpress", "sitemap", "html")
HTML_OPTIONS = ("item", "title", "date", "body", "image")
MODES = ("full", "summary")


@dataclass(frozen=True, slots=True)
class RegistryError:
    """One problem in one registry file, worded for a humas reader."""

    path: Path
    field: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line:
            where += f":{self.line}"
        if self.field:
            return f"{where}: kolom '{self.field}': {self.message}"
        return f"{where}: {self.message}"


class RegistryInvalid(Exception):
    """Raised by :func:`load_registry` when ``strict`` and any file is invalid."""

    def __init__(self, errors: list[RegistryError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when available: a 1,000-source registry loads ~10× faster."""


def _key_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each top-level key, so errors can point at it."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): k.start_mark.line + 1
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }


def check_url(value: object, *, allow_file: bool = False) -> str | None:
    """Return an Indonesian reason why ``value`` is not an acceptable URL, or None."""
    if not isinstance(value, str) or not value.strip():
        return "harus berisi alamat URL (teks), misalnya https://contoh.go.id/feed/"
    if any(ch.isspace() for ch in value.strip()):
        return f"alamat '{value}' mengandung spasi"
    parts = urlsplit(value.strip())
    schemes = ("http", "https", "file") if allow_file else ("http", "https")
    if parts.scheme not in schemes:
        allowed = " atau ".join(f"{s}://" for s in schemes)
        return f"alamat '{value}' harus diawali {allowed}"
    if parts.scheme == "file":
        if not (parts.path or parts.netloc):
            return f"alamat berkas '{value}' tidak menyebut berkas"
        return None
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        return f"alamat '{value}' tidak memuat nama domain yang sah"
    return None


def _feed_lines(text: str) -> dict[int, int]:
    """Line (1-based) of each ``feeds:`` list entry, so errors point at the entry itself."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "feeds" and isinstance(v, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(v.value)}
    return {}


def _check_selector(selector: object) -> str | None:
    import soupsieve

    if not isinstance(selector, str) or not selector.strip():
        return "harus berisi selektor CSS (teks), misalnya \"h2.judul a\""
    try:
        soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        reason = str(exc).splitlines()[0]
        return (f"selektor CSS '{selector}' tidak dapat dibaca ({reason}); "
                "contoh yang benar: \"h2.judul a\", \"div.isi\", \"span.tanggal\"")
    except (TypeError, ValueError, NotImplementedError) as exc:
        return f"selektor CSS '{selector}' tidak didukung ({exc})"
    return None


def _feed_spec(raw: object, index: int, err: Any) -> FeedSpec | None:
    """Turn one ``feeds:`` entry into a FeedSpec, reporting problems via ``err``."""
    label = f"feeds[{index + 1}]"
    if isinstance(raw, str):
        problem = check_url(raw, allow_file=True)
        if problem:
            err(label, problem)
            return None
        return FeedSpec(url=raw.strip())
    if isinstance(raw, Mapping):
        keys = [str(k) for k in raw]
        methods = [k for k in keys if k in FEED_METHODS]
        unknown = [k for k in keys if k not in FEED_METHODS and k not in HTML_OPTIONS]
        if unknown:
            hints = [m for k in unknown for m in difflib.get_close_matches(k, FEED_METHODS + HTML_OPTIONS, 1)]
            hint = f" (maksud Anda '{hints[0]}'?)" if hints else ""
            err(label, f"kunci tidak dikenal: {', '.join(unknown)}{hint}; gunakan salah satu dari "
                f"{', '.join(FEED_METHODS)} (untuk 'html' juga boleh: {', '.join(HTML_OPTIONS)})")
        if not methods and not unknown:
            err(label, f"selektor ({', '.join(keys)}) harus berada di butir yang sama dengan "
                "'html:'; periksa indentasi, misalnya:\n"
                "  - html: https://contoh.go.id/berita/\n    item: \"h2.judul a\"")
            return None
        if len(methods) != 1:
            if methods or not unknown:
                err(label, "harus berisi tepat satu dari: " + ", ".join(FEED_METHODS)
                    + (f" (tertulis: {', '.join(methods)})" if methods else ""))
            return None
        method = methods[0]
        problem = check_url(raw[method], allow_file=method != "wordpress")
        if problem:
            err(f"{label}.{method}", problem)
            return None
        options: dict[str, str] = {}
        extra = [k for k in keys if k in HTML_OPTIONS]
        if method != "html" and extra:
            err(label, f"selektor ({', '.join(extra)}) hanya berlaku untuk 'html', "
                f"bukan untuk '{method}'")
            return None
        if method == "html":
            if "item" not in raw:
                err(label, "'html' wajib disertai 'item': selektor CSS tautan berita, "
                    "misalnya item: \"h2.judul a\"")
                return None
            bad = False
            for key in extra:
                problem = _check_selector(raw[key])
                if problem:
                    err(f"{label}.{key}", problem)
                    bad = True
                else:
                    options[key] = str(raw[key]).strip()
            if bad:
                return None
        if unknown:
            return None
        return FeedSpec(url=str(raw[method]).strip(), method=method, options=options)
    err(label, "harus berupa alamat feed atau pasangan seperti 'wordpress: https://…'")
    return None


def parse_source(path: Path, text: str) -> tuple[Source | None, list[RegistryError]]:
    """Validate one registry file's text; return the Source (if valid) and all errors."""
    errors: list[RegistryError] = []
    lines: dict[str, int] | None = None
    feed_lines: dict[int, int] = {}

    def err(field: str | None, message: str) -> None:
        nonlocal lines
        nonlocal feed_lines
        if lines is None:  # only files with problems pay for a second parse
            lines = _key_lines(text)
            feed_lines = _feed_lines(text)
        top = field.split("[")[0].split(".")[0] if field else None
        line = lines.get(top or "")
        m = re.match(r"feeds\[(\d+)\]", field or "")
        if m:
            line = feed_lines.get(int(m.group(1)) - 1, line)
        errors.append(RegistryError(path, field, message, line))

    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [RegistryError(path, None, f"YAML tidak dapat dibaca ({reason}); "
                                    "periksa indentasi dan tanda titik dua", line)]
    if not isinstance(data, Mapping):
        return None, [RegistryError(path, None, "berkas harus berisi pasangan kolom: nilai "
                                    "(id, name, kind, homepage, feeds, …)")]

    for key in data:
        if key not in FIELDS:
            err(str(key), "kolom tidak dikenal; kolom yang boleh: " + ", ".join(FIELDS))

    sid = data.get("id")
    if sid is None:
        err("id", "wajib diisi, misalnya id: pemkab-cilacap")
    elif not isinstance(sid, str) or not SLUG_RE.match(sid):
        err("id", f"'{sid}' harus huruf kecil, angka dan tanda hubung, misalnya pemkab-cilacap")
    elif sid != path.stem:
        err("id", f"'{sid}' harus sama dengan nama berkas; ganti nama berkas menjadi "
            f"{sid}{path.suffix} atau ubah id menjadi {path.stem}")

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        err("name", "wajib diisi dengan nama lengkap instansi, "
            "misalnya name: Pemerintah Kabupaten Cilacap")
    short = data.get("short_name")
    if short is not None and (not isinstance(short, str) or not short.strip()):
        err("short_name", "jika diisi, harus berupa teks, misalnya short_name: Pemkab Cilacap")

    kind = data.get("kind")
    if kind is None:
        err("kind", "wajib diisi; pilih salah satu dari: " + ", ".join(KINDS))
    elif kind not in KINDS:
        err("kind", f"jenis '{kind}' tidak dikenal; pilih salah satu dari: " + ", ".join(KINDS))

    region = data.get("region")
    if region is None:
        if kind in KINDS and kind not in NATIONAL_KINDS:
            err("region", "wajib diisi dengan kode wilayah Kemendagri, misalnya region: \"33\" "
                "(provinsi) atau region: \"33.01\" (kabupaten/kota)")
    elif not isinstance(region, str):
        err("region", f"kode wilayah {region} harus diberi tanda kutip, misalnya "
            f"region: \"{region}\" (tanpa kutip angka 33.10 terbaca 33.1)")
    elif regions.get(region.strip()) is None:
        err("region", f"kode wilayah '{region}' tidak ada dalam daftar Kemendagri "
            "(38 provinsi, 514 kabupaten/kota); contoh: \"33\" Jawa Tengah, \"33.01\" Cilacap")

    homepage = data.get("homepage")
    if homepage is None:
        err("homepage", "wajib diisi dengan alamat situs resmi, misalnya https://cilacapkab.go.id")
    else:
        problem = check_url(homepage)
        if problem:
            err("homepage", problem)

    discover = data.get("discover", False)
    if not isinstance(discover, bool):
        err("discover", REGISTRY_MESSAGES["discover_bool"].format(value=discover))
    feeds_raw = data.get("feeds")
    specs: list[FeedSpec] = []
    if feeds_raw is None or feeds_raw == []:
        if discover is not True:
            err("feeds", REGISTRY_MESSAGES["feeds_required"])
    elif not isinstance(feeds_raw, list):
        err("feeds", "harus berupa daftar (setiap alamat diawali '- ' di baris baru)")
    else:
        for i, raw in enumerate(feeds_raw):
            spec = _feed_spec(raw, i, err)
            if spec is not None:
                specs.append(spec)

    mode = data.get("mode", "full")
    if mode not in MODES:
        err("mode", f"'{mode}' tidak dikenal; pilih full (berita utuh) atau summary "
            "(ringkasan dan tautan ke situs sumber)")
    active = data.get("active", True)
    if not isinstance(active, bool):
        err("active", f"'{active}' harus true atau false")
    logo = data.get("logo")
    if logo is not None:
        problem = check_url(logo)
        if problem:
            err("logo", problem)

    ref = _refs(data.get("ref"))
    if ref is None:
        err("ref", REGISTRY_MESSAGES["ref_type"])

    if errors:
        return None, errors
    region_code = region.strip() if isinstance(region, str) else None
    return Source(
        id=sid,
        name=name.strip(),
        short_name=short.strip() if isinstance(short, str) else None,
        kind=kind,
        region=region_code,
        homepage=homepage.strip(),
        feeds=tuple(specs),
        mode=mode,
        active=active,
        logo=logo,
        path=path,
        timezone=regions.timezone_for(region_code),
        discover=discover is True,
        ref=ref or (),
    ), []


def _refs(value: object) -> tuple[str, ...] | None:
    """``ref``: one non-empty text or a list of them (absent: empty); None when malformed."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        return None
    return tuple(v.strip() for v in items)


def homepage_key(url: str) -> str:
    """What makes two homepages one site: the host without ``www.`` (and port 80/443) and
    the path. Scheme, letter case of the host and a trailing slash do not count:
    ``http://www.x.go.id/`` and ``https://X.go.id`` are one site."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port not in (None, 80, 443) else host
    return netloc + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def registry_files(root: Path) -> list[Path]:
    """Every YAML file under ``root`` (folders only group files for humans)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def validate_sources(sources: Iterable[Source]) -> list[RegistryError]:
    """Cross-file checks: duplicate ids."""
    seen: dict[str, Path] = {}
    errors: list[RegistryError] = []
    for s in sources:
        assert s.path is not None
        if s.id in seen:
            errors.append(RegistryError(s.path, "id", f"'{s.id}' sudah dipakai oleh {seen[s.id]}; "
                                        "setiap sumber harus memiliki id unik"))
        else:
            seen[s.id] = s.path
    return errors


def load_registry(root: Path, *, strict: bool = False) -> tuple[list[Source], list[RegistryError]]:
    """Load every source under ``root``; invalid files are reported and skipped.

    With ``strict`` any error raises :class:`RegistryInvalid` (used by
    ``invoke check``); the aggregator runs non-strict so one bad file never
    stops the other sources.
    """
    sources: list[Source] = []
    errors: list[RegistryError] = []
    if not root.is_dir():
        errors.append(RegistryError(root, None, "folder registri sumber tidak ditemukan"))
    else:
        for path in registry_files(root):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                errors.append(RegistryError(path, None, "berkas harus disimpan sebagai UTF-8"))
                continue
            src, errs = parse_source(path, text)
            errors.extend(errs)
            if src is not None:
                sources.append(src)
    dup = validate_sources(sources)
    if dup:
        errors.extend(dup)
        bad = {(e.path) for e in dup}
        sources = [s for s in sources if s.path not in bad]
    if strict and errors:
        raise RegistryInvalid(errors)
    return sources, errors
