"""Invariants every cleaned field must hold, checked by walking the output like a browser would."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from warta.clean.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_URL_ATTRS = {"href", "src", "cite"}
# What the build's image step adds after sanitizing: <picture>/<source> with our own
# derivatives, and loading hints. srcset URLs are checked like src.
_IMAGE_STEP = {
    "picture": set(),
    "source": {"srcset", "sizes", "type", "width", "height"},
    "img": {"loading", "decoding", "srcset", "sizes", "class"},
}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS and tag not in _IMAGE_STEP:
            self.problems.append(f"tag <{tag}>")
        allowed = (ALLOWED_ATTRIBUTES.get(tag, set()) | _IMAGE_STEP.get(tag, set())
                   | ({"rel"} if tag == "a" else set()))
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name == "srcset":
                for part in (value or "").split(","):
                    url = part.strip().split(" ")[0]
                    if url and not url.lower().startswith(("http://", "https://")):
                        self.problems.append(f"url {url!r} in srcset")
            if name in _URL_ATTRS:
                v = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
                if not (v.startswith(("http://", "https://")) or (tag == "a" and v.startswith("mailto:"))):
                    self.problems.append(f"url {value!r} in {name}")
            # The clean stage's rel, or the one pages give links of feed bodies (site.bridge).
            if name == "rel" and value not in ("noopener", "noopener nofollow"):
                self.problems.append(f"rel={value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")


def html_problems(fragment: str) -> list[str]:
    """Everything in ``fragment`` outside the allow-list (empty list: safe)."""
    checker = _Checker()
    checker.feed(fragment)
    checker.close()
    return checker.problems


def plain_problems(text: str) -> list[str]:
    """A plain-text field must not be able to open a tag however it is printed."""
    out = []
    if TAG_OPEN.search(text) or TAG_OPEN.search(html.unescape(text)):
        out.append(f"tag opener in {text[:80]!r}")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        out.append("control character")
    return out
