"""UI test data shared by the UI tests (imported by name: tests/ui is on sys.path under
pytest); driving the app is tests/support/app.py's."""

from __future__ import annotations

from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.demo import DemoBlog

HOSTILE_TITLE = "[@click=app.quit]x[/]"
"""A feed title that would quit the app if it were parsed as markup."""


class DemoSite:
    """The demo blog and a store subscribed to it (tests add how they build their app)."""

    def __init__(self, blog: DemoBlog, store: Store, home: Places) -> None:
        self.blog, self.store, self.home = blog, store, home

    def article_id(self, post: int) -> int:
        """The stored article of a demo post."""
        link = self.blog.post_url(post)
        return self.store.article_ids_by_link([link])[link]

    def comment(self, post: int, text: str, parent: int = 0, author: str = "Zoë Gast") -> None:
        """Post a comment through the blog's form handler, as another reader's browser would."""
        form = {
            "comment_post_ID": str(post), "author": author, "email": "zoe@example.org",
            "url": "", "comment": text, "comment_parent": str(parent),
            "akismet_comment_nonce": self.blog.nonce(post), "ak_js": "1",
        }  # fmt: skip
        assert self.blog.submit(form).status == 302
