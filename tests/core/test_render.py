"""html2text settings: German entities, links, images, hostile HTML within bounds."""

from __future__ import annotations

import time

import pytest

from blogtui.core.text.blocks import CELL, ROW, TABLE_END, TABLE_START, lay_out
from blogtui.core.text.html import html_to_text, plain_text
from blogtui.core.text.markup import strip_tags


def test_german_entities_survive():
    text = html_to_text(
        "<p>&bdquo;Gr&uuml;&szlig;e&ldquo; &ndash; K&ouml;ln &amp; M&uuml;nchen</p>"
    ).text
    assert text == "„Grüße“ – Köln & München"


def test_links_are_numbered_with_a_list_at_the_end():
    rendered = html_to_text(
        '<p>Siehe <a href="/a">hier</a> und <a href="mailto:x@y.de">Mail</a>.</p>',
        "https://blog.example/post/",
    )
    assert "[hier][1]" in rendered.text and "[Mail][2]" in rendered.text
    assert rendered.links == ["https://blog.example/a", "mailto:x@y.de"]
    assert rendered.text.rstrip().endswith("mailto:x@y.de")


def test_images_become_alt_text_and_scripts_vanish():
    text = html_to_text(
        '<img src="data:image/png;base64,AAAA" alt="Ein Rad"><script>alert(1)</script>'
        "<style>p{}</style><p>Text</p>"
    ).text
    assert "[image: Ein Rad]" in text
    assert "alert" not in text and "p{}" not in text and "base64" not in text


def test_a_linked_image_is_the_links_text():
    rendered = html_to_text(
        '<p>Look: <a href="https://photos.example/big.jpg"><img src="small.jpg" alt="Rad"></a>'
        ' <a href="https://photos.example/2.jpg"><img src="2s.jpg"></a> fertig</p>'
    )
    assert rendered.text.startswith("Look: [[image: Rad]][1] [[image]][2] fertig")
    assert rendered.links == ["https://photos.example/big.jpg", "https://photos.example/2.jpg"]


def test_no_markdown_escaping():
    text = html_to_text("<p>1. Mai * Stern</p><p>## kein Titel | a|b</p>").text
    assert text == "1. Mai * Stern\n\n## kein Titel | a|b"


def test_tables_are_aligned_text_with_the_header_underlined():
    text = html_to_text(
        "<p>Vorher</p><table><thead><tr><th>Was</th><th>Anzahl</th></tr></thead><tbody>"
        "<tr><td>Reparaturtermine</td><td>24</td></tr>"
        "<tr><td>Räder | Rahmen</td><td><p>412</p><p>(geschätzt)</p></td></tr>"
        "<tr><td>日本語</td><td></td></tr><tr><td></td><td></td></tr>"
        "</tbody></table><p>Nachher</p>"
    ).text
    assert text.split("\n") == [
        "Vorher",
        "",
        "Was               Anzahl",
        "----------------  ---------------",
        "Reparaturtermine  24",
        "Räder | Rahmen    412 (geschätzt)",
        "日本語",
        "",
        "Nachher",
    ]
    assert "---|---" not in text


def test_inner_tables_run_into_their_cell_and_long_cells_overflow_their_row():
    long = "x" * 100
    text = html_to_text(
        f"<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td><td>d</td></tr>"
        f"<tr><td>{long}</td><td>e</td></tr></table>"
    ).text
    assert text.split("\n") == [f"a b c{' ' * 35}  d", f"{long}  e"]


def test_headings_are_underlined_not_markdown():
    text = html_to_text(
        "<h1>Titel</h1><p>a</p><h2>Die <em>Zahlen</em></h2><h3>Klein</h3><h4> </h4><p>b</p>"
        f"<h2>{'Lang ' * 30}</h2>"
    ).text
    assert text.split("\n")[:12] == [
        "Titel", "=====", "", "a", "", "Die Zahlen", "==========", "", "Klein", "-----", "", "b",
    ]  # fmt: skip
    assert text.split("\n")[-1] == "=" * 60
    assert "#" not in text


def test_the_source_cannot_forge_table_or_heading_markers():
    forged = "".join(chr(code) for code in range(0xE000, 0xE00C))
    text = html_to_text(f"<p>a{forged}b</p><table><tr><td>c{forged}</td></tr></table>").text
    assert text == "ab\n\nc"


