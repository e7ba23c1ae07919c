"""Turning a flat list of comments into a tree, safely.

Whatever the server sent (cycles, self-parents, missing parents, duplicates), `build_tree`
returns a finite forest holding every distinct comment key exactly once. Nothing here recurses,
so a thread nested 10,000 deep is fine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar


class Threaded(Protocol):
    """What the tree needs of a comment (both `Comment` and `CommentData` qualify)."""

    @property
    def key(self) -> str: ...

    @property
    def parent_key(self) -> str: ...

    @property
    def published(self) -> float | None: ...


C = TypeVar("C", bound=Threaded)


@dataclass(eq=False, slots=True)
class Node(Generic[C]):
    """One comment in the tree.

    `orphan` is True when the comment names a parent that is missing, itself, or part of a
    cycle: it is then shown at the top level.
    """

    comment: C
    children: list[Node[C]] = field(default_factory=list)
    depth: int = 0
    orphan: bool = False


def _key_order(key: str) -> tuple[int, int, str]:
    """Numeric keys in numeric order, before any other keys."""
    return (0, int(key), "") if key.isdigit() and len(key) < 19 else (1, 0, key)


def sort_key(comment: Threaded) -> tuple[bool, float, tuple[int, int, str]]:
    """Oldest first; undated comments last; ties broken by key."""
    published = comment.published
    return (published is None, published or 0.0, _key_order(comment.key))


def _unique(comments: Iterable[C]) -> dict[str, C]:
    """The first comment of each key, in input order."""
    unique: dict[str, C] = {}
    for comment in comments:
        unique.setdefault(comment.key, comment)
    return unique


def _break_cycles(parent: dict[str, str | None], by_key: dict[str, C]) -> set[str]:
    """Cut every parent cycle at its oldest member; returns the keys that were cut loose."""
    state: dict[str, int] = {}  # missing: unvisited, 1: on the current path, 2: settled
    cut: set[str] = set()
    for start in parent:
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in state:
            state[current] = 1
            path.append(current)
            current = parent[current]
        if current is not None and state[current] == 1:
            cycle = path[path.index(current) :]
            oldest = min(cycle, key=lambda k: sort_key(by_key[k]))
            parent[oldest] = None
            cut.add(oldest)
        for key in path:
            state[key] = 2
    return cut


def build_tree(comments: Iterable[C]) -> list[Node[C]]:
    """Arrange `comments` as a forest of top-level nodes, each level sorted oldest first."""
    by_key = _unique(comments)
    parent: dict[str, str | None] = {}
    orphans: set[str] = set()
    for key, comment in by_key.items():
        wanted = comment.parent_key or ""
        if wanted and wanted != key and wanted in by_key:
            parent[key] = wanted
        else:
            parent[key] = None
            if wanted:
                orphans.add(key)
    orphans |= _break_cycles(parent, by_key)
    nodes = {key: Node(comment, orphan=key in orphans) for key, comment in by_key.items()}
    roots: list[Node[C]] = []
    for key in sorted(by_key, key=lambda k: sort_key(by_key[k])):
        up = parent[key]
        (roots if up is None else nodes[up].children).append(nodes[key])
    _set_depths(roots)
    return roots


def _set_depths(roots: Sequence[Node[C]]) -> None:
    """Give every node its depth (top level is 0), breadth first."""
    level: list[Node[C]] = list(roots)
    depth = 0
    while level:
        following: list[Node[C]] = []
        for node in level:
            node.depth = depth
            following.extend(node.children)
        level = following
        depth += 1


def flatten(tree: Sequence[Node[C]]) -> list[tuple[Node[C], int]]:
    """Every node with its depth, in display order (depth first, children oldest first)."""
    out: list[tuple[Node[C], int]] = []
    stack: list[Node[C]] = list(reversed(tree))
    while stack:
        node = stack.pop()
        out.append((node, node.depth))
        stack.extend(reversed(node.children))
    return out


def count_nodes(tree: Sequence[Node[C]]) -> int:
    """How many comments the tree holds."""
    return len(flatten(tree))
