"""The optional editorial UI at ``/admin/``: Decap CMS with the editorial workflow.

Editors who never touch git write and correct articles in a form; each save
becomes a pull request (``publish_mode: editorial_workflow``) that runs the
same checks and is reviewed by the same CODEOWNERS as a web-editor change.

``config.yml`` is generated from the registry on every build, one collection
per source, so each collection saves exactly where ``invoke check`` expects
(``content/<province>/<source-id>/<yyyy>/<slug>.md``) with ``Source`` fixed
and ``Category`` limited to the controlled vocabulary. Files are saved in
Pelican's own Markdown header format through the custom ``pelican`` format
(``admin/pelican-format.js``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..core.outfiles import write_if_changed
from ..core.records import Source
from ..core.settings import setting
from ..sources import regions
from . import articles
from .categories import default_category, vocabulary

ASSETS = Path(__file__).resolve().parents[1] / "admin"
STATIC_FILES = ("index.html", "pelican-format.js")


def _region_label(source: Source) -> str:
    if source.province is None:
        return "Nasional"
    region = regions.get(source.province)
    return region.name.title() if region else source.province


def collection(source: Source) -> dict[str, Any]:
    """One Decap folder collection writing into ``source``'s own folder."""
    folder = articles.source_folder(source).as_posix()
    optional = {"required": False}
    return {
        "name": source.id,
        "label": f"{source.display_name} ({_region_label(source)})",
        "label_singular": "Berita",
        "description": f"Berita {source.name}. Setiap simpanan menjadi pull request yang "
                       "diperiksa otomatis lalu ditinjau humas wilayah Anda.",
        "folder": f"content/{folder}",
        "path": "{{year}}/{{slug}}",
        "extension": "md",
        "format": "pelican",
        "create": True,
        "media_folder": f"/content/{articles.IMAGES_DIR}/{folder}",
        "public_folder": f"/{articles.IMAGES_DIR}/{folder}",
        "sortable_fields": ["date", "title"],
        "summary": "{{title}}",
        "fields": [
            {"label": "Judul", "name": "title", "widget": "string"},
            {"label": "Waktu terbit", "name": "date", "widget": "datetime",
             "format": "YYYY-MM-DD HH:mmZ", "hint": "Tanggal dan jam berita diterbitkan."},
            {"label": "Waktu koreksi (tampil sebagai \u201cDiperbarui\u201d)", "name": "modified",
             "widget": "datetime", "format": "YYYY-MM-DD HH:mmZ", **optional,
             "hint": "Isi hanya saat mengoreksi berita yang sudah terbit."},
            {"label": "Sumber", "name": "source", "widget": "hidden", "default": source.id},
            {"label": "Kategori", "name": "category", "widget": "select",
             "default": default_category(),
             "options": [{"label": label, "value": slug} for slug, label in vocabulary().items()]},
            {"label": "Topik", "name": "tags", "widget": "list", "default": [],
             "hint": "Pisahkan dengan koma, misalnya: nama daerah, program, instansi."},
            {"label": "Ringkasan", "name": "summary", "widget": "text",
             "hint": "Satu-dua kalimat, paling banyak 300 huruf."},
            {"label": "Foto utama", "name": "image", "widget": "image",
             "hint": f"JPEG/PNG/WebP, paling besar {articles.IMAGE_MAX_BYTES // 1000} KB."},
            {"label": "Nama penulis (tampil di situs)", "name": "author", "widget": "string",
             **optional},
            {"label": "Penulis naskah", "name": "penulis", "widget": "string", **optional},
            {"label": "Editor", "name": "editor", "widget": "string", **optional},
            {"label": "Isi berita", "name": "body", "widget": "markdown",
             "buttons": ["bold", "italic", "link", "heading-two", "heading-three", "quote",
                         "bulleted-list", "numbered-list"],
             "editor_components": ["image"]},
        ],
    }


def decap_config(sources: Iterable[Source], settings: dict[str, Any]) -> dict[str, Any]:
    """The whole ``admin/config.yml`` document."""
    ordered = sorted(sources, key=lambda s: (articles.region_folder(s), s.id))
    return {
        "backend": {
            "name": "github",
            "repo": setting(settings, "WARTA_ADMIN_REPO"),
            "branch": setting(settings, "WARTA_ADMIN_BRANCH"),
            "commit_messages": {
                "create": "Berita baru ({{collection}}): {{slug}}",
                "update": "Perbarui berita ({{collection}}): {{slug}}",
                "delete": "Hapus berita ({{collection}}): {{slug}}",
                "uploadMedia": "Unggah foto {{path}}",
                "deleteMedia": "Hapus foto {{path}}",
            },
        },
        "publish_mode": "editorial_workflow",
        "site_url": settings.get("SITEURL") or None,
        "media_folder": f"content/{articles.IMAGES_DIR}",
        "public_folder": f"/{articles.IMAGES_DIR}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(s) for s in ordered if s.active],
    }


def write_admin(output: Path, sources: Iterable[Source], settings: dict[str, Any]) -> Path:
    """Write ``admin/`` (page, format, generated config) into the built site."""
    target = output / "admin"
    target.mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        write_if_changed(target / name, (ASSETS / name).read_bytes())
    config = {k: v for k, v in decap_config(sources, settings).items() if v is not None}
    # The YAML of 1,000 sources takes seconds to emit; its input digest (first line) lets an
    # hourly build with an unchanged registry leave the file alone.
    digest = hashlib.blake2b(json.dumps(config, sort_keys=True, ensure_ascii=False, default=str).encode(),
                             digest_size=12).hexdigest()
    first = f"# warta-input: {digest}\n"
    path = target / "config.yml"
    try:
        with path.open(encoding="utf-8") as f:
            if f.readline() == first:
                return target
    except OSError:
        pass
    header = first + ("# Dibuat otomatis dari registri sumber setiap kali situs dibangun "
                      "(plugins/warta/editorial.py); jangan diubah manual.\n")
    # libyaml's emitter when present: the pure-Python one took 13 s for 1,000 sources.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = header + yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False)
    write_if_changed(path, text.encode("utf-8"))
    return target

