"""Where each article was left: a bounded map of article id to scroll offset."""

from __future__ import annotations

from collections import OrderedDict

POSITIONS = 500
"""Articles whose scroll offset is remembered (the least recently left go first)."""


class ScrollMemory:
    """The last `size` articles' scroll offsets, oldest dropped first."""

    def __init__(self, size: int = POSITIONS) -> None:
        self.size = size
        self._offsets: OrderedDict[int, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._offsets)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._offsets

    def leave(self, article_id: int, offset: float) -> None:
        """Remember that `article_id` was left at `offset` (an article left at its top and
        never scrolled before is not worth a place)."""
        if self._offsets.pop(article_id, None) is not None or offset:
            self._offsets[article_id] = offset
        while len(self._offsets) > self.size:
            self._offsets.popitem(last=False)

    def recall(self, article_id: int) -> float | None:
        """Where `article_id` was left, if remembered."""
        return self._offsets.get(article_id)
