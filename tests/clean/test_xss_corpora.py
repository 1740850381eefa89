"""Every XSS vector of the shared corpora, in every field, through normalize."""

from __future__ import annotations

import pytest
from warta.clean.normalize import normalize
from warta.clean.rules import default_rules
from warta.clean.urls import safe_url

from tests.support.hostile import OWN_VECTORS, corpus_vectors
from tests.support.items import SEEN, entry, source
from tests.support.safety import html_problems, plain_problems

CORPORA = corpus_vectors()
FIELDS = ("title", "content", "summary", "author", "category", "link")


def _entry_with(field: str, vector: str):
    if field == "title":
        return entry(title=vector)
    if field == "content":
        return entry(f"<p>Isi.</p>{vector}")
    if field == "summary":
        return entry("", summary_html=vector)
    if field == "author":
        return entry(authors=(vector,))
    if field == "category":
        return entry(categories=(vector,))
    return entry(link=vector)


def check_item(vector: str, field: str) -> list[str]:
    item = normalize(_entry_with(field, vector), source(), seen_at=SEEN)
    problems = [f"content: {p}" for p in html_problems(item.content_html)]
    for name, text in (("title", item.title), ("summary", item.summary),
                       ("place", item.place or ""), *(("author", a) for a in item.authors),
                       *(("tag", t) for t in item.tags), *item.credits.items()):
        problems += [f"{name}: {p}" for p in plain_problems(text)]
    if item.link is not None and safe_url(item.link) != item.link:
        problems.append(f"link {item.link!r}")
    if item.image is not None and safe_url(item.image) != item.image:
        problems.append(f"image {item.image!r}")
    if item.category not in default_rules().categories.ids:
        problems.append(f"category {item.category!r}")
    return problems


@pytest.mark.parametrize("corpus", ["own", *sorted(CORPORA)] if CORPORA else ["own"])
def test_every_vector_in_every_field(corpus: str) -> None:
    vectors = OWN_VECTORS if corpus == "own" else CORPORA[corpus]
    failures = []
    for vector in vectors:
        for field in FIELDS:
            failures += [f"[{field}] {vector[:60]!r}: {p}" for p in check_item(vector, field)]
    assert failures == [], "\n".join(failures[:20])


def test_corpora_present_or_skipped() -> None:
    if not CORPORA:
        pytest.skip("XSS corpora not present at /work/shared/corpora/xss")
    assert {"html5lib", "bleach", "dompurify", "owasp"} <= set(CORPORA)
    assert sum(len(v) for v in CORPORA.values()) > 350
