"""Seeds the coldsweat of `.ci/coldsweat.sh` through coldsweat's own CLI, without network.

Run with coldsweat's venv python (CS_BIN is its `coldsweat` script, CS_STATE the state dir,
FLASK_DATABASE_URL the database). Serves three German feeds (RSS and Atom, 77 entries, more
than one Fever page of 50) from a throwaway HTTP server on 127.0.0.1, then runs
`coldsweat setup` (the user), `coldsweat import FEEDS.opml EMAIL --fetch` (coldsweat fetches
and parses them itself) and marks a few entries read and saved with coldsweat's own
`mark_entry`. Prints the seed description (user, password, api key, feeds, entry ids by guid,
the read and saved ids) as JSON on stdout.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

EMAIL = "leserin@example.org"
PASSWORD = "Kennwort-für-Fever-2024"
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
ICON = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
FEEDS = [
    # key, title, format, entries, group (None: coldsweat's Default group), hours apart
    ("typografie", "Schreibwerkstatt – Über Typografie", "rss", 60, "Sprache & Kultur", 1),
    ("technik", "Technik-Tagebuch: Bäume, Brücken, Bytes", "atom", 12, "Technik", 5),
    ("kueche", "Kleines Küchenblog", "rss", 5, None, 24),
]
TOPICS = ["Anführungszeichen", "das ß", "Umlaute", "Gedankenstriche", "Silbentrennung"]


def entry(key: str, n: int, hours: int) -> dict[str, str | datetime]:
    when = START + timedelta(hours=n * hours)
    topic = TOPICS[n % len(TOPICS)]
    return {
        "guid": f"https://{key}.example.org/artikel/{n}",
        "link": f"https://{key}.example.org/{when:%Y/%m}/artikel-{n}",
        "title": f"Folge {n}: Über {topic} – „Grüße“ aus Köln",
        "html": f"<p>Teil {n} unserer Reihe über <em>{topic}</em>: Größe, Maß und Süße.</p>",
        "author": "Jörg Weißbach",
        "when": when,
    }


def rss(key: str, title: str, items: list[dict[str, str | datetime]], origin: str) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://{key}.example.org/</link>",
        "<description>Ein Testblog für blogtui</description>",
        f"<image><url>{origin}/icon.png</url><title>{escape(title)}</title>"
        f"<link>https://{key}.example.org/</link><width>16</width><height>16</height></image>",
    ]
    for item in items:
        when = item["when"]
        assert isinstance(when, datetime)
        parts.append(
            f"<item><title>{escape(str(item['title']))}</title><link>{item['link']}</link>"
            f'<guid isPermaLink="false">{item["guid"]}</guid>'
            f"<author>joerg@example.org ({item['author']})</author>"
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(str(item['html']))}</description></item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts)


def atom(key: str, title: str, items: list[dict[str, str | datetime]], origin: str) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>https://{key}.example.org/</id>",
        f'<link rel="alternate" href="https://{key}.example.org/"/>',
        f"<icon>{origin}/icon.png</icon><updated>2024-04-01T00:00:00Z</updated>",
    ]
    for item in items:
        when = item["when"]
        assert isinstance(when, datetime)
        parts.append(
            f"<entry><title>{escape(str(item['title']))}</title><id>{item['guid']}</id>"
            f'<link rel="alternate" href={quoteattr(str(item["link"]))}/>'
            f"<author><name>{escape(str(item['author']))}</name></author>"
            f"<published>{when:%Y-%m-%dT%H:%M:%SZ}</published>"
            f"<updated>{when:%Y-%m-%dT%H:%M:%SZ}</updated>"
            f'<content type="html">{escape(str(item["html"]))}</content></entry>'
        )
    parts.append("</feed>\n")
    return "".join(parts)


def write_feeds(folder: Path, origin: str) -> dict[str, list[dict[str, str | datetime]]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "icon.png").write_bytes(ICON)
    outlines: dict[str | None, list[str]] = {}
    made = {}
    for key, title, kind, count, group, hours in FEEDS:
        items = [entry(key, n, hours) for n in range(1, count + 1)]
        made[key] = items
        name = f"{key}.{'atom' if kind == 'atom' else 'xml'}"
        text = (atom if kind == "atom" else rss)(key, title, items, origin)
        (folder / name).write_text(text, encoding="utf-8")
        outlines.setdefault(group, []).append(
            f'<outline type="rss" text={quoteattr(title)} xmlUrl="{origin}/{name}"'
            f' htmlUrl="https://{key}.example.org/"/>'
        )
    body = []
    for group, lines in outlines.items():
        if group is None:
            body.extend(lines)
        else:
            body.append(f"<outline text={quoteattr(group)}>{''.join(lines)}</outline>")
    opml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="1.0"><head><title>Seed</title>'
        f"</head><body>{''.join(body)}</body></opml>\n"
    )
    (folder / "feeds.opml").write_text(opml, encoding="utf-8")
    return made


def run(*args: str) -> None:
    result = subprocess.run([os.environ["CS_BIN"], *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"coldsweat {args[0]} failed: {result.stdout}{result.stderr}")
    print(result.stdout.strip(), file=sys.stderr)


def mark(guids_read: list[str], guids_saved: list[str]) -> None:
    """Marks through coldsweat's own feed.mark_entry inside its app context."""
    from coldsweat import create_app
    from coldsweat import feed as cs_feed
    from coldsweat.models import Entry, User

    app = create_app()
    with app.app_context():
        user = User.get(User.email == EMAIL)
        for guids, status in ((guids_read, "read"), (guids_saved, "saved")):
            for guid in guids:
                cs_feed.mark_entry(user, Entry.get(Entry.guid == guid), status)


