"""Helpers shared by the draft tests: a draft with an article, a parent and an identity."""

from __future__ import annotations

from blogtui.core.config import Identity
from blogtui.core.drafts.store import Draft, DraftStore

ARTICLE = "https://example.org/2024/hallo"
WHO = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example")


def make(store: DraftStore, text: str = "Hallo", parent_id: str = "", **changes: object) -> Draft:
    return store.new(
        blog="example.org",
        article_url=ARTICLE,
        article_title="Über „Anführungszeichen“",
        parent_id=parent_id,
        parent_author="Anna" if parent_id else "",
        parent_excerpt="Was für ein Artikel" if parent_id else "",
        identity=WHO,
        text=text,
        **changes,  # type: ignore[arg-type]
    )
