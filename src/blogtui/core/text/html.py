"""Article and comment HTML as clean text: the one place html2text is configured.

html2text runs with `unicode_snob` (the default spells `&uuml;` as `u`), no table padding, images
as `[image: alt]`, links numbered `[1]` with the list at the end, capped input, output and nesting.
Anything it chokes on falls back to plain text with the tags stripped. Call it off the event loop.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from blogtui.core.text.sanitize import clean

MAX_HTML = 2_000_000
"""Characters of HTML rendered; the rest is cut."""
MAX_TEXT = 1_000_000
"""Characters of text kept."""
MAX_LINKS = 1000
"""Links numbered; later ones show as plain text."""
MAX_NESTING = 12
"""List and quote levels shown; deeper ones are flattened."""

_LINK_LINE = re.compile(r"^ {0,3}\[(\d+)\]: (\S+)", re.MULTILINE)
_TAG = re.compile(r"<[^>]{0,2000}>")


@dataclass(frozen=True)
class RenderedText:
    """Text of an article and the links it numbered, in order ([1] is links[0])."""

    text: str
    links: list[str] = field(default_factory=list)


def _converter_class() -> type:
    import html2text  # imported on first use: it costs start-up time

    class Converter(html2text.HTML2Text):
        """html2text with blogtui's settings and limits."""

        def __init__(self, baseurl: str) -> None:
            super().__init__(baseurl=baseurl, bodywidth=0)
            self.unicode_snob = True
            self.pad_tables = False
            self.inline_links = False
            self.links_each_paragraph = False
            self.wrap_links = False
            self.protect_links = False
            self.ignore_emphasis = True
            self.use_automatic_links = False
            self.skip_internal_links = True
            self.single_line_break = False
            self._depth = {"ul": 0, "ol": 0, "blockquote": 0, "dl": 0}
            self._links = 0

        def handle_tag(self, tag: str, attrs: dict[str, str | None], start: bool) -> None:
            if tag == "img":
                if start:
                    alt = clean(attrs.get("alt") or attrs.get("title") or "", limit=200)
                    self.o(f"[image: {alt}] " if alt else "[image] ")
                return
            if tag == "a":
                if start:
                    self._links += 1
                if self._links > MAX_LINKS:
                    return
            if tag in ("script", "style", "iframe", "object", "embed", "svg", "noscript"):
                tag = "style"  # html2text drops the content of <style>
            if tag in self._depth:
                nested = sum(self._depth.values())
                self._depth[tag] += 1 if start else -1
                if (nested if start else nested - 1) >= MAX_NESTING:
                    return
            super().handle_tag(tag, attrs, start)

        def handle_data(self, data: str, entity_char: bool = False) -> None:
            # Plain text, not Markdown: don't backslash-escape "1." or "*".
            super().handle_data(data, True)

    return Converter


_converter: type | None = None


def html_to_text(source: str, base_url: str = "") -> RenderedText:
    """Render untrusted HTML as sanitised text with numbered links."""
    global _converter
    snippet = (source or "")[:MAX_HTML]
    try:
        if _converter is None:
            _converter = _converter_class()
        converter = _converter(base_url)
        markdown = converter.handle(snippet)
    except Exception:  # noqa: BLE001 - any html2text failure falls back to plain text
        return RenderedText(plain_text(snippet))
    links = [url for _, url in _LINK_LINE.findall(markdown)]
    return RenderedText(clean(markdown[:MAX_TEXT], multiline=True), links)


def plain_text(source: str) -> str:
    """HTML with the tags stripped: the fallback, and good enough for excerpts."""
    text = html.unescape(_TAG.sub(" ", (source or "")[:MAX_HTML]))[:MAX_TEXT]
    return clean(text, multiline=True).strip()
