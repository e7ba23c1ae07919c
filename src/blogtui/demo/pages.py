"""HTML pages of the demo blog, shaped like WordPress 6 with a classic theme.

Every function here is pure: it takes a :class:`View` (a snapshot of the blog) and returns
text, so rendering needs no lock and can be tested without a server. The feeds are in
:mod:`blogtui.demo.feeds`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import count

from blogtui.demo.content import BASE_TOKEN, SITE_NAME, SITE_TAGLINE, Comment, Post

GENERATOR = "6.5.5"
"""The WordPress version the demo claims to be."""

_MONTHS = (
    "January February March April May June July August September October November December".split()
)
_ENTITY = re.compile(r"&(?!(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


@dataclass(frozen=True)
class View:
    """A consistent snapshot of the blog for one response."""

    base: str
    """Base URL without a trailing slash."""
    posts: tuple[Post, ...]
    """All posts, newest first, with their current comment status."""
    comments: tuple[Comment, ...]
    """Visible (approved) comments, in id order."""

    def post(self, post_id: int) -> Post | None:
        """The post with this id, if any."""
        return next((post for post in self.posts if post.id == post_id), None)

    def by_slug(self, slug: str) -> Post | None:
        """The post with this slug, if any."""
        return next((post for post in self.posts if post.slug == slug), None)

    def comments_of(self, post_id: int) -> list[Comment]:
        """Visible comments on one post, in id order."""
        return [comment for comment in self.comments if comment.post == post_id]

    def comment(self, comment_id: int) -> Comment | None:
        """A visible comment by id, if any."""
        return next((c for c in self.comments if c.id == comment_id), None)

    def link(self, post: Post) -> str:
        """The post's permalink."""
        return f"{self.base}/{post.slug}/"

    def guid(self, post: Post) -> str:
        """The post's guid, which is also its shortlink."""
        return f"{self.base}/?p={post.id}"

    def post_of(self, comment: Comment) -> Post:
        """The post a comment belongs to."""
        return next(post for post in self.posts if post.id == comment.post)

    def comment_link(self, comment: Comment) -> str:
        """Permalink of a comment: the post's permalink plus ``#comment-N``."""
        return f"{self.link(self.post_of(comment))}#comment-{comment.id}"

    def comment_guid(self, comment: Comment) -> str:
        """A comment's guid: the post's guid plus ``#comment-N``, as WordPress builds it."""
        return f"{self.base}/?p={comment.post}#comment-{comment.id}"


# ----------------------------------------------------------------------------- text helpers


def esc(text: str) -> str:
    """WordPress's ``esc_html``: escape markup but leave existing entities alone."""
    text = _ENTITY.sub("&amp;", text)
    return (
        text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#039;")
    )


def autop(text: str) -> str:
    """A small ``wpautop``: blank lines make paragraphs, single newlines make ``<br />``."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br />' + chr(10))}</p>\n" for p in paragraphs)


def body_of(view: View, post: Post) -> str:
    """The post's rendered body with the real base URL."""
    return post.body.replace(BASE_TOKEN, view.base)


def excerpt(view: View, post: Post) -> str:
    """``wp_trim_excerpt``: the text's first 55 words, then `` [&#8230;]`` if there is more.

    Figures (images, tables) are left out, as WordPress drops such blocks from excerpts.
    """
    text = re.sub(r"<figure.*?</figure>", "", body_of(view, post), flags=re.S)
    words = re.sub(r"<[^>]+>", "", re.sub(r"</(p|h\d|li)>", " ", text)).split()
    return " ".join(words[:55]) + (" [&#8230;]" if len(words) > 55 else "")


