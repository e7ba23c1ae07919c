"""The packages whose public names are imported on first use (`blogtui.core.lazy`)."""

from __future__ import annotations

import pytest
from support.imports import loaded_after

import blogtui.core.comments
import blogtui.core.posting
import blogtui.ui
from blogtui.core.lazy import lazy_names


def test_a_name_comes_from_the_submodule_it_is_listed_under():
    from blogtui.core.comments.loading import load_thread
    from blogtui.core.posting.outbox import queue_reply
    from blogtui.ui.app import build_app

    assert blogtui.core.posting.queue_reply is queue_reply
    assert blogtui.core.comments.load_thread is load_thread
    assert blogtui.ui.build_app is build_app


def test_every_listed_name_resolves():
    for package in (blogtui.core.comments, blogtui.core.posting, blogtui.ui):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)


def test_an_unlisted_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="'blogtui.core.posting' has no attribute 'nope'"):
        blogtui.core.posting.nope  # noqa: B018
    assert not hasattr(blogtui.core.comments, "nope")
    with pytest.raises(AttributeError, match="'json' has no attribute 'dumps'"):
        lazy_names("json", {})("dumps")  # only the listed names, even where one exists


def test_the_package_alone_imports_none_of_its_submodules():
    packages = ("blogtui.core.comments", "blogtui.core.posting")
    imports = "import blogtui.core.posting, blogtui.core.comments"
    assert loaded_after(imports, (*packages, "httpx")) == list(packages)
    used = f"{imports}\nblogtui.core.posting.Secret"
    assert loaded_after(used, ("blogtui.core.posting",)) == [
        "blogtui.core.posting",
        "blogtui.core.posting.credentials",
    ]
