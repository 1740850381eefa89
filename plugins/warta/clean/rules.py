"""Cleaning rules kept in data (``plugins/warta/data/*.yml``), loaded and validated.

Maintainers extend these files per source without touching code, so a
mistake in them (a broken regex, a misspelt key) is reported in Indonesian
naming the file, the key and the fix — like the source registry.
Rules are loaded once per process (:func:`default_rules`): worker processes
of a fetch run each load them on first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import soupsieve
import yaml

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
BOILERPLATE_KEYS = ("drop_blocks", "drop_related", "cut_from", "strip_text", "drop_selectors",
                    "tracking_hosts", "empty")
_KEY_RE = re.compile(r"^[a-z][a-z0-9-]*$")


class RulesError(ValueError):
    """A rules file is unusable; the message says where and why, in Indonesian."""

    def __init__(self, path: Path, where: str, message: str):
        self.path = path
        self.where = where
        super().__init__(f"{path.name}: {where}: {message}" if where else f"{path.name}: {message}")


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    drop_blocks: tuple[re.Pattern[str], ...] = ()
    drop_related: tuple[re.Pattern[str], ...] = ()
    cut_from: tuple[re.Pattern[str], ...] = ()
    strip_text: tuple[re.Pattern[str], ...] = ()
    drop_selectors: tuple[str, ...] = ()
    tracking_hosts: frozenset[str] = frozenset()
    empty: re.Pattern[str] = re.compile(r"\s*")

    def extended(self, other: BoilerplateRules, *, other_has_empty: bool) -> BoilerplateRules:
        """Global rules plus a source's own (the source's ``empty`` replaces the global one)."""
        return BoilerplateRules(
            drop_blocks=self.drop_blocks + other.drop_blocks,
            drop_related=self.drop_related + other.drop_related,
            cut_from=self.cut_from + other.cut_from,
            strip_text=self.strip_text + other.strip_text,
            drop_selectors=self.drop_selectors + other.drop_selectors,
            tracking_hosts=self.tracking_hosts | other.tracking_hosts,
            empty=other.empty if other_has_empty else self.empty,
        )


@dataclass(frozen=True, slots=True)
class CreditRules:
    labels: Mapping[str, str]
    """Lower-cased label as humas write it → credit key (``penulis``, ``editor`` …)."""
    line: re.Pattern[str]
    """A block that *starts* with a label: "Penulis : Ar, Humas Jateng"."""
    pair: re.Pattern[str]
    """Every ``label : value`` pair in such a block (value runs to the next label)."""
    paren: re.Pattern[str]
    """A credit in brackets inside a caption: "(Foto: Pemkab Cilacap)"."""
    trailing_code: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: str
    feed_terms: frozenset[str]
    keywords: re.Pattern[str] | None
    words: tuple[tuple[str, ...], ...] | None = None
    """The keywords as lower-cased words, in ``keywords``' alternation order (longest
    first), when every word is one plain ASCII run of ``[\\w-]``; else None. What
    :mod:`warta.clean.category` matches without the regex (same matches)."""


@dataclass(frozen=True, slots=True)
class CategoryRules:
    categories: tuple[Category, ...]
    fallback: str
    fallback_label: str
    title_weight: int
    body_cap: int
    min_score: int
    hoax_title: tuple[re.Pattern[str], ...]
    hoax_feed_terms: frozenset[str]
    hoax_body: tuple[re.Pattern[str], ...]
    hoax_body_min: int
    hoax_title_lowered: tuple[re.Pattern[str] | None, ...] = ()
    """Case-sensitive twins of ``hoax_title`` for lower-cased text (:func:`lowered_twin`)."""
    hoax_body_lowered: tuple[re.Pattern[str] | None, ...] = ()
    hoax_title_needs: tuple[tuple[tuple[str, ...], ...], ...] = ()
    """Per twin of ``hoax_title``: substrings its match must contain (:func:`literal_needs`)."""
    hoax_body_needs: tuple[tuple[tuple[str, ...], ...], ...] = ()
    keyword_table: Mapping[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(
        default_factory=dict)
    """Word → ``(category index, keyword words)`` of every keyword that can start with it:
    a keyword's first word, and a one-word keyword with ``-nya``. Per category in its
    alternation order (see :func:`warta.clean.category.scores`)."""

    def label(self, category_id: str | None) -> str:
        for c in self.categories:
            if c.id == category_id:
                return c.label
        return self.fallback_label

    @property
    def ids(self) -> tuple[str, ...]:
        return (*(c.id for c in self.categories), self.fallback)


@dataclass(frozen=True, slots=True)
class CleanRules:
    boilerplate: BoilerplateRules
    credits: CreditRules
    categories: CategoryRules
    per_source: Mapping[str, BoilerplateRules] = field(default_factory=dict)

    def for_source(self, source_id: str) -> BoilerplateRules:
        return self.per_source.get(source_id, self.boilerplate)


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(path, "", f"berkas tidak dapat dibaca ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}" if mark else ""
        raise RulesError(path, where, "format YAML tidak sah; periksa indentasi dan tanda kutip") \
            from exc
    if not isinstance(data, dict):
        raise RulesError(path, "", "isi berkas harus berupa pemetaan (kunci: nilai)")
    return data


def _strings(path: Path, where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(path, where, "harus berupa daftar teks, misalnya ['pola satu', 'pola dua']")
    return [v.strip() for v in value]


def _compile(path: Path, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(path, where, f"pola regex '{pattern}' tidak sah ({exc.msg}); "
                         "periksa tanda kurung dan garis miring terbalik") from exc


def _patterns(path: Path, where: str, value: Any) -> tuple[re.Pattern[str], ...]:
    return tuple(_compile(path, f"{where}[{i}]", p)
                 for i, p in enumerate(_strings(path, where, value)))


def parse_boilerplate(path: Path, where: str, data: Any) -> BoilerplateRules:
    if data is None:
        return BoilerplateRules()
    if not isinstance(data, dict):
        raise RulesError(path, where, "harus berupa pemetaan jenis aturan → daftar pola")
    unknown = sorted(set(data) - set(BOILERPLATE_KEYS))
    if unknown:
        raise RulesError(path, f"{where}.{unknown[0]}",
                         f"jenis aturan tidak dikenal; pilih salah satu: {', '.join(BOILERPLATE_KEYS)}")
    selectors = _strings(path, f"{where}.drop_selectors", data.get("drop_selectors"))
    for i, sel in enumerate(selectors):
        try:
            soupsieve.compile(sel)
        except (soupsieve.SelectorSyntaxError, ValueError) as exc:
            raise RulesError(path, f"{where}.drop_selectors[{i}]",
                             f"CSS selector '{sel}' tidak sah") from exc
    empty_src = data.get("empty")
    if empty_src is not None and not isinstance(empty_src, str):
        raise RulesError(path, f"{where}.empty", "harus berupa satu pola regex (teks)")
    return BoilerplateRules(
        drop_blocks=_patterns(path, f"{where}.drop_blocks", data.get("drop_blocks")),
        drop_related=_patterns(path, f"{where}.drop_related", data.get("drop_related")),
        cut_from=_patterns(path, f"{where}.cut_from", data.get("cut_from")),
        strip_text=_patterns(path, f"{where}.strip_text", data.get("strip_text")),
        drop_selectors=tuple(selectors),
        tracking_hosts=frozenset(h.lower() for h in _strings(
            path, f"{where}.tracking_hosts", data.get("tracking_hosts"))),
        empty=_compile(path, f"{where}.empty", empty_src) if empty_src else BoilerplateRules().empty,
    )


def load_boilerplate(path: Path) -> tuple[BoilerplateRules, dict[str, BoilerplateRules]]:
    data = _load_yaml(path)
    unknown = sorted(set(data) - {"global", "sources"})
    if unknown:
        raise RulesError(path, unknown[0], "kunci tingkat atas hanya boleh 'global' dan 'sources'")
    base = parse_boilerplate(path, "global", data.get("global"))
    sources = data.get("sources") or {}
    if not isinstance(sources, dict):
        raise RulesError(path, "sources", "harus berupa pemetaan id sumber → aturan")
    per_source: dict[str, BoilerplateRules] = {}
    for sid, rules in sources.items():
        if not isinstance(sid, str) or not _KEY_RE.match(sid):
            raise RulesError(path, f"sources.{sid}", "id sumber harus huruf kecil, angka dan '-'")
        own = parse_boilerplate(path, f"sources.{sid}", rules)
        per_source[sid] = base.extended(own, other_has_empty=bool((rules or {}).get("empty")))
    return base, per_source


def load_credits(path: Path) -> CreditRules:
    data = _load_yaml(path)
    labels_data = data.get("labels")
    if not isinstance(labels_data, dict) or not labels_data:
        raise RulesError(path, "labels", "harus berupa pemetaan kunci kredit → daftar label")
    labels: dict[str, str] = {}
    for key, names in labels_data.items():
        if not isinstance(key, str) or not _KEY_RE.match(key):
            raise RulesError(path, f"labels.{key}", "kunci kredit harus huruf kecil tanpa spasi")
        for name in _strings(path, f"labels.{key}", names):
            labels[" ".join(name.lower().split())] = key
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in label.split())
        for label in sorted(labels, key=len, reverse=True))
    label_re = rf"(?P<label>{alternatives})"
    sep = r"\s*[:：]\s*"
    code = data.get("trailing_code")
    if not isinstance(code, str):
        raise RulesError(path, "trailing_code", "harus berupa satu pola regex dengan grup (?P<kode>…)")
    trailing = _compile(path, "trailing_code", code)
    if "kode" not in trailing.groupindex:
        raise RulesError(path, "trailing_code", "pola harus punya grup bernama (?P<kode>…)")
    return CreditRules(
        labels=labels,
        line=re.compile(rf"^[\s(\[]*{label_re}{sep}\S", re.IGNORECASE),
        pair=re.compile(
            rf"{label_re}{sep}(?P<value>.+?)\s*(?=(?:[|;/,•·–-]\s*)?(?:{alternatives}){sep}|$)",
            re.IGNORECASE),
        paren=re.compile(rf"[(\[]\s*{label_re}{sep}(?P<value>[^()\[\]]{{1,120}})[)\]]", re.IGNORECASE),
        trailing_code=trailing,
    )


_SAFE_ESCAPES = frozenset("bBsSwWdDAZtnrfv")


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` (IGNORECASE) compiled case-sensitively, for lower-cased text; or None.

    Equivalent only for plain patterns, so anything else gets None (and is
    matched as written): the source must be ASCII with no upper-case letter, no
    inline flags or named groups, and no escape that could stand for a letter
    (``\\x41``, back-references) — only ``\\b``, ``\\s``, ``\\w``, ``\\d`` and the like, or
    escaped punctuation. Then every letter in it is lower-case, and on text
    lower-cased character by character (see :mod:`warta.clean.category`) a
    case-sensitive match is exactly an IGNORECASE match on the original text.
    """
    src = pattern.pattern
    if not (pattern.flags & re.IGNORECASE) or not src.isascii() or src != src.lower():
        return None
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            nxt = src[i + 1:i + 2]
            if not nxt or (nxt.isalnum() and nxt not in _SAFE_ESCAPES):
                return None
            i += 2
            continue
        if ch == "(" and src[i + 1:i + 2] == "?" and src[i + 2:i + 3] not in (":", "=", "!", "<"):
            return None
        i += 1
    return re.compile(src, pattern.flags & ~re.IGNORECASE)


