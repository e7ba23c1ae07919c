"""A blog on 127.0.0.1 whose Webmentions are received by the real `webmentions` package (PyPI).

Run by tests/e2e_webmention/conftest.py with the Python of its own venv (.ci/webmention.sh):

    python receiver_app.py PORT DATABASE

`bind_webmentions` (the package's Flask adapter) adds `POST /webmentions` (receive: it fetches
the source, checks that it links to the target, reads its microformats), `GET /webmentions?
resource=URL&direction=incoming` (the stored mentions as JSON) and a `Link: </webmentions>;
rel="webmention"` header on every text/* answer, so the articles below advertise the endpoint as
a relative URL in a header. Sources live on other 127.0.0.1 ports, so the package's SSRF guard
(which refuses loopback sources) is turned off, as its documentation says to for private setups.
Not imported by pytest: it needs Flask and the package, which the project's environment lacks.
"""

from __future__ import annotations

import sys

from flask import Flask, Response, redirect
from webmentions import WebmentionsHandler
from webmentions.server.adapters.flask import bind_webmentions
from webmentions.storage.adapters.db import init_db_storage

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><article class="h-entry"><h1 class="p-name">{title}</h1>
<div class="e-content"><p>Über Käse, Brötchen und die Straße nach München.</p></div>
</article></body></html>"""


def build(port: int, database: str) -> Flask:
    """The blog: articles, a moved article, the receiver."""
    base = f"http://127.0.0.1:{port}"
    app = Flask(__name__)
    handler = WebmentionsHandler(
        storage=init_db_storage(engine=f"sqlite:///{database}"),
        base_url=base,
        ssrf_protection=False,
    )
    bind_webmentions(app, handler)

    @app.get("/articles/<slug>")
    def article(slug: str) -> Response:
        return Response(ARTICLE.format(title=slug.replace("-", " ")), mimetype="text/html")

    @app.get("/moved/<slug>")
    def moved(slug: str) -> Response:
        return redirect(f"/articles/{slug}", 301)  # type: ignore[return-value]

    @app.get("/alive")
    def alive() -> Response:
        return Response("ok", mimetype="application/json")

    return app


if __name__ == "__main__":
    build(int(sys.argv[1]), sys.argv[2]).run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
