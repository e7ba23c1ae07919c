"""The user's own site on 127.0.0.1: a real Micropub endpoint from PyPI (`django-indieweb`).

Run by tests/e2e_webmention/conftest.py with the Python of the IndieWeb venv (.ci/webmention.sh):

    python micropub_app.py PORT STATE_DIR TOKEN [SCOPE]

django-indieweb's `MicropubView` does the protocol (Bearer tokens checked against its `Token`
model and their `create` scope, form and JSON creates, `201` + `Location`, `q=config`,
`q=source` with list mode, its error bodies). What it leaves to the host site is where posts are
kept and shown: `Posts` below keeps them in memory (newest first for `q=source`) and `/posts/N`
shows each as an h-entry page, which a Webmention receiver reads. The token given on the command
line is stored (hashed, as the package does) for a user, with SCOPE (default "create update":
the package asks for `update` to answer `q=source`).
Not imported by pytest: it needs Django and the package.
"""

from __future__ import annotations

import html
import sys
import threading
from datetime import UTC, datetime
from typing import Any

import django
from django.conf import settings

PORT, STATE, TOKEN = int(sys.argv[1]), sys.argv[2], sys.argv[3]
SCOPE = sys.argv[4] if len(sys.argv) > 4 else "create update"
ORIGIN = f"http://127.0.0.1:{PORT}"
settings.configure(
    DEBUG=False,
    SECRET_KEY="blogtui-tests-only-not-a-secret",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sites",
        "indieweb",
    ],  # fmt: skip
    SITE_ID=1,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{STATE}/site.db"}},
    MIDDLEWARE=[],
    USE_TZ=True,
    INDIEWEB_MICROPUB_HANDLER="__main__.Posts",
)
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from indieweb.handlers import (  # noqa: E402
    MicropubContentHandler,
    MicropubEntry,
    MicropubEntryList,
)
from indieweb.models import Token  # noqa: E402

LINKED = ("in-reply-to", "like-of", "repost-of", "bookmark-of")
_posts: list[MicropubEntry] = []
_lock = threading.Lock()


class Posts(MicropubContentHandler):
    """The site's posts, in memory (the package asks a host site for this part)."""

    def create_entry(self, properties: dict[str, list[Any]], user: Any) -> MicropubEntry:
        with _lock:
            url = f"{ORIGIN}/posts/{len(_posts) + 1}"
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            entry = MicropubEntry(url, {**properties, "url": [url], "published": [stamp]})
            _posts.append(entry)
        return entry

    def update_entry(self, url: str, updates: dict[str, Any], user: Any) -> MicropubEntry:
        raise ValueError("updates are not offered here")

    def delete_entry(self, url: str, user: Any) -> None:
        raise ValueError("deletes are not offered here")

    def undelete_entry(self, url: str, user: Any) -> MicropubEntry:
        raise ValueError("undeletes are not offered here")

    def get_entry(self, url: str, user: Any) -> MicropubEntry | None:
        with _lock:
            return next((e for e in _posts if e.url == url), None)

    def list_entries(
        self,
        user: Any,
        *,
        limit: int | None = None,
        offset: int = 0,
        filter: str | None = None,  # noqa: A002
    ) -> MicropubEntryList:
        with _lock:
            newest = list(reversed(_posts))
        shown = newest[offset : offset + limit if limit is not None else None]
        return MicropubEntryList(shown, len(newest))


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("value") or value.get("html") or "")
    return str(value)


def post_page(request: HttpRequest, number: int) -> HttpResponse:
    """One post as an h-entry."""
    with _lock:
        if not 0 < number <= len(_posts):
            return HttpResponse("not found", status=404, content_type="text/plain")
        properties = _posts[number - 1].properties
    links = "".join(
        f'<a class="u-{name}" href="{html.escape(_text(url))}">{html.escape(_text(url))}</a>\n'
        for name in LINKED
        for url in properties.get(name, [])
    )
    content = "".join(f"<p>{html.escape(_text(c))}</p>" for c in properties.get("content", []))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>Post {number}</title>
</head><body><article class="h-entry">
<a class="p-author h-card" href="{ORIGIN}/">Jörg Müller</a>
{links}<div class="e-content">{content}</div>
<a class="u-url" href="{ORIGIN}/posts/{number}">#</a>
<time class="dt-published" datetime="{html.escape(_text(properties["published"][0]))}"></time>
</article></body></html>"""
    return HttpResponse(page, content_type="text/html; charset=utf-8")


def alive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("indieweb/", include("indieweb.urls")),
    path("posts/<int:number>", post_page),
    path("alive", alive),
]


if __name__ == "__main__":
    call_command("migrate", verbosity=0, interactive=False)
    owner, _ = get_user_model().objects.get_or_create(username="joerg")
    Token.objects.filter(owner=owner).delete()
    Token(key=TOKEN, owner=owner, client_id="https://blogtui.example/", me=f"{ORIGIN}/",
          scope=SCOPE).save()  # fmt: skip
    call_command("runserver", f"127.0.0.1:{PORT}", use_reloader=False, verbosity=0)
