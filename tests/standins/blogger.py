"""A Blogger stand-in: a post's Atom comment feed as Blogger serves it.

`/feeds/POSTID/comments/default?alt=atom&start-index=N&max-results=M` answers an Atom feed
(openSearch totals, `rel="next"` while more remain). Each entry: id
`tag:blogger.com,1999:blog-BLOG.post-COMMENT`, `thr:in-reply-to` naming the *post* (always),
`<link rel="related" href="…/comments/default/PARENT">` for a reply, author `<email>
noreply@blogger.com</email>` and a profile `<uri>`, and `gd:extendedProperty`s
(`blogger.itemClass`, `blogger.displayTime`, `blogger.contentRemoved` for a removed comment).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from standins.server import Reply, Seen, StandIn
from standins.threads import Item

BLOG = "4400112233"
POST = "7700"
ID_OFFSET = 2_000_000_000
"""Comment n has id ID_OFFSET + n."""


@dataclass
class BloggerPost:
    items: list[Item]
    removed: set[int] = field(default_factory=set)


class BloggerStandIn(StandIn):
    """Serves /feeds/POST/comments/default for one post."""

    def __init__(self, post: BloggerPost, max_results: int = 500) -> None:
        super().__init__()
        self.post = post
        self.max_results = max_results

    @property
    def feed(self) -> str:
        return f"{self.origin}/feeds/{POST}/comments/default"

    def answer(self, seen: Seen) -> Reply:
        if seen.path != f"/feeds/{POST}/comments/default":
            return Reply(404, b"Not Found", {"Content-Type": "text/html"})
        start = int(seen.query.get("start-index", ["1"])[0])
        size = min(int(seen.query.get("max-results", ["25"])[0]), self.max_results)
        items = self.post.items
        chosen = items[start - 1 : start - 1 + size]
        more = start - 1 + size < len(items)
        following = (
            (
                f"<link rel='next' type='application/atom+xml' href='{self.feed}?alt=atom"
                f"&amp;start-index={start + size}&amp;max-results={size}'/>"
            )
            if more
            else ""
        )
        entries = "".join(self.entry(i) for i in chosen)
        body = (
            "<?xml version='1.0' encoding='UTF-8'?>"
            "<feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
            "xmlns:gd='http://schemas.google.com/g/2005' "
            "xmlns:thr='http://purl.org/syndication/thread/1.0'>"
            f"<id>tag:blogger.com,1999:blog-{BLOG}.post{POST}..comments</id>"
            "<title type='text'>Kommentare zu „Ein Artikel“</title>"
            f"<link rel='self' type='application/atom+xml' href='{self.feed}'/>{following}"
            f"<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
            f"<openSearch:totalResults>{len(items)}</openSearch:totalResults>"
            f"<openSearch:startIndex>{start}</openSearch:startIndex>"
            f"<openSearch:itemsPerPage>{size}</openSearch:itemsPerPage>{entries}</feed>"
        )
        return Reply(
            200, body.encode("utf-8"), {"Content-Type": "application/atom+xml; charset=UTF-8"}
        )

    def entry(self, item: Item) -> str:
        key = ID_OFFSET + item.number
        stamp = time.strftime(
            "%Y-%m-%dT%H:%M:%S.000+01:00", time.gmtime(1_700_000_000 + key % 10**6)
        )
        related = (
            (
                f"<link rel='related' type='application/atom+xml' href='{self.feed}/"
                f"{ID_OFFSET + item.parent}'/>"
            )
            if item.parent
            else ""
        )
        removed = item.number in self.post.removed
        text = "Dieser Kommentar wurde entfernt." if removed else item.text
        flag = (
            "<gd:extendedProperty name='blogger.contentRemoved' value='true'/>" if removed else ""
        )
        profile = f"https://www.blogger.com/profile/{10_000 + item.number % 11}"
        permalink = f"{self.origin}/2024/01/artikel.html?showComment={key}#c{key}"
        source = f"{self.origin}/feeds/posts/default/{POST}"
        return (
            f"<entry><id>tag:blogger.com,1999:blog-{BLOG}.post-{key}</id>"
            f"<published>{stamp}</published><updated>{stamp}</updated>"
            f"<title type='text'>{escape(item.text[:20])}</title>"
            f"<content type='html'>{escape(text)}</content>"
            f"<link rel='edit' type='application/atom+xml' href='{self.feed}/{key}'/>"
            f"<link rel='self' type='application/atom+xml' href='{self.feed}/{key}'/>"
            f"<link rel='alternate' type='text/html' href={quoteattr(permalink)}/>"
            f"{related}"
            f"<author><name>{escape(item.author)}</name><uri>{profile}</uri>"
            "<email>noreply@blogger.com</email></author>"
            f"<thr:in-reply-to href='{self.origin}/2024/01/artikel.html' "
            f"ref='tag:blogger.com,1999:blog-{BLOG}.post-{POST}' source='{source}' "
            "type='text/html'/>"
            f"<gd:extendedProperty name='blogger.itemClass' value='pid-{key % 999}'/>"
            "<gd:extendedProperty name='blogger.displayTime' value='1. Januar 2024 um 10:00'/>"
            f"{flag}"
            "</entry>"
        )