def human_date(moment: datetime) -> str:
    """``March 2, 2026 at 8:14 am``: WordPress's default formats, whatever the locale."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    month = _MONTHS[moment.month - 1]
    return f"{month} {moment.day}, {moment.year} at {hour}:{moment.minute:02d} {suffix}"


# ----------------------------------------------------------------------------- HTML

_HEAD = """<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<link rel="alternate" type="application/rss+xml" title="{site} &raquo; Feed" href="{base}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{site} &raquo; Comments Feed" \
href="{base}/comments/feed/" />
<link rel="alternate" type="application/atom+xml" title="{site} &raquo; Atom Feed" \
href="{base}/feed/atom/" />
{extra}<link rel="https://api.w.org/" href="{base}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress {version}" />
</head>
<body class="{body_class}">
<header id="masthead" class="site-header"><p class="site-title"><a href="{base}/" rel="home">\
{site}</a></p><p class="site-description">{tagline}</p></header>
<main id="main" class="site-main">
"""

_FOOT = """</main>
<footer class="site-footer"><p>Proudly powered by WordPress</p></footer>
</body>
</html>
"""


def _page(view: View, title: str, body_class: str, main: str, extra: str = "") -> str:
    """A complete HTML document around ``main``."""
    head = _HEAD.format(
        title=title, site=esc(SITE_NAME), tagline=esc(SITE_TAGLINE), base=view.base,
        extra=extra, version=GENERATOR, body_class=body_class,
    )  # fmt: skip
    return head + main + _FOOT


def _post_header(view: View, post: Post, count: int, heading: str) -> str:
    """Title, date, byline and comment link of a post."""
    link = view.link(post)
    if count:
        comments = f'<a href="{link}#comments">{count} Comment{"" if count == 1 else "s"}</a>'
    else:
        comments = f'<a href="{link}#respond">Leave a comment</a>' if post.comments_open else ""
    return (
        f'<header class="entry-header"><{heading} class="entry-title"><a href="{link}" '
        f'rel="bookmark">{post.title}</a></{heading}></header>\n<div class="entry-meta">'
        f'<span class="posted-on"><time class="entry-date published" '
        f'datetime="{post.date.isoformat()}">{human_date(post.date).split(" at ")[0]}</time>'
        f'</span> <span class="byline">by <span class="author vcard">{esc(post.author.name)}'
        f'</span></span> <span class="comments-link">{comments}</span></div>\n'
    )


def home_page(view: View) -> str:
    """The front page: every post with its excerpt."""
    articles = [
        f'<article id="post-{post.id}" class="post-{post.id} post type-post status-publish '
        f'hentry">\n{_post_header(view, post, len(view.comments_of(post.id)), "h2")}'
        f'<div class="entry-summary"><p>{excerpt(view, post)}</p></div>\n</article>\n'
        for post in view.posts
    ]
    return _page(
        view, f"{esc(SITE_NAME)} &#8211; {esc(SITE_TAGLINE)}", "home blog", "".join(articles)
    )


def article_page(
    view: View, post: Post, form: str, extra_comments: tuple[Comment, ...] = ()
) -> str:
    """A single post with its comment tree and ``form`` (or the closed notice)."""
    comments = sorted([*view.comments_of(post.id), *extra_comments], key=lambda c: c.id)
    shown = len(view.comments_of(post.id))
    link = view.link(post)
    extra = (
        f'<link rel="alternate" type="application/rss+xml" title="{esc(SITE_NAME)} &raquo; '
        f'{post.title} Comments Feed" href="{link}feed/" />\n'
        f'<link rel="alternate" title="JSON" type="application/json" '
        f'href="{view.base}/wp-json/wp/v2/posts/{post.id}" />\n'
        f'<link rel="canonical" href="{link}" />\n'
        f"<link rel='shortlink' href='{view.guid(post)}' />\n"
    )
    main = (
        f'<article id="post-{post.id}" class="post-{post.id} post type-post status-publish '
        f'hentry">\n{_post_header(view, post, shown, "h1")}'
        f'<div class="entry-content">\n{body_of(view, post)}</div>\n</article>\n'
        f'<div id="comments" class="comments-area">\n{_comment_list(view, post, comments, shown)}'
        f"{form}</div><!-- #comments -->\n"
    )
    return _page(
        view, f"{post.title} &#8211; {esc(SITE_NAME)}", "post-template-default single", main, extra
    )


def _comment_list(view: View, post: Post, comments: list[Comment], shown: int) -> str:
    """The ``<ol class="commentlist">`` tree, or nothing when there are no comments."""
    if not comments:
        return ""
    children: dict[int, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent, []).append(comment)
    tree = _Tree(view, post, children, count())
    top = "".join(tree.item(c, 1, index) for index, c in enumerate(children.get(0, [])))
    thoughts = "One thought" if shown == 1 else f"{shown} thoughts"
    return (
        f'<h2 class="comments-title">{thoughts} on &ldquo;{post.title}&rdquo;</h2>\n'
        f'<ol class="commentlist comment-list">\n{top}</ol><!-- .comment-list -->\n'
    )


@dataclass
class _Tree:
    """Renders comments the way ``Walker_Comment`` does in HTML5 mode."""

    view: View
    post: Post
    children: dict[int, list[Comment]]
    numbers: Iterator[int]
    """Running count over all comments, for the alternating ``even``/``odd`` classes."""

    def item(self, comment: Comment, depth: int, thread: int) -> str:
        """One ``<li id="comment-N">`` with its replies nested in ``<ol class="children">``."""
        classes = self.classes(comment, depth, thread)
        nested = "".join(
            self.item(reply, depth + 1, 0) for reply in self.children.get(comment.id, [])
        )
        if nested:
            nested = f'<ol class="children">\n{nested}</ol><!-- .children -->\n'
        return (
            f'<li id="comment-{comment.id}" class="{classes}">\n'
            f'<article id="div-comment-{comment.id}" class="comment-body">\n'
            f'<footer class="comment-meta">\n{self.meta(comment)}</footer><!-- .comment-meta -->\n'
            f'<div class="comment-content">\n{autop(comment.text)}</div><!-- .comment-content -->\n'
            f"{self.reply_link(comment)}</article><!-- .comment-body -->\n"
            f"{nested}</li><!-- #comment-## -->\n"
        )

    def classes(self, comment: Comment, depth: int, thread: int) -> str:
        """``comment_class()``: author, alternation, thread, depth and parent classes."""
        classes = ["comment"]
        if comment.user_id:
            classes += ["byuser", f"comment-author-{self.post.author.name.split()[0].lower()}"]
            classes += ["bypostauthor"] if comment.user_id == self.post.author.id else []
        classes += ["odd", "alt"] if next(self.numbers) % 2 else ["even"]
        if depth == 1:
            classes += ["thread-odd", "thread-alt"] if thread % 2 else ["thread-even"]
        classes.append(f"depth-{depth}")
        classes += ["parent"] if comment.id in self.children else []
        return " ".join(classes)

    def meta(self, comment: Comment) -> str:
        """Author, date link and, for a held comment, the moderation notice."""
        name = esc(comment.author)
        if comment.author_url:
            url = esc(comment.author_url)
            name = f'<a href="{url}" class="url" rel="ugc external nofollow">{name}</a>'
        held = ""
        if comment.status != "approved":
            held = (
                '<em class="comment-awaiting-moderation">Your comment is awaiting moderation.'
                " This is a preview; your comment will be visible after it has been approved."
                "</em>\n"
            )
        return (
            f'<div class="comment-author vcard"><b class="fn">{name}</b> '
            '<span class="says">says:</span></div><!-- .comment-author -->\n'
            f'<div class="comment-metadata"><a href="{self.view.comment_link(comment)}">'
            f'<time datetime="{comment.date.isoformat()}">{human_date(comment.date)}</time></a>'
            f"</div><!-- .comment-metadata -->\n{held}"
        )

    def reply_link(self, comment: Comment) -> str:
        """The no-JS ``?replytocom=N#respond`` link, shown only while comments are open."""
        if not self.post.comments_open or comment.status != "approved":
            return ""
        name, link = esc(comment.author), self.view.link(self.post)
        return (
            f"<div class=\"reply\"><a rel='nofollow' class='comment-reply-link' "
            f"href='{link}?replytocom={comment.id}#respond' data-commentid=\"{comment.id}\" "
            f'data-postid="{self.post.id}" data-belowelement="div-comment-{comment.id}" '
            f'data-respondelement="respond" data-replyto="Reply to {name}" '
            f"aria-label='Reply to {name}'>Reply</a></div>\n"
        )


