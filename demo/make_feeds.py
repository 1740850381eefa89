"""Render the offline demo feeds (``demo/feeds/*.xml``) from the texts in ``demo/feeds_src/``.

Why a generator rather than hand-edited XML: the demo must show one press release
rewritten by several offices (story grouping), in every feed dialect humas sites
really serve (RSS 2.0 with ``content:encoded``, Atom, RDF/RSS 1.0 with only
``dc:date``) and in legacy encodings (windows-1252, ISO-8859-1). Keeping the words
in YAML and the dialects here lets a writer fix a sentence once and keeps the
escaping and the byte encodings right.

Each ``feeds_src/<source-id>.yml`` has a ``feed`` block (format, encoding, links)
and ``items``. A body is paragraphs separated by blank lines; a paragraph that
starts with ``<`` is raw HTML (that is how the deliberate mess and the hostile
markup get in), and a line ``@E1.2`` inserts paragraph 2 of event ``E1`` from
``feeds_src/_shared.yml`` (press-release text that several offices copy).

The texts are dated around :data:`ANCHOR`, and so are the committed feeds.
``invoke demo`` instead calls :func:`materialise`, which writes the demo as of
the build day into ``var/demo/``: every date moves by the same number of whole
days (local clock times, the offsets of WIB/WITA/WIT, the order of reports and
the gaps between them stay), so the anchor day becomes today, and what would be
published later today is not in the feeds yet. Dates written in the texts move
with them (:class:`Shift`); a weekday after "setiap" is a recurring day and stays.

Usage: ``python demo/make_feeds.py`` (write) or ``python demo/make_feeds.py --check``
(exit 1 when a committed feed differs from what the texts produce).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "feeds_src"
OUT = HERE / "feeds"

ANCHOR = date(2026, 11, 24)
"""The demo's newest day, as the texts are written: :func:`materialise` makes it the build day."""
WIB = timezone(timedelta(hours=7))
SHIFT_WINDOW = timedelta(days=120)
"""Dates in the texts this close to :data:`ANCHOR` move; history ("10 November 1945") stays."""

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TAG = re.compile(r"<[^>]+>")


HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
_HARI = "|".join(HARI)
_DATE_IN_TEXT = re.compile(
    rf"(?:\b(?P<lday>{_HARI})(?P<lsep>,? ))?\b(?P<d1>\d{{1,2}})(?:–(?P<d2>\d{{1,2}}))? "
    rf"(?P<month>{'|'.join(BULAN)})\b(?: (?P<year>\d{{4}})\b)?"
    rf"|(?:\b(?P<sday>{_HARI})(?P<ssep>,? ))?\((?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})\)"
    rf"|(?<!setiap )(?<!Setiap )\b(?P<day>{_HARI})\b"
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


class Shift(NamedTuple):
    """Every date of the demo moved by ``days`` whole days, in the feeds' fields and in the texts."""

    days: int = 0

    def when(self, value: datetime) -> datetime:
        return value + timedelta(days=self.days)

    def _day(self, year: int | None, month: int, day: int) -> date | None:
        """The date meant (the year nearest the anchor when the text gives none), if it moves."""
        years = [year] if year else [ANCHOR.year - 1, ANCHOR.year, ANCHOR.year + 1]
        try:
            meant = min((date(y, month, day) for y in years), key=lambda d: abs(d - ANCHOR))
        except ValueError:
            return None
        return meant if abs(meant - ANCHOR) <= SHIFT_WINDOW else None

    def text(self, text: str) -> str:
        """``text`` with its dates ("Rabu (18/11)", "16–29 November 2026") and weekdays moved."""
        if not self.days:
            return text
        return _DATE_IN_TEXT.sub(self._moved_date, text)

    def _moved_date(self, m: re.Match[str]) -> str:
        step = timedelta(days=self.days)
        if m["day"]:
            return HARI[(HARI.index(m["day"]) + self.days) % 7]
        if m["sd"]:
            old = self._day(None, int(m["sm"]), int(m["sd"]))
            if old is None:
                return m[0]
            new = old + step
            head = f"{HARI[new.weekday()]}{m['ssep']}" if m["sday"] else ""
            return f"{head}({new.day}/{new.month})"
        year = int(m["year"]) if m["year"] else None
        old = self._day(year, BULAN.index(m["month"]) + 1, int(m["d1"]))
        if old is None:
            return m[0]
        new = old + step
        head = f"{HARI[new.weekday()]}{m['lsep']}" if m["lday"] else ""
        tail = f" {new.year}" if year else ""
        if not m["d2"]:
            return f"{head}{new.day} {BULAN[new.month - 1]}{tail}"
        end = old.replace(day=int(m["d2"])) + step
        if end.month == new.month:
            return f"{head}{new.day}–{end.day} {BULAN[end.month - 1]}{tail}"
        first = f"{new.day} {BULAN[new.month - 1]}" + (f" {new.year}" if year and end.year != new.year
                                                        else "")
        return f"{head}{first}–{end.day} {BULAN[end.month - 1]}{f' {end.year}' if year else ''}"

    def raw_date(self, text: str) -> str:
        """A date as a feed writes it: Indonesian words, or ISO digits."""
        if not self.days:
            return text

        def iso(m: re.Match[str]) -> str:
            old = self._day(int(m[1]), int(m[2]), int(m[3]))
            return m[0] if old is None else (old + timedelta(days=self.days)).isoformat()

        return _ISO_DATE.sub(iso, self.text(text))


def _tz(offset: str) -> timezone:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _when(item: dict[str, Any], feed: dict[str, Any]) -> datetime:
    return datetime.strptime(item["date"], "%Y-%m-%d %H:%M").replace(tzinfo=_tz(feed["offset"]))


def rfc822(value: datetime) -> str:
    """English RFC 822 date regardless of the machine's locale."""
    off = value.utcoffset() or timedelta()
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    zone = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return (f"{DAYS[value.weekday()]}, {value.day:02d} {MONTHS[value.month - 1]} {value.year} "
            f"{value:%H:%M:%S} {zone}")


def body_html(text: str, shared: dict[str, list[str]]) -> str:
    """Blank-line separated paragraphs → HTML; ``@E1.2`` pulls a shared paragraph."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        ref = re.fullmatch(r"@(\w+)\.(\d+)", block)
        if ref:
            block = shared[ref.group(1)][int(ref.group(2)) - 1].strip()
        out.append(block if block.startswith("<") else f"<p>{block}</p>")
    return "\n".join(out)


def excerpt(content: str, words: int = 40) -> str:
    """WordPress-style excerpt: plain text, cut at ``words`` words, then ``[…]``."""
    text = html.unescape(_TAG.sub(" ", content))
    parts = text.split()
    return " ".join(parts[:words]) + (" [&#8230;]" if len(parts) > words else "")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _link(item: dict[str, Any], feed: dict[str, Any]) -> str:
    return item.get("link") or feed["link_pattern"].format(slug=item["slug"])


def _guid(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    if item.get("guid") is False:
        return None
    if "guid" in item:
        return str(item["guid"])
    style = feed.get("guid", "link")
    if style == "none":
        return None
    if style == "wp":
        return feed["homepage"].rstrip("/") + f"/?p={feed.get('first_post', 1000) + item['_n']}"
    return _link(item, feed)


def render_rss(feed: dict[str, Any], items: list[dict[str, Any]], shared: dict[str, list[str]]) -> str:
    ns = ('xmlns:content="http://purl.org/rss/1.0/modules/content/" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:media="http://search.yahoo.com/mrss/" '
          'xmlns:atom="http://www.w3.org/2005/Atom"')
    newest = max((_when(i, feed) for i in items), default=None)
    out = [f'<?xml version="1.0" encoding="{feed["encoding"]}"?>',
           f"<rss version=\"2.0\" {ns}>", "<channel>",
           f"<title>{escape(feed['title'])}</title>",
           f"<atom:link href={quoteattr(feed['self'])} rel=\"self\" type=\"application/rss+xml\"/>",
           f"<link>{escape(feed['homepage'])}</link>",
           f"<description>{escape(feed['description'])}</description>",
           *([f"<lastBuildDate>{rfc822(newest)}</lastBuildDate>"] if newest else []),
           "<language>id</language>"]
    body_in = feed.get("body_in", "description")
    for item in items:
        content = body_html(item["body"], shared)
        out.append("<item>")
        out.append(f"<title>{escape(item['title'])}</title>")
        out.append(f"<link>{escape(_link(item, feed))}</link>")
        guid = _guid(item, feed)
        if guid:
            perma = "true" if guid == _link(item, feed) else "false"
            out.append(f'<guid isPermaLink="{perma}">{escape(guid)}</guid>')
        date = item.get("date_raw") or rfc822(_when(item, feed))
        out.append(f"<pubDate>{escape(date)}</pubDate>")
        if item.get("author"):
            out.append(f"<dc:creator>{_cdata(item['author'])}</dc:creator>")
        for cat in item.get("categories", ()):
            out.append(f"<category>{_cdata(cat)}</category>")
        if body_in == "content":
            summary = item.get("summary") or excerpt(content)
            out.append(f"<description>{_cdata(summary)}</description>")
            out.append(f"<content:encoded>{_cdata(content)}</content:encoded>")
        elif body_in == "summary":
            out.append(f"<description>{_cdata(item.get('summary') or excerpt(content, 45))}</description>")
        else:
            out.append(f"<description>{_cdata(content)}</description>")
        image = item.get("image")
        if image and feed.get("image_as") == "media":
            out.append(f'<media:content url={quoteattr(image)} medium="image" type="image/jpeg" '
                       'width="1200" height="800"/>')
        elif image and feed.get("image_as") == "enclosure":
            out.append(f'<enclosure url={quoteattr(image)} length="0" type="image/jpeg"/>')
            out.append(f"<media:thumbnail url={quoteattr(image)} width=\"640\" height=\"427\"/>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_atom(feed: dict[str, Any], items: list[dict[str, Any]], shared: dict[str, list[str]]) -> str:
    newest = max((_when(i, feed) for i in items), default=None)
    out = [f'<?xml version="1.0" encoding="{feed["encoding"]}"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">',
           f"<title>{escape(feed['title'])}</title>",
           f"<subtitle>{escape(feed['description'])}</subtitle>",
           f"<link rel=\"alternate\" href={quoteattr(feed['homepage'])}/>",
           f"<link rel=\"self\" href={quoteattr(feed['self'])}/>",
           f"<id>{escape(feed['self'])}</id>",
           *([f"<updated>{newest.isoformat()}</updated>"] if newest else [])]
    for item in items:
        content = body_html(item["body"], shared)
        when = _when(item, feed)
        out.append("<entry>")
        out.append(f"<title type=\"html\">{escape(item['title'])}</title>")
        out.append(f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(_link(item, feed))}/>")
        guid = _guid(item, feed)
        if guid:
            out.append(f"<id>{escape(guid)}</id>")
        out.append(f"<published>{item.get('date_raw') or when.isoformat()}</published>")
        if item.get("updated"):
            upd = datetime.strptime(item["updated"], "%Y-%m-%d %H:%M").replace(tzinfo=_tz(feed["offset"]))
            out.append(f"<updated>{upd.isoformat()}</updated>")
        if item.get("author"):
            out.append(f"<author><name>{escape(item['author'])}</name></author>")
        for cat in item.get("categories", ()):
            out.append(f"<category term={quoteattr(cat)}/>")
        if item.get("summary"):
            out.append(f"<summary>{escape(item['summary'])}</summary>")
        out.append(f"<content type=\"html\">{escape(content)}</content>")
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def render_rdf(feed: dict[str, Any], items: list[dict[str, Any]], shared: dict[str, list[str]]) -> str:
    out = [f'<?xml version="1.0" encoding="{feed["encoding"]}"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           f"<channel rdf:about={quoteattr(feed['self'])}>",
           f"<title>{escape(feed['title'])}</title>",
           f"<link>{escape(feed['homepage'])}</link>",
           f"<description>{escape(feed['description'])}</description>",
           "<items><rdf:Seq>"]
    out += [f"<rdf:li rdf:resource={quoteattr(_link(i, feed))}/>" for i in items]
    out += ["</rdf:Seq></items>", "</channel>"]
    for item in items:
        content = body_html(item["body"], shared)
        out.append(f"<item rdf:about={quoteattr(_link(item, feed))}>")
        out.append(f"<title>{escape(item['title'])}</title>")
        out.append(f"<link>{escape(_link(item, feed))}</link>")
        out.append(f"<description>{escape(content)}</description>")
        out.append(f"<dc:date>{item.get('date_raw') or _when(item, feed).isoformat()}</dc:date>")
        if item.get("author"):
            out.append(f"<dc:creator>{escape(item['author'])}</dc:creator>")
        for cat in item.get("categories", ()):
            out.append(f"<dc:subject>{escape(cat)}</dc:subject>")
        out.append("</item>")
    out += ["</rdf:RDF>", ""]
    return "\n".join(out)


def render_html(feed: dict[str, Any], items: list[dict[str, Any]], shared: dict[str, list[str]]) -> str:
    """A site redesign left the feed address serving the news *page* (soft 200)."""
    links = "\n".join(
        f'<li><a href="{escape(_link(i, feed))}">{escape(i["title"])}</a> '
        f'<span class="tgl">{escape(i["date"])}</span></li>' for i in items
    )
    return (f"<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"{feed['encoding']}\">"
            f"<title>{escape(feed['title'])}</title></head>\n<body>\n<header><h1>"
            f"{escape(feed['title'])}</h1></header>\n<main><h2>Berita Terbaru</h2>\n<ul>\n{links}\n"
            f"</ul></main>\n<footer>{escape(feed['description'])}</footer>\n</body></html>\n")


RENDERERS = {"rss": render_rss, "atom": render_atom, "rdf": render_rdf, "html": render_html}


def _moved(item: dict[str, Any], shift: Shift) -> dict[str, Any]:
    """``item`` as of ``shift``: its dates, and the dates in its words, moved."""
    if not shift.days:
        return item
    out = dict(item)
    for key in ("date", "updated"):
        if key in out:
            when = datetime.strptime(out[key], "%Y-%m-%d %H:%M")
            out[key] = shift.when(when).strftime("%Y-%m-%d %H:%M")
    if "date_raw" in out:
        out["date_raw"] = shift.raw_date(out["date_raw"])
    for key in ("title", "summary"):
        if key in out:
            out[key] = shift.text(out[key])
    out["body"] = shift.text(item["body"])
    return out


def render_all(shift: Shift | None = None, now: datetime | None = None) -> dict[str, bytes]:
    """Every feed file name → the bytes it must hold.

    ``shift`` moves every date; items dated after ``now`` are left out (not yet
    published). Without either: the committed feeds, dated around :data:`ANCHOR`.
    """
    shift = shift or Shift()
    shared = yaml.safe_load((SRC / "_shared.yml").read_text(encoding="utf-8"))
    shared = {event: [shift.text(p) for p in paragraphs] for event, paragraphs in shared.items()}
    out: dict[str, bytes] = {}
    for path in sorted(SRC.glob("*.yml")):
        if path.name.startswith("_"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        feed = data["feed"]
        # Newest first, as humas sites publish them; an item's number (its WordPress-style
        # guid) is its place among all of them, so it stays when later ones are held back.
        items = sorted(data["items"], key=lambda i: i["date"], reverse=True)
        items = [{**_moved(i, shift), "_n": n} for n, i in enumerate(items)]
        if now is not None:
            items = [i for i in items if _when(i, feed) <= now]
        feed.setdefault("encoding", "UTF-8")
        feed.setdefault("self", feed["homepage"].rstrip("/") + "/feed/")
        text = RENDERERS[feed["format"]](feed, items, shared)
        out[feed.get("file", path.stem + ".xml")] = text.encode(feed["encoding"], "xmlcharrefreplace")
    return out


def shift_for(now: datetime) -> Shift:
    """The shift that makes :data:`ANCHOR` the day of ``now`` in WIB."""
    return Shift((now.astimezone(WIB).date() - ANCHOR).days)


def materialise(target: Path, now: datetime) -> Path:
    """Write the demo as published by ``now`` into ``target``; returns its registry folder.

    ``target`` gets ``sources/`` (the registry, as committed), ``feeds/`` (dated by
    :func:`shift_for`, nothing later than ``now``) and ``images/``; the registry's
    ``file:../feeds/…`` and ``file:../images/…`` URLs find them there.
    """
    for name in ("sources", "feeds", "images"):
        shutil.rmtree(target / name, ignore_errors=True)
    shutil.copytree(HERE / "sources", target / "sources")
    shutil.copytree(HERE / "images", target / "images")
    (target / "feeds").mkdir()
    for name, data in render_all(shift_for(now), now).items():
        (target / "feeds" / name).write_bytes(data)
    return target / "sources"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for name, data in render_all().items():
        target = OUT / name
        if target.exists() and target.read_bytes() == data:
            continue
        stale.append(name)
        if not args.check:
            OUT.mkdir(exist_ok=True)
            target.write_bytes(data)
    if args.check and stale:
        print("feed demo tidak sesuai demo/feeds_src/: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
