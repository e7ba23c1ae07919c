#!/usr/bin/env bash
# Real IndieWeb servers for tests, in a venv of their own: the Webmention receiver of the
# `webmentions` package (PyPI, 0.2.x: Flask + SQLAlchemy storage, `POST /webmentions` to receive,
# `GET /webmentions?resource=&direction=` to list) and the Micropub endpoint of `django-indieweb`
# (PyPI, 0.6.x: Django). The tests start them on 127.0.0.1 themselves (tests/e2e_webmention).
#
#   bash .ci/webmention.sh install    pip-install it into $WM_VENV (idempotent)
#   bash .ci/webmention.sh status     say whether it is installed
#
# Environment: WM_VENV (default /opt/blogtui-webmentions). `webmentions` is AGPL-licensed: these
# are test tools only, never dependencies of blogtui, so they stay out of the project's environment.
set -euo pipefail

WM_VENV=${WM_VENV:-/opt/blogtui-webmentions}
WM_SPECS=('webmentions[db,flask]>=0.2,<0.3' 'django-indieweb>=0.6.2,<0.7')

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

installed() {
    [[ -x "$WM_VENV/bin/python" ]] \
        && "$WM_VENV/bin/python" -c 'import webmentions, flask, sqlalchemy, django, indieweb' \
            2>/dev/null
}

cmd_install() {
    if installed; then
        log "webmentions already installed in $WM_VENV"
        return 0
    fi
    [[ -x "$WM_VENV/bin/python" ]] || python3 -m venv "$WM_VENV"
    log "pip install ${WM_SPECS[*]} into $WM_VENV"
    "$WM_VENV/bin/pip" install -q --disable-pip-version-check "${WM_SPECS[@]}" 2>&1 \
        | grep -v "is neither a file nor a directory" >&2 || true
    installed || die "the IndieWeb servers did not install into $WM_VENV"
}

case "${1:-}" in
    install) cmd_install ;;
    status) if installed; then echo "installed in $WM_VENV"; else echo "not installed"; exit 1; fi ;;
    *) echo "usage: $0 install|status" >&2; exit 2 ;;
esac
