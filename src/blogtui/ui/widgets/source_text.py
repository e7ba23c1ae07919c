"""The words of the source chooser, the discussions found and the thread details (pure).

An article's comments may come from several sources (core.comments.sources): the blog's own
thread (name ""), other systems its page shows, and discussion sites looked up on demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from blogtui.core.comments.discussions import Discussion
from blogtui.core.comments.sources import kind_of, label_of, ordered, source_title
from blogtui.core.posting.identity import account_reply_words
from blogtui.core.store.sources import ThreadSource
from blogtui.core.text.sanitize import clean
from blogtui.ui.screens.sources import DISCUSSIONS, SourceLine

KIND_WORDS = {
    "blog": "comment system on the article's page",
    "elsewhere": "replies elsewhere",
    "discussion": "discussion site, looked up on demand (E)",
}
"""What each kind of source is, for the details."""


@dataclass(frozen=True)
class OwnThread:
    """The blog's own thread as the chooser and the details name it."""

    provider: str
    count: int
    error: str = ""


def own_title(own: OwnThread) -> str:
    """ "Comments via WordPress · 34" (the thread read by `load_thread`)."""
    return source_title(own.provider, own.count) if own.provider else f"Comments · {own.count}"


def _source_line(source: ThreadSource, current: str) -> SourceLine:
    """A further source's line: its stored count once read, else the count it announced."""
    read = source.fetched is not None
    count = source.count if read else source.expected
    details = []
    if source.name == current:
        details.append("shown")
    if not read:
        details.append("not read yet")
    if source.error:
        details.append(f"last read failed: {clean(source.error, limit=80)}")
    return SourceLine(source.name, source_title(source.name, count), ", ".join(details))


def chooser_lines(
    own: OwnThread, sources: Iterable[ThreadSource], current: str, discussions_key: str = "E"
) -> list[SourceLine]:
    """The chooser's lines: the blog's own thread, the further sources (blog, elsewhere,
    discussion), then looking up discussions."""
    own_detail = "shown" if not current else ""
    lines = [SourceLine("", own_title(own), own_detail)]
    lines += [_source_line(source, current) for source in ordered(list(sources))]
    lines.append(SourceLine(DISCUSSIONS, f"Look up discussions elsewhere ({discussions_key})"))
    return lines


def discussed_on(found: Iterable[Discussion]) -> str:
    """ "Discussed on Hacker News (312 comments), Lobsters (41)"; "" when nowhere."""
    parts = [f"{d.label} ({d.comments} comments)" for d in found if d.ok]
    if not parts:
        return ""
    first, *rest = parts
    rest = [part.replace(" comments)", ")") for part in rest]
    return "Discussed on " + ", ".join([first, *rest])


def discussion_lines(found: Iterable[Discussion]) -> list[SourceLine]:
    """One line per site: its discussion to open, or (not choosable) why it could not say."""
    lines = []
    for d in found:
        if d.ok:
            title = f"{d.label} ({d.comments} comments)"
            lines.append(SourceLine(d.provider, title, clean(d.title, limit=80)))
        else:
            lines.append(SourceLine(d.provider, f"{d.label}: {clean(d.error, limit=120)}",
                                    enabled=False))  # fmt: skip
    return lines


def not_discussed(found: Iterable[Discussion], sites: Iterable[str]) -> str:
    """Why the discussions dialog shows nothing: the sites asked, and those that failed."""
    failed = [f"{d.label}: {clean(d.error, limit=120)}" for d in found if not d.ok]
    names = ", ".join(sites) or "no discussion site is set up"
    text = f"No discussion of this article found ({names})."
    return text + ("\n" + "\n".join(failed) if failed else "")


def details_text(
    own: OwnThread,
    sources: list[ThreadSource],
    current: str,
    reply: str,
    systems: list[str],
    page_error: str = "",
) -> str:
    """The thread details (`i`): what is shown, what a reply does, what the page shows and
    every source of the article with its kind."""
    shown = own_title(own) if not current else source_title(current, _count(sources, current))
    lines = [f"Shown: {shown}", f"A reply: {reply}", "", "Comment systems on the article's page:"]
    lines += [f"  · {system}" for system in systems] or ["  (none recognised)"]
    if page_error:
        lines.append(f"  (the page could not be read: {clean(page_error, limit=200)})")
    lines += ["", "Sources of this article:"]
    mark = " ← shown" if not current else ""
    own_words = "the blog's own thread" + (f" (read with {own.provider})" if own.provider else "")
    lines.append(f"  · {own_title(own)} — {own_words}{mark}")
    for source in ordered(sources):
        mark = " ← shown" if source.name == current else ""
        words = KIND_WORDS.get(source.kind or kind_of(source.name), source.kind)
        lines.append(
            f"  · {source_title(source.name, _count(sources, source.name))} — {words}{mark}"
        )
    return "\n".join(lines)


def _count(sources: list[ThreadSource], name: str) -> int | None:
    found = next((s for s in sources if s.name == name), None)
    if found is None:
        return None
    return found.count if found.fetched is not None else found.expected


def reply_words(name: str, reply_mode: str, account: bool, kind: str) -> str:
    """What `c` will do on source `name`."""
    label = label_of(name) if name else "the blog"
    if account:  # "posts as your GitHub account", "is published on your site (Micropub)"
        words = account_reply_words(name).removeprefix("reply ")
        return words or f"posted to {label} with your stored key (as your account)"
    if kind == "discussion" or reply_mode == "browser":
        return f"opens {label}'s page in the web browser"
    return "written here and sent by blogtui"