_FORM = """<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" \
id="cancel-comment-reply-link" href="{link}#respond" style="display:none;">Cancel reply</a>\
</small></h3><form action="{base}/wp-comments-post.php" method="post" id="commentform" \
class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">Your email \
address will not be published.</span> <span class="required-field-message">Required fields are \
marked <span class="required">*</span></span></p><p class="comment-form-comment"><label \
for="comment">Comment <span class="required">*</span></label> <textarea id="comment" \
name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p><p \
class="comment-form-author"><label for="author">Name <span class="required">*</span></label> \
<input id="author" name="author" type="text" value="" size="30" maxlength="245" \
autocomplete="name" required /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> \
<input id="email" name="email" type="email" value="" size="30" maxlength="100" \
aria-describedby="email-notes" autocomplete="email" required /></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" \
type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" \
name="wp-comment-cookies-consent" type="checkbox" value="yes" /> <label \
for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next \
time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" \
value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post_id}' \
id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='{parent}' />
</p><p style="display: none;"><input type="hidden" id="akismet_comment_nonce" \
name="akismet_comment_nonce" value="{nonce}" /></p><p style="display: none !important;" \
class="akismet-fields-container" data-prefix="ak_"><label>&#916;<textarea name="ak_hp_textarea" \
cols="45" rows="8" maxlength="100"></textarea></label><input type="hidden" id="ak_js_1" \
name="ak_js" value="183"/><script>document.getElementById( "ak_js_1" ).setAttribute( \
"value", ( new Date() ).getTime() );</script></p></form></div><!-- #respond -->
"""


