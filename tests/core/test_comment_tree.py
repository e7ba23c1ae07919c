"""The comment tree: order, depth, and safety against whatever parents a server claims."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from blogtui.core.comments.tree import build_tree, count_nodes, flatten
from blogtui.core.models import CommentData


def c(key: str, parent: str = "", published: float | None = None) -> CommentData:
    return CommentData(
        key=key, parent_key=parent, author=f"a{key}", content="", published=published
    )


def shape(tree) -> list[tuple[str, int, bool]]:
    return [(node.comment.key, depth, node.orphan) for node, depth in flatten(tree)]


def test_nesting_and_display_order() -> None:
    comments = [
        c("3", "1", 30.0),
        c("1", "", 10.0),
        c("2", "", 5.0),
        c("4", "1", 20.0),
        c("5", "4", 40.0),
    ]
    assert shape(build_tree(comments)) == [
        ("2", 0, False),
        ("1", 0, False),
        ("4", 1, False),
        ("5", 2, False),
        ("3", 1, False),
    ]


def test_undated_comments_come_last_and_numeric_keys_sort_numerically() -> None:
    comments = [c("10"), c("9"), c("1", published=99.0)]
    assert [key for key, _, _ in shape(build_tree(comments))] == ["1", "9", "10"]


def test_missing_parent_is_an_orphan_at_top_level() -> None:
    tree = build_tree([c("1", "", 1.0), c("2", "99", 2.0)])
    assert shape(tree) == [("1", 0, False), ("2", 0, True)]


def test_self_parent_is_cut_loose() -> None:
    assert shape(build_tree([c("1", "1")])) == [("1", 0, True)]


def test_cycle_is_broken_at_its_oldest_member() -> None:
    comments = [c("1", "3", 10.0), c("2", "1", 20.0), c("3", "2", 30.0), c("4", "2", 40.0)]
    assert shape(build_tree(comments)) == [
        ("1", 0, True),
        ("2", 1, False),
        ("3", 2, False),
        ("4", 2, False),
    ]


def test_duplicates_are_kept_once() -> None:
    tree = build_tree([c("1", "", 1.0), c("1", "", 1.0), c("2", "1", 2.0), c("2", "", 3.0)])
    assert shape(tree) == [("1", 0, False), ("2", 1, False)]


def test_ten_thousand_deep_does_not_recurse() -> None:
    depth = 10_000
    comments = [c(str(i), str(i - 1) if i else "", float(i)) for i in range(depth)]
    flat = flatten(build_tree(list(reversed(comments))))
    assert len(flat) == depth
    assert [d for _, d in flat] == list(range(depth))


def test_a_long_cycle_does_not_recurse() -> None:
    size = 10_000
    comments = [c(str(i), str((i + 1) % size), float(i)) for i in range(size)]
    flat = flatten(build_tree(comments))
    assert len(flat) == size
    assert flat[0][0].comment.key == "0" and flat[0][0].orphan
    assert flat[-1][1] == size - 1


def test_empty() -> None:
    assert build_tree([]) == [] and flatten([]) == []


keys = st.text(alphabet="0123456789ab", min_size=0, max_size=3)
comment_sets = st.lists(
    st.builds(
        c,
        keys,
        keys,
        st.one_of(st.none(), st.floats(min_value=0, max_value=2e9, allow_nan=False)),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(comment_sets)
def test_every_key_exactly_once_whatever_the_parents(comments: list[CommentData]) -> None:
    tree = build_tree(comments)
    flat = flatten(tree)
    seen = Counter(node.comment.key for node, _ in flat)
    assert set(seen) == {comment.key for comment in comments}
    assert all(n == 1 for n in seen.values())
    assert count_nodes(tree) == len(seen)
    for node, depth in flat:
        assert node.depth == depth
        for child in node.children:
            assert child.depth == depth + 1
            assert child.comment.parent_key == node.comment.key
        if depth == 0:
            assert node.orphan == bool(node.comment.parent_key)
        else:
            assert not node.orphan
