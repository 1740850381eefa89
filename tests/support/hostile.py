"""Hostile input for the sanitizer suites: the shared XSS corpora and feeds made of them.

The corpora are read from ``/work/shared/corpora/xss`` when present (never
copied into the repository); tests using them skip otherwise.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

CORPORA = Path("/work/shared/corpora/xss")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

OWN_VECTORS = [
    "<script>window.__xss='script';document.title='XSS'</script>",
    "<img src=x onerror=\"window.__xss='img';document.title='XSS'\">",
    "<svg><animate onbegin=\"window.__xss='svg'\" attributeName=x dur=1s>",
    "<a href=\"javascript:window.__xss='a'\">klik</a>",
    "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss='mxss'\">",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss='noscript'>\"></noscript>",
    "<details open ontoggle=\"window.__xss='details'\">x</details>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss='meta'\">",
    "<base href=\"javascript:/\"><a href=\"/x\">x</a>",
    "&lt;img src=x onerror=\"window.__xss='escaped'\"&gt;",
    "&amp;lt;script&amp;gt;window.__xss='double'&amp;lt;/script&amp;gt;",
    "\"><script>window.__xss='attr'</script>",
    "</title><script>window.__xss='title'</script>",
    "<style>*{background:url(\"javascript:window.__xss='css'\")}</style>",
]


def corpus_vectors() -> dict[str, list[str]]:
    """``{corpus: [payload, …]}`` for every corpus found (empty dict if none)."""
    out: dict[str, list[str]] = {}
    if not CORPORA.is_dir():
        return out
    path = CORPORA / "html5lib" / "sanitizer_tests1.json"
    if path.exists():
        out["html5lib"] = [c["input"] for c in json.loads(path.read_text(encoding="utf-8"))]
    bleach = sorted((CORPORA / "bleach").glob("*.test"))
    if bleach:
        out["bleach"] = [p.read_text(encoding="utf-8").split("\n--\n")[0] for p in bleach]
    path = CORPORA / "dompurify" / "expect.json"
    if path.exists():
        out["dompurify"] = [c["payload"] for c in json.loads(path.read_text(encoding="utf-8"))]
    path = CORPORA / "owasp" / "xss_filter_evasion_vectors.json"
    if path.exists():
        out["owasp"] = [c["vector"] for c in json.loads(path.read_text(encoding="utf-8"))
                        if c.get("lang") in ("html", "js")]
    return {k: [v for v in vs if isinstance(v, str) and v.strip()] for k, vs in out.items() if vs}


def _x(text: str) -> str:
    return escape(_XML_ILLEGAL.sub("", text))


def hostile_rss(vectors: list[str], *, per_item: int = 4) -> str:
    """An RSS feed whose every field carries vectors: each vector lands in some body and in
    one of title / description / author / category / link."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
             'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
             "<title>Feed Jahat</title><link>https://uji.go.id/</link>"]
    chunks = [vectors[i:i + per_item] for i in range(0, len(vectors), per_item)]
    for k, chunk in enumerate(chunks):
        pad = chunk + [chunk[0]] * (per_item - len(chunk))
        body = f"<p>SEMARANG – Berita uji keamanan nomor {k}.</p>" + "".join(pad)
        parts += [
            "<item>",
            f"<title>{_x(pad[0])} Uji {k}</title>",
            f"<link>{_x(pad[3])}</link>",
            f"<guid isPermaLink=\"false\">urn:uji:xss:{k}</guid>",
            f"<pubDate>Thu, 26 Dec 2024 {k % 24:02d}:00:00 +0700</pubDate>",
            f"<dc:creator>{_x(pad[1])}</dc:creator>",
            f"<category>{_x(pad[2])}</category>",
            f"<description>{_x(pad[1])}</description>",
            f"<content:encoded>{_x(body)}</content:encoded>",
            "</item>",
        ]
    parts.append("</channel></rss>")
    return "\n".join(parts)