def comment_form(view: View, post: Post, *, parent: int, nonce: str) -> str:
    """``comment_form()`` with the hidden fields Akismet adds, or the closed notice."""
    if not post.comments_open:
        return '<p class="no-comments">Comments are closed.</p>\n'
    link = view.link(post)
    return _FORM.format(link=link, base=view.base, post_id=post.id, parent=parent, nonce=nonce)


_DIE = """<!DOCTYPE html>
<html lang="en-US">
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
\t<meta name="viewport" content="width=device-width">
\t<meta name='robots' content='max-image-preview:large, noindex, follow' />
\t<title>{title}</title>
\t<style type="text/css">
\t\thtml {{ background: #eef0f1; }}
\t\tbody {{ background: #fff; margin: 3em auto; padding: 1em 2em; max-width: 42em; }}
\t\t#error-page .wp-die-message {{ font-size: 14px; line-height: 1.5; }}
\t</style>
</head>
<body id="error-page">
\t<div class="wp-die-message">{message}</div>
<p><a href='javascript:history.back()'>&laquo; Back</a></p></body>
</html>
"""


def die_page(message: str, title: str = "Comment Submission Failure") -> str:
    """``wp_die()``'s page: ``message`` is HTML, usually one ``<p>``."""
    return _DIE.format(title=esc(title), message=message)


def not_found_page(view: View) -> str:
    """The theme's 404 page."""
    main = (
        '<section class="error-404 not-found"><h1 class="page-title">Nothing here</h1>'
        "<p>It looks like nothing was found at this location.</p></section>\n"
    )
    return _page(view, f"Page not found &#8211; {esc(SITE_NAME)}", "error404", main)
