"""RSS 2.0 and Atom feeds of the demo blog, shaped like WordPress 6 output.

Like :mod:`blogtui.demo.pages`, every function takes a :class:`~blogtui.demo.pages.View`
and returns the document as text.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import format_datetime
from html.entities import name2codepoint

from blogtui.demo.content import SITE_NAME, SITE_TAGLINE, Comment, Post
from blogtui.demo.pages import GENERATOR, View, autop, body_of, esc, excerpt

FEED_SIZE = 10
"""WordPress's ``posts_per_rss`` default: feeds carry the newest ten items."""


def xml_text(value: str) -> str:
    """Escape for XML character data: ``esc_html`` plus ``ent2ncr`` for named entities."""
    return re.sub(r"&([A-Za-z][A-Za-z0-9]*);", _numeric, esc(value))


def _numeric(entity: re.Match[str]) -> str:
    """``&raquo;`` becomes ``&#187;``; XML knows only its own five names."""
    name = entity.group(1)
    if name in ("amp", "lt", "gt", "quot", "apos"):
        return entity.group(0)
    code = name2codepoint.get(name)
    return f"&#{code};" if code else f"&amp;{name};"


def cdata(text: str) -> str:
    """Wrap text in a CDATA section, splitting any ``]]>`` inside it."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_date(moment: datetime) -> str:
    """RFC 822 date as WordPress writes it (``+0000``)."""
    return format_datetime(moment)


def atom_date(moment: datetime) -> str:
    """RFC 3339 date in UTC with a ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def reply_prefix(view: View, comment: Comment, *, escape_name: bool) -> str:
    """The ``In reply to <a>Parent</a>.`` line WordPress puts before replies in comment feeds."""
    parent = view.comment(comment.parent) if comment.parent else None
    if parent is None:
        return ""
    name = esc(parent.author) if escape_name else parent.author
    return f'In reply to <a href="{view.comment_link(parent)}">{name}</a>.\n\n'


_RSS_OPEN = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
{wfw}\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
{slash}\t>

<channel>
\t<title>{title}</title>
\t<atom:link href="{self}" rel="self" type="application/rss+xml" />
\t<link>{link}</link>
\t<description>{description}</description>
\t<lastBuildDate>{built}</lastBuildDate>
{language}\t<sy:updatePeriod>
\thourly\t</sy:updatePeriod>
\t<sy:updateFrequency>
\t1\t</sy:updateFrequency>
\t<generator>https://wordpress.org/?v={version}</generator>
"""


def _rss_head(title: str, self_url: str, link: str, built: datetime, *, posts: bool) -> str:
    """Opening of an RSS 2.0 document; the posts feed declares wfw and slash as well."""
    return _RSS_OPEN.format(
        wfw='\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n' if posts else "",
        slash='\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n' if posts else "",
        language="\t<language>en-US</language>\n" if posts else "",
        title=xml_text(title),
        self=self_url,
        link=link,
        description=xml_text(SITE_TAGLINE),
        built=rss_date(built),
        version=GENERATOR,
    )


def rss_posts(view: View, built: datetime) -> str:
    """The site's RSS 2.0 posts feed (``/feed/``)."""
    items = []
    for post in view.posts[:FEED_SIZE]:
        link, count = view.link(post), len(view.comments_of(post.id))
        # WordPress leaves the comment hints out when a post has neither comments nor a form.
        hinted = bool(count or post.comments_open)
        comments = f"\t\t<comments>{link}#{'comments' if count else 'respond'}</comments>\n"
        thread = (
            f"\t\t<wfw:commentRss>{link}feed/</wfw:commentRss>\n"
            f"\t\t<slash:comments>{count}</slash:comments>\n"
        )
        items.append(
            f"\t<item>\n\t\t<title>{xml_text(post.title)}</title>\n\t\t<link>{link}</link>\n"
            f"{comments if hinted else ''}"
            f"\t\t<dc:creator>{cdata(post.author.name)}</dc:creator>\n"
            f"\t\t<pubDate>{rss_date(post.date)}</pubDate>\n"
            f"\t\t<category>{cdata(post.category)}</category>\n"
            f'\t\t<guid isPermaLink="false">{view.guid(post)}</guid>\n'
            f"\t\t<description>{cdata(excerpt(view, post))}</description>\n"
            f"\t\t<content:encoded>{cdata(body_of(view, post))}</content:encoded>\n"
            f"{thread if hinted else ''}\t</item>\n"
        )
    head = _rss_head(SITE_NAME, f"{view.base}/feed/", view.base, built, posts=True)
    return head + "".join(items) + "</channel>\n</rss>\n"


def rss_comments(view: View, post: Post | None, built: datetime) -> str:
    """A comments feed: the site's (``post=None``) or one post's, newest ten first."""
    if post:
        title, link, feed_url = f"Comments on: {post.title}", view.link(post), view.link(post)
    else:
        title, link, feed_url = f"Comments for {SITE_NAME}", view.base, f"{view.base}/comments/"
    items = []
    for comment in _newest(view, post):
        heading = f"By: {comment.author}"
        if post is None:
            heading = f"Comment on {view.post_of(comment).title} by {comment.author}"
        plain = reply_prefix(view, comment, escape_name=False) + comment.text
        html = autop(reply_prefix(view, comment, escape_name=True) + comment.text)
        items.append(
            f"\t<item>\n\t\t<title>{xml_text(heading)}</title>\n"
            f"\t\t<link>{view.comment_link(comment)}</link>\n"
            f"\t\t<dc:creator>{cdata(comment.author)}</dc:creator>\n"
            f"\t\t<pubDate>{rss_date(comment.date)}</pubDate>\n"
            f'\t\t<guid isPermaLink="false">{view.comment_guid(comment)}</guid>\n'
            f"\t\t<description>{cdata(esc(plain))}</description>\n"
            f"\t\t<content:encoded>{cdata(html)}</content:encoded>\n\t</item>\n"
        )
    head = _rss_head(title, f"{feed_url}feed/", link, built, posts=False)
    return head + "".join(items) + "</channel>\n</rss>\n"