def main() -> None:
    state = Path(os.environ["CS_STATE"])
    folder = state / "feeds"
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        made = write_feeds(folder, origin)
        run("setup", EMAIL, "--password", PASSWORD, "--name", "Lea Leserin")
        run("import", str(folder / "feeds.opml"), EMAIL, "--fetch")
    finally:
        server.shutdown()
    read = [str(item["guid"]) for item in made["kueche"][:3]]
    saved = [str(made["typografie"][0]["guid"]), str(made["technik"][11]["guid"])]
    mark(read, saved)
    database = os.environ["FLASK_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        ids = dict(db.execute("SELECT guid, id FROM entries"))
        feeds = db.execute("SELECT id, title, self_link FROM feeds ORDER BY id").fetchall()
        groups = db.execute(
            "SELECT g.title, s.feed_id FROM subscriptions s JOIN groups g ON g.id = s.group_id"
        ).fetchall()
    expected = sum(count for _, _, _, count, _, _ in FEEDS)
    if len(ids) != expected or len(feeds) != len(FEEDS):
        sys.exit(f"seed incomplete: {len(ids)} of {expected} entries, {len(feeds)} feeds")
    group_of = {feed_id: title for title, feed_id in groups}
    key_of = {url.rsplit("/", 1)[1].split(".")[0]: (fid, title, url) for fid, title, url in feeds}
    seed = {
        "email": EMAIL,
        "password": PASSWORD,
        "api_key": hashlib.md5(f"{EMAIL}:{PASSWORD}".encode()).hexdigest(),
        "feeds": [
            {
                "key": key,
                "id": key_of[key][0],
                "title": key_of[key][1],
                "url": key_of[key][2],
                "group": group_of.get(key_of[key][0]),
                "entries": [
                    {
                        "id": ids[str(item["guid"])],
                        "guid": item["guid"],
                        "link": item["link"],
                        "title": item["title"],
                        "created_on_time": int(item["when"].timestamp()),  # type: ignore[union-attr]
                    }
                    for item in made[key]
                ],
            }
            for key, *_rest in FEEDS
        ],
        "read_ids": sorted(ids[g] for g in read),
        "saved_ids": sorted(ids[g] for g in saved),
        "total_items": expected,
    }
    json.dump(seed, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