def literal_needs(pattern: re.Pattern[str] | None) -> tuple[tuple[str, ...], ...]:
    """Substrings any match of a case-sensitive ``pattern`` contains: one of each tuple
    (the tuples with the fewest alternatives first).

    Read off the parsed pattern: runs of literal characters, and alternations
    whose every branch starts with literal text, outside optional parts. A text
    lacking one of them cannot match, which a few ``in`` tests tell far faster
    than a search trying the pattern at every position (the hoax patterns were
    ~15 % of the clean-up of an ordinary report, which contains none of them).
    Anything not understood adds no condition; on any surprise, none at all.
    """
    if pattern is None or pattern.flags & re.IGNORECASE:
        return ()
    try:
        # CPython's own (private) regex parser, stable across 3.11-3.13. A change that made it
        # read wrong needs instead of failing is what tests/clean/test_clean_category_fast.py's
        # randomized check (every need is in every match) is there to catch on an upgrade.
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as parser  # type: ignore[attr-defined]

        needs: list[tuple[str, ...]] = []

        def prefix(items: Any) -> str:
            chars = []
            for op, av in items:
                if op is not c.LITERAL:
                    break
                chars.append(chr(av))
            return "".join(chars)

        def walk(items: Any) -> None:
            run: list[str] = []
            for op, av in items:
                if op is c.LITERAL:
                    run.append(chr(av))
                    continue
                if run:
                    needs.append(("".join(run),))
                    run = []
                if op is c.SUBPATTERN and not av[1] and not av[2]:
                    walk(av[3])
                elif op is c.BRANCH:
                    starts = tuple(prefix(alt) for alt in av[1])
                    if all(starts):
                        needs.append(starts)
                elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                    walk(av[2])
            if run:
                needs.append(("".join(run),))

        walk(parser.parse(pattern.pattern, pattern.flags))
        # The groups are a conjunction, so their order is free: fewest alternatives first. In
        # an ordinary report some group is missing and each alternative tested costs a read of
        # the whole body, so a small missing group (":" after "faktanya|penjelasan|klarifikasi",
        # "palsu|bohong|…" after seven "informasi|kabar|…") says so in fewer reads.
        return tuple(sorted(needs, key=len))
    except Exception:  # a private module changed shape: search without the shortcut
        return ()


