"""Shared by the linked-data tests: reading HTML pages with the standard library's parser."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    """What a test looks at in an HTML page: links, element ids, scripts, visible text."""

    links: list[tuple[str, str]] = field(default_factory=list)  # (href, link text)
    alternates: dict[str, str] = field(default_factory=dict)  # media type -> href
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[str, str]] = field(default_factory=list)  # (type, body)
    script_sources: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    text: str = ""
    title: str = ""
    lang: str = ""
    h1: str = ""

    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}

    def json_ld(self) -> list[dict]:
        return [json.loads(body) for kind, body in self.scripts if kind == "application/ld+json"]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[tuple[str, dict]] = []
        self._buffer: list[str] = []
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag == "html":
            self.page.lang = attributes.get("lang", "")
        if tag == "link" and attributes.get("rel") == "alternate" and "type" in attributes:
            self.page.alternates.setdefault(attributes["type"], attributes["href"])
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.page.stylesheets.append(attributes["href"])
        if tag == "script" and "src" in attributes:
            self.page.script_sources.append(attributes["src"])
        if tag in ("a", "script", "title", "h1"):
            self._open.append((tag, attributes))
            self._buffer = []

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        _, attributes = self._open.pop()
        body = "".join(self._buffer).strip()
        if tag == "a" and "href" in attributes:
            self.page.links.append((attributes["href"], body))
        elif tag == "script" and "src" not in attributes:
            self.page.scripts.append((attributes.get("type", "text/javascript"), body))
        elif tag == "title":
            self.page.title = body
        elif tag == "h1":
            self.page.h1 = body

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)
        if not (self._open and self._open[-1][0] == "script"):
            self._texts.append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.page.text = " ".join(" ".join(reader._texts).split())
    return reader.page
