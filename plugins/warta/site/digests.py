"""What a page is made of, as digests: the build's salt and the fingerprints of page inputs.

The incremental writer (:mod:`.incremental`) compares these with the previous
build's to decide which pages to render; the settled step (:mod:`.settled`)
takes every report's fingerprint once and hands the cache on to the writer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

VOLATILE_SETTINGS = frozenset({
    "WARTA_BUILD_TIME", "WARTA_INCREMENTAL", "WARTA_BUILD_STATE", "DELETE_OUTPUT_DIRECTORY",
    "OUTPUT_PATH", "PATH", "CACHE_PATH", "WARTA_DB", "WARTA_SOURCES", "WARTA_ROOT",
    "LOAD_CONTENT_CACHE", "CACHE_CONTENT", "OUTPUT_RETENTION", "WRITE_SELECTED",
    "PELICAN_CLASS", "BIND", "PORT", "THEME", "PLUGIN_PATHS", "WARTA_SEARCH_DURING_BUILD",
    "WARTA_RENDER_PROCESSES",
})
"""Settings that do not change what a page shows (paths, modes, the build clock).

``THEME`` and ``PLUGIN_PATHS`` are absolute after Pelican reads the settings; the
templates and plugin code they point at are hashed by content, so a moved
checkout keeps its build state."""


FINGERPRINTS_KEY = "warta_fingerprints"
"""Context key: the :class:`Fingerprints` the settled step took, adopted by the writer."""


class Unfingerprintable(TypeError):
    """A page argument of a type the digest does not know: the page is always rendered."""





def short_digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def _stable_setting(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_stable_setting(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _stable_setting(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, PurePath | datetime | date):
        return str(value)
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return type(value).__name__


_SALT_SUFFIXES = frozenset((".html", ".xml", ".j2", ".py", ".json", ".txt", ".yml", ".yaml"))
"""Files of the theme and plugin that shape pages. ``.yml``: the clean-up rules
(``plugins/warta/data/categories.yml`` names the categories every article page shows)."""


def build_salt(settings: Mapping[str, Any], theme_dirs: list[Path] | None = None) -> str:
    """Digest of templates, plugin code and data, Pelican version and settings."""
    import pelican

    h = hashlib.blake2b(digest_size=16)
    h.update(getattr(pelican, "__version__", "").encode())
    dirs = list(theme_dirs or [])
    if not dirs:
        dirs.append(Path(settings["THEME"]) / "templates")
        dirs += [Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    dirs.append(Path(__file__).resolve().parents[1])
    for folder in dirs:
        if not folder.is_dir():
            continue
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.suffix in _SALT_SUFFIXES:
                h.update(str(f.relative_to(folder)).encode())
                h.update(f.read_bytes())
    stable = {k: _stable_setting(v) for k, v in settings.items()
              if k not in VOLATILE_SETTINGS and k.isupper()}
    h.update(json.dumps(stable, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


_SCALARS = (bool, int, float, str)
_DATES = (datetime, date)
_NAMED = (PurePath, Enum)
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """Field names of a dataclass type (None for other types), looked up once per type."""
    try:
        return _FIELDS[cls]
    except KeyError:
        # A field marked ``metadata={"digest": False}`` (a listing's whole article list, whose
        # pages fingerprint their own slice) is left out.
        names = (tuple(f.name for f in dataclasses.fields(cls)
                       if f.metadata.get("digest", True))
                 if dataclasses.is_dataclass(cls) else None)
        _FIELDS[cls] = names
        return names


BODY_IMAGES_ATTR = "warta_body_images"
"""Article attribute set by the image step: a digest of what rewriting the body's ``<img>``
will put in (the served images); the body itself is rewritten only when read (site/images.py)."""


class Fingerprints:
    """Digests of page inputs, cached per object for one build.

    Objects are cached by ``id()`` and kept alive in the cache, so an id is
    never reused within a build.
    """

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, str]] = {}

    def of(self, obj: Any) -> str:
        # The cache first: most calls are for articles already seen (each article is on
        # its own page, its neighbours' pages and ~4 listing pages).
        cached = self._cache.get(id(obj))
        if cached is not None and cached[0] is obj:
            return cached[1]
        if obj is None or isinstance(obj, _SCALARS):
            return repr(obj)
        if isinstance(obj, _DATES):
            return obj.isoformat()
        if isinstance(obj, _NAMED):
            return str(obj)
        digest = self._compute(obj)
        self._cache[id(obj)] = (obj, digest)
        return digest

    def _compute(self, obj: Any) -> str:
        from pelican.contents import Content
        from pelican.urlwrappers import URLWrapper

        if isinstance(obj, Content):
            return self._content(obj)
        if isinstance(obj, URLWrapper):
            return short_digest(type(obj).__name__, obj.name, obj.slug, str(obj.url), str(obj.save_as))
        names = _field_names(type(obj))
        if names is not None:
            return short_digest(type(obj).__name__, *(f"{n}={self.of(getattr(obj, n))}" for n in names))
        if isinstance(obj, Mapping):
            return short_digest("{", *(f"{self.of(k)}:{self.of(v)}" for k, v in obj.items()))
        if isinstance(obj, list | tuple):
            return short_digest("[", *(self.of(x) for x in obj))
        if isinstance(obj, set | frozenset):
            return short_digest("{", *sorted(self.of(x) for x in obj))
        raise Unfingerprintable(type(obj).__name__)

    def _content(self, c: Any) -> str:
        """An article or page: what it shows and where it lives."""
        row = getattr(c, "warta_fingerprint", None)
        if row is not None:
            # An archived item: its metadata is a function of its archive row (bridge.py), and
            # so is its WartaInfo except the source (shared, fingerprinted once) and what the
            # image step sets later. Walking every WartaInfo field (credits, dates) of 100,000
            # articles took ~4 s of each build.
            info = getattr(c, "warta", None)
            info_fp = (short_digest("WartaInfo:row", self.of(info.source), self.of(info.image),
                                    str(info.lead_in_body))
                       if type(info).__name__ == "WartaInfo" else self.of(info))
            return short_digest(
                # The body is not read here: its content hash is in ``row``, and what the
                # image step will put in it is BODY_IMAGES_ATTR.
                type(c).__name__, str(c.source_path), str(c.save_as), str(c.url), row,
                str(getattr(c, BODY_IMAGES_ATTR, "")),
                self.of(getattr(c, "_summary", None)), info_fp,
                str(getattr(c, "status", "")), str(getattr(c, "template", "")),
                str(getattr(c, "lang", "")),
            )
        meta = {k: v for k, v in c.metadata.items() if k != "summary"}
        return short_digest(
            type(c).__name__, str(c.source_path), str(c.save_as), str(c.url), c.title,
            self.of(getattr(c, "date", None)), self.of(getattr(c, "modified", None)),
            c._content or "", str(getattr(c, BODY_IMAGES_ATTR, "")),
            self.of(getattr(c, "_summary", None)),
            self.of(c.metadata.get("summary")), self.of(meta),
            self.of(getattr(c, "warta", None)), str(getattr(c, "status", "")),
            str(getattr(c, "template", "")), str(getattr(c, "lang", "")),
            self.of([(t.url, t.lang) for t in getattr(c, "translations", ())]),
        )
