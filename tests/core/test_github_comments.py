"""giscus and utterances against the GitHub stand-in (tests/standins/github.py): detection from
the page, trees equal to GitHub's own, Link and cursor paging, rate limits shown and respected,
the token sent only to the API, errors naming the setting, hostile HTML cleaned."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from standins.github import (
    COMMENT_OFFSET,
    Discussion,
    GitHubStandIn,
    Issue,
    node_id,
    two_levels,
)
from standins.threads import Item, german_thread, pairs

from blogtui.core.comments import find_thread
from blogtui.core.comments.giscus import GiscusProvider
from blogtui.core.comments.giscus import find_embed as giscus_embed
from blogtui.core.comments.loading import NoThread
from blogtui.core.comments.page import Page, parse_page
from blogtui.core.comments.registry import PROVIDERS, page_systems
from blogtui.core.comments.utterances import UtterancesProvider
from blogtui.core.comments.utterances import find_embed as utterances_embed
from blogtui.core.models import Article
from blogtui.core.posting.lookup import stand_in

TOKEN = "ghp_testtoken0001"
PATH = "/2024/01/artikel.html"
UTTERANCES = """<html><head><title>Ein Artikel über Käse</title></head><body><article>Text</article>
<script src="https://utteranc.es/client.js" repo="blog-de/kommentare" issue-term="pathname"
 theme="github-light" crossorigin="anonymous" async></script></body></html>"""
GISCUS = """<html><head><title>Ein Artikel</title></head><body><article>Text</article>
<script src="https://giscus.app/client.js" data-repo="blog-de/kommentare" data-repo-id="R_kgDO1"
 data-category="Kommentare" data-category-id="DIC_kwDO1" data-mapping="pathname" data-strict="0"
 data-reactions-enabled="1" crossorigin="anonymous" async></script></body></html>"""


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubStandIn]:
    server = GitHubStandIn(TOKEN)
    tokens = {"value": TOKEN}
    for kind in (GiscusProvider, UtterancesProvider):
        monkeypatch.setitem(PROVIDERS, kind.name, kind(server.origin, lambda: tokens["value"]))
    server.tokens = tokens  # type: ignore[attr-defined]
    monkeypatch.setattr("blogtui.core.comments.github.gh_token", lambda: "")  # not this machine's
    try:
        yield server
    finally:
        server.close()


def issue_on(server: GitHubStandIn, count: int, page: str = UTTERANCES) -> tuple[Article, Issue]:
    issue = Issue("blog-de/kommentare", 7, "2024/01/artikel", german_thread(count))
    server.issues.append(issue)
    server.pages[PATH] = page
    return stand_in(f"{server.origin}{PATH}"), issue


def discussion_on(server: GitHubStandIn, count: int) -> tuple[Article, Discussion]:
    found = Discussion("blog-de/kommentare", 3, "2024/01/artikel", "Kommentare",
                       two_levels(german_thread(count)))  # fmt: skip
    server.discussions.append(found)
    server.pages[PATH] = GISCUS
    return stand_in(f"{server.origin}{PATH}"), found


def discussion_tree(items: list[Item]) -> set[tuple[str, str]]:
    return {(node_id(i.number), node_id(i.parent) if i.parent else "") for i in items}


def comment_requests(server: GitHubStandIn) -> list[str]:
    return [s.query.get("page", ["1"])[0] for s in server.seen if s.path.endswith("/comments")]


async def test_utterances_tree_is_the_issue_flat_over_link_pages(github, client) -> None:
    github.tokens["value"] = ""
    article, issue = issue_on(github, 250)
    found = await find_thread(client, article)
    assert found.provider == "utterances"
    flat = {(str(COMMENT_OFFSET + i.number), "") for i in issue.items}
    assert pairs(found.thread.comments) == flat
    assert comment_requests(github) == ["1", "2", "3"]
    search = [s for s in github.seen if s.path == "/search/issues"][0]
    assert search.query["q"] == ['"2024/01/artikel" type:issue in:title repo:blog-de/kommentare']
    assert found.thread.note == "GitHub: 57 of 60 requests left this hour"
    assert not found.thread.partial and found.thread.comments_open is True
    texts = {c.key: c.content for c in found.thread.comments}
    assert "Käse &amp; Brötchen" in texts[str(COMMENT_OFFSET + 12)]


async def test_giscus_tree_is_the_discussion_two_levels_over_cursors(github, client) -> None:
    article, discussion = discussion_on(github, 400)
    discussion.deleted, discussion.minimized = {5}, {6}
    found = await find_thread(client, article)
    assert found.provider == "giscus"
    assert pairs(found.thread.comments) == discussion_tree(discussion.items)
    calls = [s for s in github.seen if s.path == "/graphql"]
    names = [json.loads(s.body)["operationName"] for s in calls]
    assert names.count("BlogtuiDiscussionComments") == 2  # 134 top-level comments
    assert names.count("BlogtuiCommentReplies") >= 1  # comment 1 has more than 100 replies
    by_key = {c.key: c for c in found.thread.comments}
    assert by_key[node_id(5)].status == "deleted" and by_key[node_id(5)].content == ""
    assert "hidden on GitHub: off topic" in by_key[node_id(6)].content
    assert by_key[node_id(23)].author == "ghost"
    assert by_key[node_id(12)].author_key == "github:user12"
    assert found.thread.note == f"GitHub: {5000 - len(calls)} of 5000 requests left this hour"


def page_of(script: str, head: str = "") -> Page:
    html = f"<html><head><title>Mein Titel</title>{head}</head><body>{script}</body></html>"
    return parse_page(html, "https://blog.example/2024/post.html#kommentare", {})


def test_utterances_terms_as_its_script_computes_them() -> None:
    script = '<script src="https://utteranc.es/client.js" repo="a/b" {}></script>'
    canonical = '<link rel="canonical" href="https://blog.example/kanonisch/">'
    og = '<meta property="og:title" content="OG Titel">'
    cases = {'issue-term="pathname"': "2024/post", 'issue-term="url"': "https://blog.example/2024/post.html",
             'issue-term="title"': "Mein Titel", 'issue-term="og:title"': "OG Titel",
             'issue-term="Mein eigener Begriff"': "Mein eigener Begriff"}  # fmt: skip
    for attrs, term in cases.items():
        embed = utterances_embed(page_of(script.format(attrs), og))
        assert embed is not None and (embed.repo, embed.term) == ("a/b", term)
    embed = utterances_embed(page_of(script.format('issue-term="url"'), canonical))
    assert embed is not None and embed.term == "https://blog.example/kanonisch/"
    embed = utterances_embed(page_of(script.format('issue-number="12"')))
    assert embed is not None and embed.number == 12
    assert utterances_embed(page_of("<p>nichts</p>")) is None
    broken = page_of('<script src="https://utteranc.es/client.js" issue-term="url"></script>')
    systems = page_systems(broken)
    assert systems == ["utterances (the page's utterances script names no repository (`repo`))"]


def test_giscus_terms_as_its_script_computes_them() -> None:
    script = ('<script src="https://giscus.app/client.js" data-repo="a/b" data-category="Ideen"'
              ' {}></script>')  # fmt: skip
    og = '<meta name="og:title" content="OG Titel">'
    cases = {"": "2024/post", 'data-mapping="url"': "https://blog.example/2024/post.html",
             'data-mapping="title"': "Mein Titel", 'data-mapping="og:title"': "OG Titel",
             'data-mapping="specific" data-term="Begriff"': "Begriff"}  # fmt: skip
    for attrs, term in cases.items():
        embed = giscus_embed(page_of(script.format(attrs), og))
        assert embed is not None and embed.term == term
        assert (embed.repo, embed.category) == ("a/b", "Ideen")
    embed = giscus_embed(page_of(script.format('data-mapping="number" data-term="42"')))
    assert embed is not None and embed.number == 42
    strict = giscus_embed(page_of(script.format('data-strict="1"')))
    assert strict is not None and strict.strict
    bad = page_of(script.format('data-mapping="number" data-term="zwölf"'))
    assert page_systems(bad) == ["giscus (the page's giscus script maps by number but its"
                                 " data-term is not one)"]  # fmt: skip
    assert page_systems(page_of(script.format(""))) == ["giscus (GitHub a/b)"]


async def test_giscus_without_a_token_says_what_to_run(github, client) -> None:
    article, _ = discussion_on(github, 3)
    github.tokens["value"] = ""
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    assert "blogtui comment-key github" in caught.value.message
    assert "gh auth login" in caught.value.message
    assert not [s for s in github.seen if s.path == "/graphql"]


async def test_a_bad_token_names_the_setting_and_is_never_shown(github, client) -> None:
    article, _ = issue_on(github, 3)
    github.tokens["value"] = "ghp_falscherGeheimerWert"
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    assert "Bad credentials" in caught.value.message
    assert "comment-key github" in caught.value.message
    assert "falscher" not in caught.value.message


async def test_the_token_goes_to_the_api_only(github, client) -> None:
    article, _ = issue_on(github, 3)
    await find_thread(client, article)
    for seen in github.seen:
        sent = seen.headers.get("authorization")
        assert (sent == f"Bearer {TOKEN}") == (seen.path != PATH)


async def test_no_token_travels_over_plain_http(github, client, monkeypatch) -> None:
    article, _ = issue_on(github, 3)
    plain = UtterancesProvider("http://api.github.invalid", lambda: TOKEN)
    monkeypatch.setitem(PROVIDERS, "utterances", plain)
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    assert "only over https" in caught.value.message and TOKEN not in caught.value.message


async def test_stops_before_the_last_requests_of_the_hour(github, client) -> None:
    github.tokens["value"] = ""
    github.used[("core", False)] = 56
    article, _ = issue_on(github, 250)
    found = await find_thread(client, article)
    assert found.thread.partial and len(found.thread.comments) == 200
    assert comment_requests(github) == ["1", "2"]
    assert found.thread.note == "GitHub: 2 of 60 requests left this hour"


async def test_used_up_hour_says_when_it_resets(github, client) -> None:
    import time

    github.tokens["value"] = ""
    github.used[("core", False)] = 60
    article, _ = issue_on(github, 5)
    with pytest.raises(NoThread) as caught:
        await find_thread(client, article)
    when = time.strftime("%H:%M", time.localtime(github.reset))
    assert f"GitHub: all 60 requests this hour are used; more at {when}" in caught.value.message
    assert "comment-key github" in caught.value.message


async def test_no_issue_yet_is_an_empty_open_thread(github, client) -> None:
    github.pages[PATH] = UTTERANCES
    found = await find_thread(client, stand_in(f"{github.origin}{PATH}"))
    assert found.provider == "utterances" and found.thread.comments == []
    assert found.thread.comments_open is True


async def test_locked_issue_is_closed_and_quoting_replies_nest(github, client) -> None:
    article, issue = issue_on(github, 3)
    issue.locked = True
    link = f"https://github.com/blog-de/kommentare/issues/7#issuecomment-{COMMENT_OFFSET + 2}"
    issue.items.append(Item(4, 0, "x", f"> [@user2]({link}) wrote:\n> Straße\n\nJa, genau."))
    found = await find_thread(client, article)
    last = found.thread.comments[-1]
    assert (last.parent_key, last.content) == (str(COMMENT_OFFSET + 2), "<p>Ja, genau.</p>")
    assert found.thread.comments_open is False


async def test_discussion_by_number_that_does_not_exist(github, client) -> None:
    github.pages[PATH] = GISCUS.replace('data-mapping="pathname"',
                                        'data-mapping="number" data-term="99"')  # fmt: skip
    with pytest.raises(NoThread, match="Could not resolve to a Discussion"):
        await find_thread(client, stand_in(f"{github.origin}{PATH}"))


def test_cli_shows_the_thread_with_hostile_html_cleaned(github, tmp_path, capsys) -> None:
    from blogtui.cli import main

    github.tokens["value"] = ""
    article, issue = issue_on(github, 4)
    issue.items[1] = Item(2, 0, "Mallory", "<p>Hallo<script>alert(1)</script>\x1b[31mrot</p>")
    assert main(["--home", str(tmp_path / "home"), "comments", article.link]) == 0
    out, err = capsys.readouterr()
    assert "4 comments via utterances (GitHub issues)" in out
    assert "GitHub: 59 of 60 requests left this hour" in err
    assert "Hallo" in out and "alert" not in out and "\x1b" not in out


async def test_an_issue_longer_than_fifty_pages_is_partial(github, client) -> None:
    article, _ = issue_on(github, 5001)
    found = await find_thread(client, article)
    assert found.thread.partial and len(found.thread.comments) == 5000
    assert len(comment_requests(github)) == 50


async def test_an_api_answering_html_is_said_plainly(github, client) -> None:
    article, _ = issue_on(github, 3)
    github.pages["/search/issues"] = "<html><body>Wartungsarbeiten</body></html>"
    with pytest.raises(NoThread, match="expected JSON, the server sent text/html"):
        await find_thread(client, article)


async def test_a_nearly_used_search_limit_does_not_stop_the_comments(github, client) -> None:
    github.tokens["value"] = ""
    github.used[("search", False)] = 8
    article, _ = issue_on(github, 150)
    found = await find_thread(client, article)
    assert not found.thread.partial and len(found.thread.comments) == 150
    assert found.thread.note == "GitHub: 58 of 60 requests left this hour"


async def test_a_term_with_search_qualifiers_finds_no_other_repository(github, client) -> None:
    term = "Titel repo:fremd/projekt"
    github.issues.append(Issue("fremd/projekt", 1, term, german_thread(3)))
    github.pages[PATH] = UTTERANCES.replace('issue-term="pathname"', f'issue-term="{term}"')
    found = await find_thread(client, stand_in(f"{github.origin}{PATH}"))
    assert found.provider == "utterances" and found.thread.comments == []
    search = [s for s in github.seen if s.path == "/search/issues"]
    assert search and "repo:fremd/projekt" in search[0].query["q"][0]


def test_cli_names_the_requests_left_for_a_stored_article(github, tmp_path, capsys) -> None:
    from posting_support import add_article

    from blogtui.cli import main
    from blogtui.core.paths import places
    from blogtui.core.store import Store

    github.tokens["value"] = ""
    article, _ = issue_on(github, 2)
    home = tmp_path / "home"
    add_article(Store(places(home).database), article.link, title="Ein Artikel")
    assert main(["--home", str(home), "comments", article.link]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Ein Artikel\n2 comments via utterances")
    assert "GitHub: 59 of 60 requests left this hour" in err
