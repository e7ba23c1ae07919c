#!/usr/bin/env bash
# A real Webmention receiver for tests: the `webmentions` package (PyPI, 0.2.x: Flask +
# SQLAlchemy storage, `POST /webmentions` to receive, `GET /webmentions?resource=&direction=` to
# list) in a venv of its own. The tests start it themselves on 127.0.0.1 (tests/e2e_webmention).
#
#   bash .ci/webmention.sh install    pip-install it into $WM_VENV (idempotent)
#   bash .ci/webmention.sh status     say whether it is installed
#
# Environment: WM_VENV (default /opt/blogtui-webmentions). The package is AGPL-licensed: it is a
# test tool only, never a dependency of blogtui, so it stays out of the project's environment.
set -euo pipefail

WM_VENV=${WM_VENV:-/opt/blogtui-webmentions}
WM_SPEC='webmentions[db,flask]>=0.2,<0.3'

log() { printf '[webmention.sh] %s\n' "$*" >&2; }

installed() {
    [[ -x "$WM_VENV/bin/python" ]] \
        && "$WM_VENV/bin/python" -c 'import webmentions, flask, sqlalchemy' 2>/dev/null
}

cmd_install() {
    if installed; then
        log "webmentions already installed in $WM_VENV"
        return 0
    fi
    [[ -x "$WM_VENV/bin/python" ]] || python3 -m venv "$WM_VENV"
    log "pip install $WM_SPEC into $WM_VENV"
    "$WM_VENV/bin/pip" install -q --disable-pip-version-check "$WM_SPEC" 2>&1 \
        | grep -v "is neither a file nor a directory" >&2 || true
    installed || { log "ERROR: webmentions did not install into $WM_VENV"; exit 1; }
}

case "${1:-}" in
    install) cmd_install ;;
    status) if installed; then echo "installed in $WM_VENV"; else echo "not installed"; exit 1; fi ;;
    *) echo "usage: $0 install|status" >&2; exit 2 ;;
esac
