"""HTML to plain text in one linear pass: the one tag stripper, for excerpts, messages, search.

No regular expression: a scanner walks the input once. Every `str.find` it makes starts past the
point the previous one of its kind ended (or is remembered), so `<<<<…`, `<a<a<a…` or `<!--<!--…`
cost time linear in their length. It follows browsers where they differ from a naive regex:

- The content of elements a browser does not show (`script`, `style`, `template`, `noscript`,
  `iframe`, `object`, `svg`, `title`…) is dropped with them;
  an element of that kind left open hides the rest, as it does in a browser.
- A comment left open (`<!--` without `-->`) hides the rest, as it does in a browser: showing it
  raw would show markup, and treating it as text would show what its author hid.
- A `<` not followed by a letter, `/`, `!` or `?` is text (`a < b`, `<<<`); a tag never closed by
  `>` is text too (its `<` shows), which keeps a stray `<` from swallowing what follows.

Block tags become line breaks, inline ones (`a`, `em`…) nothing, other tags a space; entities
are decoded last.
"""

from __future__ import annotations

import html

MAX_TAG = 4000
"""Characters one tag may span; a longer "tag" is text (its `<` shows)."""

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6"
    " header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
"""Tags that start a new line."""
INLINE_TAGS = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q s samp"
    " small span strike strong sub sup time tt u var wbr".split()
)
"""Tags inside a run of text: they add nothing (`<a>link</a>,` reads "link,", not "link ,")."""
HIDDEN_TAGS = frozenset(
    "iframe noembed noframes noscript object script style svg template title".split()
)
"""Elements whose content a reader never sees."""

_NAME_END = frozenset(" \t\n\r\f/>")


def _tag_name(source: str, start: int, end: int) -> str:
    """The lowercased name of the tag `source[start:end]` (after `<` or `</`)."""
    stop = start
    while stop < end and source[stop] not in _NAME_END and stop - start < 16:
        stop += 1
    return source[start:stop].lower()


class _Scanner:
    """One pass over `source`, collecting text pieces."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lower = ""
        self.out: list[str] = []
        self.next_close = -2
        """Index of the next `>` at or after the last search point, or -1 if none is left."""

    def close_after(self, index: int) -> int:
        """The index of the first `>` at or after `index`, or -1 (amortised: linear overall)."""
        if self.next_close == -1:
            return -1
        if self.next_close < index:
            self.next_close = self.source.find(">", index)
        return self.next_close

    def skip_hidden(self, name: str, index: int) -> int:
        """Where scanning resumes after the hidden element `name` whose start tag ends before
        `index`: after its end tag, or the end of the input when it is never closed."""
        if not self.lower:
            self.lower = self.source.lower()
        closer = self.lower.find(f"</{name}", index)
        if closer < 0:
            return len(self.source)
        end = self.close_after(closer)
        return len(self.source) if end < 0 else end + 1

    def run(self) -> str:
        """The text of the whole input, entities still encoded."""
        source, out = self.source, self.out
        length, index = len(source), 0
        while index < length:
            opening = source.find("<", index)
            if opening < 0:
                out.append(source[index:])
                break
            out.append(source[index:opening])
            index = self.markup(opening)
        return "".join(out)

    def markup(self, opening: int) -> int:
        """Handle the `<` at `opening`; returns where the text resumes."""
        source = self.source
        follower = source[opening + 1 : opening + 2]
        if source.startswith("<!--", opening):
            end = source.find("-->", opening + 4)
            self.out.append(" ")
            return len(source) if end < 0 else end + 3
        if not (follower.isascii() and (follower.isalpha() or follower in "/!?")):
            self.out.append("<")
            return opening + 1
        end = self.close_after(opening + 1)
        if end < 0 or end - opening > MAX_TAG:
            self.out.append("<")
            return opening + 1
        closing = follower == "/"
        name = _tag_name(source, opening + 1 + closing, end)
        self.out.append("\n" if name in BLOCK_TAGS else "" if name in INLINE_TAGS else " ")
        if name in HIDDEN_TAGS and not closing and source[end - 1] != "/":
            return self.skip_hidden(name, end + 1)
        return end + 1


def strip_tags(source: str, limit: int | None = None) -> str:
    """The text of untrusted HTML: tags, comments and hidden elements removed, entities decoded.

    Args:
        source: HTML (None-safe: "" for empty).
        limit: Read at most this many characters of `source`.

    Returns:
        Text with block tags as newlines and other tags as spaces (not sanitised: pass it to
        `clean` before showing it).
    """
    snippet = (source or "")[:limit] if limit is not None else (source or "")
    if "<" not in snippet:
        return html.unescape(snippet) if "&" in snippet else snippet
    return html.unescape(_Scanner(snippet).run())