def _newest(view: View, post: Post | None) -> list[Comment]:
    """The newest ten visible comments, of one post or of the whole site."""
    comments = view.comments_of(post.id) if post else list(view.comments)
    return sorted(comments, key=lambda c: (c.date, c.id), reverse=True)[:FEED_SIZE]


_ATOM_OPEN = """<?xml version="1.0" encoding="UTF-8"?><feed
\txmlns="http://www.w3.org/2005/Atom"
\txmlns:thr="http://purl.org/syndication/thread/1.0"
\txml:lang="en-US"
\t>
\t<title type="text">{title}</title>
\t<subtitle type="text">{subtitle}</subtitle>
\t<updated>{updated}</updated>
\t<link rel="alternate" type="text/html" href="{link}" />
\t<id>{self}</id>
\t<link rel="self" type="application/atom+xml" href="{self}" />
\t<generator uri="https://wordpress.org/" version="{version}">WordPress</generator>
"""


def _atom_head(title: str, link: str, self_url: str, updated: datetime) -> str:
    """Opening of an Atom document."""
    return _ATOM_OPEN.format(
        title=xml_text(title),
        subtitle=xml_text(SITE_TAGLINE),
        updated=atom_date(updated),
        link=link,
        self=self_url,
        version=GENERATOR,
    )


def atom_posts(view: View, built: datetime) -> str:
    """The site's Atom posts feed (``/feed/atom/``) with RFC 4685 reply links."""
    entries = []
    for post in view.posts[:FEED_SIZE]:
        link, count = view.link(post), len(view.comments_of(post.id))
        replies = ""
        if count or post.comments_open:
            replies = (
                f'\t\t<link rel="replies" type="text/html" href="{link}#comments"'
                f' thr:count="{count}" />\n'
                f'\t\t<link rel="replies" type="application/atom+xml" href="{link}feed/atom/"'
                f' thr:count="{count}" />\n\t\t<thr:total>{count}</thr:total>\n'
            )
        entries.append(
            f"\t<entry>\n\t\t<author>\n\t\t\t<name>{xml_text(post.author.name)}</name>\n"
            f"\t\t\t<uri>{view.base}</uri>\n\t\t</author>\n"
            f'\t\t<title type="html">{cdata(post.title)}</title>\n'
            f'\t\t<link rel="alternate" type="text/html" href="{link}" />\n'
            f"\t\t<id>{view.guid(post)}</id>\n\t\t<updated>{atom_date(post.modified)}</updated>\n"
            f"\t\t<published>{atom_date(post.date)}</published>\n"
            f'\t\t<category scheme="{view.base}" term="{xml_text(post.category)}" />\n'
            f'\t\t<summary type="html">{cdata(excerpt(view, post))}</summary>\n'
            f'\t\t<content type="html" xml:base="{link}">{cdata(body_of(view, post))}</content>\n'
            f"{replies}\t</entry>\n"
        )
    head = _atom_head(SITE_NAME, view.base, f"{view.base}/feed/atom/", built)
    return head + "".join(entries) + "</feed>\n"


def atom_comments(view: View, post: Post | None, built: datetime) -> str:
    """An Atom comments feed with ``thr:in-reply-to``, newest ten first."""
    if post:
        title, link = f"Comments on {post.title}", f"{view.link(post)}#comments"
        self_url = f"{view.link(post)}feed/atom/"
    else:
        title, link = f"Comments for {SITE_NAME}", view.base
        self_url = f"{view.base}/comments/feed/atom/"
    entries = "".join(_atom_comment(view, comment) for comment in _newest(view, post))
    return _atom_head(title, link, self_url, built) + entries + "</feed>\n"


def _atom_comment(view: View, comment: Comment) -> str:
    """One ``<entry>`` of an Atom comments feed."""
    parent = view.comment(comment.parent) if comment.parent else None
    if parent is not None:
        ref, href = view.comment_guid(parent), view.comment_link(parent)
    else:
        ref, href = view.guid(view.post_of(comment)), view.link(view.post_of(comment))
    link = view.comment_link(comment)
    uri = f"\t\t\t<uri>{xml_text(comment.author_url)}</uri>\n" if comment.author_url else ""
    html = autop(reply_prefix(view, comment, escape_name=True) + comment.text)
    return (
        f"\t<entry>\n\t\t<title>{xml_text('By: ' + comment.author)}</title>\n"
        f'\t\t<link rel="alternate" href="{link}" type="text/html" />\n'
        f"\t\t<author>\n\t\t\t<name>{xml_text(comment.author)}</name>\n{uri}\t\t</author>\n"
        f"\t\t<id>{view.comment_guid(comment)}</id>\n"
        f"\t\t<updated>{atom_date(comment.date)}</updated>\n"
        f"\t\t<published>{atom_date(comment.date)}</published>\n"
        f'\t\t<content type="html" xml:base="{link}">{cdata(html)}</content>\n'
        f'\t\t<thr:in-reply-to ref="{ref}" href="{href}" type="text/html" />\n\t</entry>\n'
    )