def test_table_padding_stops_at_its_budget():
    rows = f"{'w' * 40}{CELL}z{ROW}" + f"n{CELL}z{ROW}" * 10
    laid_out = lay_out(f"{TABLE_START}{rows}{TABLE_END}" * 3, budget=500)
    tables = [block for block in laid_out.split("\n\n") if block]
    assert len(tables) == 3
    assert tables[0].split("\n")[1] == "n" + " " * 39 + "  z" == tables[1].split("\n")[1]
    assert tables[2].split("\n")[1] == "n  z"  # past the budget: unpadded


def test_escape_sequences_in_html_are_neutralised():
    text = html_to_text("<p>\x1b]0;pwned\x07Hallo &#27;[2J</p>").text
    assert "\x1b" not in text and "\x07" not in text
    assert "Hallo" in text


def test_deep_nesting_is_bounded():
    started = time.perf_counter()
    text = html_to_text("<ul><li>x" * 5000 + "</li></ul>" * 5000).text
    assert time.perf_counter() - started < 5
    assert max(len(line) for line in text.splitlines()) < 200


def test_huge_body_is_capped():
    text = html_to_text("<p>" + "wort " * 2_000_000 + "</p>").text
    assert 0 < len(text) <= 1_000_000


def test_plain_text_fallback():
    assert plain_text("<p>Gr&uuml;&szlig;e</p><p>zwei</p>") == "Grüße\n\nzwei"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("a < b and c > d", "a < b and c > d"),  # a "<" that starts no tag is text
        ("1 <3 you", "1 <3 you"),
        ("<b>fett</b> &amp; <i>kursiv</i>", "fett & kursiv"),
        ("Ein <a href='x'>Link</a>, <em>so</em>.", "Ein Link, so."),  # inline tags add nothing
        ("x<img src=y>z<td>w", "x z w"),
        ("eins<br>zwei<p>drei</p>", "eins\nzwei\ndrei\n"),
        ("<P CLASS=x>Groß</P>", "\nGroß\n"),
        ("x<script>alert('<p>')</script>y", "x y"),
        ("x<SCRIPT type=module>a</Script >y", "x y"),
        ("x<svg/>y<style/>z", "x y z"),
        ("x<!-- a -- b -->y", "x y"),
        ("x<!---->y<!-- offen", "x y "),
        ("x<a href='" + "y" * 5000 + "'>z", "x<a href='" + "y" * 5000 + "'>z"),  # too long a tag
        ("&lt;script&gt;", "<script>"),  # decoded text is never parsed again
        ("", ""),
    ],
)
def test_strip_tags(html, expected):
    assert strip_tags(html) == expected


def test_strip_tags_reads_at_most_its_limit():
    assert strip_tags("abc<p>def", limit=5) == "abc<p"


def test_superscript_and_subscript_keep_their_meaning():
    text = html_to_text("<p>2<sup>10</sup> Bytes, H<sub>2</sub>O</p>").text
    assert text == "2^10 Bytes, H_2O"


def test_a_link_without_address_is_plain_text():
    rendered = html_to_text(
        '<p><a href="">leer</a> <a href=" ">blank</a> <a>ohne</a></p>', "https://blog.example/post/"
    )
    assert rendered.text == "leer blank ohne" and rendered.links == []


def test_an_embedded_frame_is_a_numbered_link_and_its_content_stays_hidden():
    rendered = html_to_text(
        '<p>Seht:<iframe src="https://video.example/embed/7" title="Das Rad">Fallback</iframe>'
        '<iframe src="//maps.example/m"></iframe><iframe src="javascript:alert(1)"></iframe>'
        '<iframe src="about:blank"></iframe>Ende</p>',
        "https://blog.example/post/",
    )
    assert rendered.text.startswith(
        "Seht: [[embedded: Das Rad]][1] [[embedded: maps.example]][2] Ende"
    )
    assert rendered.links == ["https://video.example/embed/7", "https://maps.example/m"]
    assert "Fallback" not in rendered.text


def test_video_and_audio_link_to_their_first_source():
    rendered = html_to_text(
        '<video controls><source src=""><source src="/v/rad.webm"><source src="/v/rad.mp4">'
        '</video><p>Und <audio src="podcast.mp3"></audio></p><video></video>',
        "https://blog.example/post/",
    )
    assert rendered.text.startswith("[[video]][1]\n\nUnd [[audio]][2]")
    assert rendered.links == [
        "https://blog.example/v/rad.webm",
        "https://blog.example/post/podcast.mp3",
    ]
