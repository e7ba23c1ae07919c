#!/usr/bin/env bash
# A real coldsweat (PyPI, 0.10.x: Flask + SQLite, a Fever API server) on 127.0.0.1 for tests.
#
#   bash .ci/coldsweat.sh install    pip-install coldsweat into its own venv ($CS_VENV; it pins
#                                    old Flask/urllib3, so never into the project's environment)
#   bash .ci/coldsweat.sh start      set up the database, the user and the seed once (coldsweat's
#                                    own CLI: setup, import --fetch of feeds served on 127.0.0.1),
#                                    serve on 127.0.0.1:$CS_PORT, wait until it answers, write
#                                    $CS_STATE/coldsweat.json
#   bash .ci/coldsweat.sh stop       stop the server `start` started (its pid only)
#   bash .ci/coldsweat.sh status     pid and whether the Fever API answers
#   bash .ci/coldsweat.sh reset      stop, wipe the state dir, start (fresh seed)
#
# Environment: CS_VENV (default /opt/blogtui-coldsweat), CS_STATE (default /tmp/blogtui-coldsweat),
# CS_PORT (default 8093). No network beyond PyPI at install time: the seed feeds come from a
# throwaway HTTP server on 127.0.0.1 that lives only while coldsweat fetches them.
set -euo pipefail

CS_VENV=${CS_VENV:-/opt/blogtui-coldsweat}
CS_STATE=${CS_STATE:-/tmp/blogtui-coldsweat}
CS_PORT=${CS_PORT:-8093}
CS_SPEC='coldsweat>=0.10,<0.11'
BASE_URL="http://127.0.0.1:${CS_PORT}"
HERE="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$HERE/lib.sh"

server_pid() { read_pid "$CS_STATE/server.pid"; }
# The pid is ours only while its command line is coldsweat's server.
server_ours() { pid_ours "${1:-}" "coldsweat run"; }

installed() { [[ -x "$CS_VENV/bin/coldsweat" ]] && "$CS_VENV/bin/python" -c 'import coldsweat' 2>/dev/null; }

cmd_install() {
    if installed; then
        log "coldsweat already installed in $CS_VENV"
        return 0
    fi
    local t0=$SECONDS
    [[ -x "$CS_VENV/bin/python" ]] || python3 -m venv "$CS_VENV"
    log "pip install $CS_SPEC into $CS_VENV"
    "$CS_VENV/bin/pip" install -q --disable-pip-version-check "$CS_SPEC" 2>&1 \
        | grep -v "is neither a file nor a directory" >&2 || true
    installed || die "coldsweat did not install into $CS_VENV"
    log "install done in $((SECONDS - t0)) s"
}


http_code() {
    "$CS_VENV/bin/python" - "$1" <<'PY' 2>/dev/null || echo 000
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b"api_key=x"), timeout=5) as r:
        print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}

# coldsweat reads FLASK_* variables when its instance folder has no config.toml.
seed() {
    log "setting up the database and seeding (feeds fetched from 127.0.0.1)"
    CS_BIN="$CS_VENV/bin/coldsweat" CS_STATE="$CS_STATE" \
    FLASK_DATABASE_URL="sqlite:///$CS_STATE/coldsweat.db" \
    FLASK_SECRET_KEY="blogtui-test-coldsweat-secret" \
    NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost" \
        "$CS_VENV/bin/python" "$HERE/coldsweat_seed.py" > "$CS_STATE/seed.json.tmp"
    mv -f "$CS_STATE/seed.json.tmp" "$CS_STATE/seed.json"
}

write_site_json() {
    "$CS_VENV/bin/python" - "$CS_STATE" "$BASE_URL" <<'PY'
import json, os, sys
state, base = sys.argv[1], sys.argv[2]
with open(os.path.join(state, "seed.json"), encoding="utf-8") as f:
    site = json.load(f)
site.update({"base_url": base, "fever_url": base + "/fever/", "state_dir": state,
             "database": os.path.join(state, "coldsweat.db")})
tmp = os.path.join(state, "coldsweat.json.tmp")
with open(tmp, "w", encoding="utf-8") as f:
    json.dump(site, f, ensure_ascii=False, indent=2)
    f.write("\n")
os.replace(tmp, os.path.join(state, "coldsweat.json"))
PY
}

cmd_start() {
    local t0=$SECONDS pid
    installed || die "coldsweat is not installed — run: bash .ci/coldsweat.sh install"
    mkdir -p "$CS_STATE"
    pid=$(server_pid)
    if server_ours "$pid"; then
        log "already running (pid $pid)"
        cat "$CS_STATE/coldsweat.json"
        return 0
    fi
    if [[ -s "$CS_STATE/port" && "$(cat "$CS_STATE/port")" != "$CS_PORT" ]]; then
        log "state dir was made for port $(cat "$CS_STATE/port"); starting afresh"
        rm -rf "$CS_STATE"
        mkdir -p "$CS_STATE"
    fi
    echo "$CS_PORT" > "$CS_STATE/port"
    if [[ ! -s "$CS_STATE/seed.json" ]]; then
        rm -f "$CS_STATE"/coldsweat.db*
        seed
    fi
    [[ "$(http_code "$BASE_URL/fever/?api")" == 000 ]] || die "something else answers on $BASE_URL"
    log "serving on $BASE_URL"
    # setsid: its own process group, so `stop` can end it and nothing else.
    setsid env FLASK_DATABASE_URL="sqlite:///$CS_STATE/coldsweat.db" \
        FLASK_SECRET_KEY="blogtui-test-coldsweat-secret" \
        "$CS_VENV/bin/coldsweat" run --host 127.0.0.1 --port "$CS_PORT" \
        --no-reload --no-debugger --with-threads > "$CS_STATE/server.log" 2>&1 < /dev/null &
    echo $! > "$CS_STATE/server.pid"
    local i code=000
    for i in $(seq 1 150); do
        code=$(http_code "$BASE_URL/fever/?api")
        [[ "$code" == 200 ]] && break
        pid_alive "$(server_pid)" || { tail -20 "$CS_STATE/server.log" >&2; die "server exited"; }
        sleep 0.2
    done
    [[ "$code" == 200 ]] || { tail -20 "$CS_STATE/server.log" >&2; die "no answer from $BASE_URL"; }
    write_site_json
    log "coldsweat up at $BASE_URL in $((SECONDS - t0)) s; site description: $CS_STATE/coldsweat.json"
    cat "$CS_STATE/coldsweat.json"
}

cmd_stop() {
    local pid
    pid=$(server_pid)
    if server_ours "$pid"; then
        stop_groups "$pid:coldsweat"
    fi
    rm -f "$CS_STATE/server.pid"
}

cmd_status() {
    local pid code
    pid=$(server_pid)
    if server_ours "$pid"; then echo "coldsweat: running (pid $pid, $BASE_URL)"; else echo "coldsweat: stopped"; fi
    code=$(http_code "$BASE_URL/fever/?api")
    echo "POST $BASE_URL/fever/?api -> $code"
    server_ours "$pid" && [[ "$code" == 200 ]]
}

cmd_reset() {
    cmd_stop
    rm -rf "$CS_STATE"
    cmd_start
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