_RUN = re.compile(r"[\w-]+")


def _keyword_words(ordered: list[str]) -> tuple[tuple[str, ...], ...] | None:
    """Lower-cased words of each keyword, or None when one is not a plain ASCII word run."""
    out = []
    for k in ordered:
        words = tuple(k.lower().split())
        if not k.isascii() or not all(_RUN.fullmatch(w) for w in words):
            return None
        out.append(words)
    return tuple(out)


def _keyword_table(categories: list[Category]) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    table: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for index, cat in enumerate(categories):
        for words in cat.words or ():
            starts = {words[0], words[0] + "nya"} if len(words) == 1 else {words[0]}
            for start in sorted(starts):
                table.setdefault(start, []).append((index, words))
    return {k: tuple(v) for k, v in table.items()}


def load_categories(path: Path) -> CategoryRules:
    data = _load_yaml(path)
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise RulesError(path, "categories", "harus berupa pemetaan id kategori → aturan")
    out: list[Category] = []
    for cid, spec in cats.items():
        where = f"categories.{cid}"
        if not isinstance(cid, str) or not _KEY_RE.match(cid):
            raise RulesError(path, where, "id kategori harus huruf kecil, angka dan '-'")
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            raise RulesError(path, where, "setiap kategori perlu 'label' (nama untuk pembaca)")
        keywords = _strings(path, f"{where}.keywords", spec.get("keywords"))
        pattern = table_words = None
        if keywords:
            ordered = sorted(keywords, key=len, reverse=True)
            words = "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in ordered)
            pattern = re.compile(rf"(?<![\w-])(?:{words})(?:nya)?(?![\w-])", re.IGNORECASE)
            table_words = _keyword_words(ordered)
        out.append(Category(
            id=cid, label=spec["label"].strip(),
            feed_terms=frozenset(" ".join(t.lower().split()) for t in
                                 _strings(path, f"{where}.feed_terms", spec.get("feed_terms"))),
            keywords=pattern, words=table_words))
    hoax = data.get("hoax") or {}
    if not isinstance(hoax, dict):
        raise RulesError(path, "hoax", "harus berupa pemetaan title/feed_terms/body/body_min")
    fallback = data.get("fallback")
    if not isinstance(fallback, str) or not _KEY_RE.match(fallback):
        raise RulesError(path, "fallback", "harus berupa id kategori cadangan, misalnya 'umum'")

    def _int(key: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or value < 0:
            raise RulesError(path, key, "harus berupa bilangan bulat tidak negatif")
        return value

    body_min = hoax.get("body_min", 2)
    if not isinstance(body_min, int) or body_min < 1:
        raise RulesError(path, "hoax.body_min", "harus berupa bilangan bulat ≥ 1")
    return CategoryRules(
        categories=tuple(out),
        fallback=fallback,
        fallback_label=str(data.get("fallback_label") or fallback.replace("-", " ").title()),
        title_weight=_int("title_weight", 3),
        body_cap=_int("body_cap", 3),
        min_score=_int("min_score", 2),
        hoax_title=(hoax_title := _patterns(path, "hoax.title", hoax.get("title"))),
        hoax_feed_terms=frozenset(" ".join(t.lower().split())
                                  for t in _strings(path, "hoax.feed_terms", hoax.get("feed_terms"))),
        hoax_body=(hoax_body := _patterns(path, "hoax.body", hoax.get("body"))),
        hoax_body_min=body_min,
        hoax_title_lowered=(title_twins := tuple(lowered_twin(p) for p in hoax_title)),
        hoax_body_lowered=(body_twins := tuple(lowered_twin(p) for p in hoax_body)),
        hoax_title_needs=tuple(literal_needs(t) for t in title_twins),
        hoax_body_needs=tuple(literal_needs(t) for t in body_twins),
        keyword_table=_keyword_table(out),
    )


def load_rules(data_dir: Path = DATA_DIR) -> CleanRules:
    """Load every rules file in ``data_dir``; raises :class:`RulesError` on the first problem."""
    base, per_source = load_boilerplate(data_dir / "boilerplate.yml")
    return CleanRules(
        boilerplate=base,
        credits=load_credits(data_dir / "credits.yml"),
        categories=load_categories(data_dir / "categories.yml"),
        per_source=per_source,
    )


@functools.cache
def default_rules() -> CleanRules:
    """The shipped rules, loaded once per process."""
    return load_rules(DATA_DIR)
