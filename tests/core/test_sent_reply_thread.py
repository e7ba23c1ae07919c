"""A sent reply joins its stored thread without changing what is known of the thread as a whole."""

from __future__ import annotations

from posting_support import OPEN, add_article, make_store, queue

from blogtui.core.feeds.client import make_client
from blogtui.core.models import CommentData
from blogtui.core.posting import send_pending
from blogtui.core.store import Store
from blogtui.demo import DemoBlog
from blogtui.ui.widgets.comment_layout import notices

OLD = [CommentData("1", "", "Jürgen Weiß", "<p>Erster!</p>", published=1.0e9)]


def test_adding_one_comment_keeps_the_thread_complete(tmp_path):
    store, _ = make_store(tmp_path)
    article = add_article(store, "https://blog.example.de/post/")
    store.store_thread(article.id, OLD, provider="wordpress", partial=False)
    store.add_comment(article.id, CommentData("2", "1", "Ich", "<p>Danke</p>"))
    state = store.thread_state(article.id)
    assert (state.partial, state.provider) == (False, "wordpress")
    assert [c.key for c in store.comments_for(article.id)] == ["1", "2"]
    store.store_thread(article.id, OLD, provider="wordpress", partial=True)
    store.add_comment(article.id, CommentData("3", "", "Ich", "<p>Noch was</p>"))
    assert store.thread_state(article.id).partial  # a partial thread stays partial too


async def test_a_posted_reply_leaves_a_complete_thread_complete_after_a_restart(tmp_path):
    with DemoBlog() as blog:
        store, drafts = make_store(tmp_path)
        article = add_article(store, f"{blog.base_url}/{OPEN}/")
        store.store_thread(article.id, OLD, provider="wordpress", partial=False)
        queue(store, drafts, article, "Schöne Runde, Grüße aus Köln.")
        async with make_client(4) as client:
            [sent] = await send_pending(store, drafts, client)
        assert sent.state == "posted", sent
    store.close()
    reopened = Store(tmp_path / "blogtui.db")  # the app started again
    comments = reopened.comments_for(article.id)
    state = reopened.thread_state(article.id)
    assert len(comments) == 2 and not state.partial
    assert not any(line.startswith("Showing the newest") for line in notices(state, 2))
    reopened.close()
