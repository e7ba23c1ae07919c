#!/usr/bin/env bash
# A real Waline comment server (the npm package @waline/vercel, SQLite storage) on 127.0.0.1
# for tests.
#
#   bash .ci/waline.sh install     npm-install the pinned @waline/vercel into $WALINE_HOME and
#                                  build its sqlite3 binding from source (idempotent)
#   bash .ci/waline.sh start       write the SQLite schema (first start), start the server and
#                                  wait until it answers; writes $WALINE_STATE/waline.json
#   bash .ci/waline.sh stop        stop the process `start` started (by its pid, nothing else)
#   bash .ci/waline.sh status      show the pid and whether the server answers
#   bash .ci/waline.sh reset       stop, wipe the database, start (a fresh, empty server)
#
# Environment: WALINE_HOME (install dir, default /opt/blogtui-waline), WALINE_STATE (database,
# pid and log, default /tmp/blogtui-waline), WALINE_PORT (default 8360), WALINE_OAUTH_PORT
# (default 8361), WALINE_IPQPS (seconds between two comments from one IP, default 0),
# WALINE_AUDIT (true: every comment waits for moderation; default false).
#
# Nothing leaves the machine: both listeners bind 127.0.0.1; Waline's OAuth-service lookup
# (made on EVERY request) goes to a stub in the same process answering {"services": []};
# Akismet is off (AKISMET_KEY=false), moderation is off, and the launcher refuses every outgoing
# TCP connection that is not to a loopback address.
set -euo pipefail

WALINE_VERSION=1.39.3
WALINE_HOME=${WALINE_HOME:-/opt/blogtui-waline}
WALINE_STATE=${WALINE_STATE:-/tmp/blogtui-waline}
WALINE_PORT=${WALINE_PORT:-8360}
WALINE_OAUTH_PORT=${WALINE_OAUTH_PORT:-8361}
WALINE_IPQPS=${WALINE_IPQPS:-0}
WALINE_AUDIT=${WALINE_AUDIT:-false}
BASE_URL="http://127.0.0.1:${WALINE_PORT}"
PID_FILE="$WALINE_STATE/waline.pid"
LOG_FILE="$WALINE_STATE/waline.log"
DB_FILE="$WALINE_STATE/waline.sqlite"

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

server_pid() { read_pid "$PID_FILE"; }
# The pid is ours only while its command line is the launcher's.
server_ours() { pid_ours "${1:-}" "$WALINE_HOME/launcher.js"; }
answers() {
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5).read()' \
        "$BASE_URL/api/comment?type=count&url=/" 2>/dev/null
}

installed() {
    [[ -f "$WALINE_HOME/node_modules/@waline/vercel/package.json" ]] \
        && grep -q "\"version\": \"$WALINE_VERSION\"" "$WALINE_HOME/node_modules/@waline/vercel/package.json" \
        && [[ -f "$WALINE_HOME/node_modules/sqlite3/build/Release/node_sqlite3.node" ]]
}

node_gyp() {
    local candidate
    for candidate in "$(npm root -g 2>/dev/null)/npm/node_modules/node-gyp/bin/node-gyp.js" \
                     /usr/share/nodejs/node-gyp/bin/node-gyp.js; do
        [[ -f "$candidate" ]] && { printf '%s' "$candidate"; return 0; }
    done
    command -v node-gyp || return 1
}

cmd_install() {
    write_launcher
    if installed; then
        log "@waline/vercel $WALINE_VERSION already installed in $WALINE_HOME"
        return 0
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        [[ $(id -u) -eq 0 ]] || die "node and npm are missing (install Node.js 20 or newer)"
        log "apt-get install nodejs npm"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm node-gyp libnode-dev
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    (( major >= 20 )) || log "WARNING: @waline/vercel $WALINE_VERSION wants Node.js >= 20, this is $(node --version)"
    mkdir -p "$WALINE_HOME"
    [[ -f "$WALINE_HOME/package.json" ]] \
        || printf '{"name": "blogtui-waline", "private": true}\n' > "$WALINE_HOME/package.json"
    local t0=$SECONDS
    log "npm install @waline/vercel@$WALINE_VERSION into $WALINE_HOME (a minute or two)"
    # --ignore-scripts: sqlite3's install script would download a prebuilt binary from GitHub;
    # it is built below from the sources it ships, against the local Node.js headers.
    (cd "$WALINE_HOME" && npm install --no-audit --no-fund --ignore-scripts --save-exact \
        "@waline/vercel@$WALINE_VERSION" >"$WALINE_HOME/npm.log" 2>&1) \
        || { tail -20 "$WALINE_HOME/npm.log" >&2; die "npm install failed (log: $WALINE_HOME/npm.log)"; }
    local gyp nodedir
    gyp=$(node_gyp) || die "node-gyp not found (it comes with npm; Debian: apt-get install node-gyp)"
    nodedir=$(dirname "$(dirname "$(command -v node)")")
    [[ -f "$nodedir/include/node/node_api.h" ]] || nodedir=/usr
    [[ -f "$nodedir/include/node/node_api.h" ]] \
        || die "Node.js headers not found (Debian: apt-get install libnode-dev)"
    log "building the sqlite3 binding (node-gyp, headers from $nodedir/include/node)"
    (cd "$WALINE_HOME/node_modules/sqlite3" \
        && node "$gyp" rebuild --nodedir="$nodedir" -j 2 >"$WALINE_HOME/gyp.log" 2>&1) \
        || { tail -20 "$WALINE_HOME/gyp.log" >&2; die "building sqlite3 failed (log: $WALINE_HOME/gyp.log)"; }
    installed || die "the install did not leave @waline/vercel $WALINE_VERSION with sqlite3"
    log "installed in $((SECONDS - t0)) s"
}

write_launcher() {
    mkdir -p "$WALINE_HOME"
    cat > "$WALINE_HOME/launcher.js.new" <<'JS'
// blogtui's launcher for @waline/vercel: one process, loopback only, nothing leaves the machine.
'use strict';
const http = require('node:http');
const net = require('node:net');

const port = Number(process.env.WALINE_PORT || 8360);
const oauthPort = Number(process.env.WALINE_OAUTH_PORT || 8361);
const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

// Every outgoing TCP connection goes through Socket#connect: refuse any but loopback ones
// (Akismet, avatars, OAuth and webhooks would otherwise reach the internet).
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  if (typeof options !== 'object' || options === null) options = { port: args[0], host: args[1] };
  const host = options.host === undefined ? 'localhost' : String(options.host);
  const pipe = options.path != null && options.port == null; // http passes its path along
  if (!pipe && !loopback.has(host)) {
    const error = new Error(`outgoing connection to ${host} refused (blogtui test server)`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

// Waline asks OAUTH_URL for its login services on every request: answer "none".
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"services": []}');
  })
  .listen(oauthPort, '127.0.0.1');

const waline = require('@waline/vercel');
const handler = waline({ env: 'production' });
http.createServer(handler).listen(port, '127.0.0.1', () => {
  console.log(`waline listening on http://127.0.0.1:${port}`);
});
JS
    mv "$WALINE_HOME/launcher.js.new" "$WALINE_HOME/launcher.js"
}

write_schema() {
    # Waline's SQLite schema (assets/waline.sqlite.sql in the walinejs/waline repository).
    python3 - "$DB_FILE" <<'PY'
import sqlite3, sys
now = "DATETIME DEFAULT (datetime('now', 'localtime'))"
stamps = f'"createdAt" {now}, "updatedAt" {now}, PRIMARY KEY("id" AUTOINCREMENT)'
tables = {
    "wl_Comment": '"id" INTEGER, "user_id" INTEGER, "comment" TEXT, "insertedAt" ' + now + ','
                  ' "ip" TEXT, "link" TEXT, "mail" TEXT, "nick" TEXT, "rid" INTEGER,'
                  ' "pid" INTEGER, "sticky" NUMERIC, "status" TEXT NOT NULL, "like" INTEGER,'
                  ' "ua" TEXT, "url" TEXT',
    "wl_Counter": '"id" INTEGER, "time" INTEGER, '
                  + ", ".join(f'"reaction{i}" INTEGER' for i in range(9)) + ', "url" TEXT',
    "wl_Users": '"id" INTEGER, "display_name" TEXT NOT NULL DEFAULT \'\','
                ' "email" TEXT NOT NULL DEFAULT \'\', "password" TEXT NOT NULL DEFAULT \'\','
                ' "type" TEXT NOT NULL DEFAULT \'\', "label" TEXT, "github" TEXT,'
                ' "twitter" TEXT, "facebook" TEXT, "google" TEXT, "weibo" TEXT, "qq" TEXT,'
                ' "oidc" TEXT, "huawei" TEXT, "2fa" TEXT, "avatar" TEXT, "url" TEXT',
}
with sqlite3.connect(sys.argv[1]) as db:
    for name, columns in tables.items():
        db.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({columns}, {stamps})')
PY
}

cmd_start() {
    installed || die "not installed: run 'bash .ci/waline.sh install' first"
    write_launcher
    local pid
    pid=$(server_pid)
    if server_ours "$pid"; then
        log "already running (pid $pid)"
    else
        mkdir -p "$WALINE_STATE"
        [[ -s "$DB_FILE" ]] || write_schema
        [[ -s "$WALINE_STATE/jwt" ]] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WALINE_STATE/jwt"
        log "starting on $BASE_URL (log: $LOG_FILE)"
        (
            cd "$WALINE_HOME"
            # A clean environment: only what Waline needs, so no stray key turns on a service.
            exec env -i PATH="$PATH" HOME="$WALINE_STATE" NODE_ENV=production TZ=UTC \
                WALINE_PORT="$WALINE_PORT" WALINE_OAUTH_PORT="$WALINE_OAUTH_PORT" \
                SQLITE_PATH="$WALINE_STATE" SQLITE_DB=waline SQLITE_PREFIX=wl_ \
                JWT_TOKEN="$(cat "$WALINE_STATE/jwt")" \
                SITE_NAME="blogtui test blog" SITE_URL="http://127.0.0.1:8089" \
                OAUTH_URL="http://127.0.0.1:${WALINE_OAUTH_PORT}" \
                AKISMET_KEY=false COMMENT_AUDIT="$WALINE_AUDIT" IPQPS="$WALINE_IPQPS" \
                DISABLE_REGION=true AVATAR_PROXY=false \
                setsid node "$WALINE_HOME/launcher.js" >>"$LOG_FILE" 2>&1 < /dev/null
        ) &
        echo $! > "$PID_FILE"
    fi
    local i
    for i in $(seq 1 120); do
        if answers; then
            printf '{"url": "%s", "port": %s, "version": "%s", "pid": %s}\n' \
                "$BASE_URL" "$WALINE_PORT" "$WALINE_VERSION" "$(server_pid)" > "$WALINE_STATE/waline.json"
            log "answering on $BASE_URL"
            return 0
        fi
        server_ours "$(server_pid)" || { tail -30 "$LOG_FILE" >&2; die "the server exited (log: $LOG_FILE)"; }
        sleep 0.5
    done
    tail -30 "$LOG_FILE" >&2
    die "no answer on $BASE_URL after 60 s"
}

cmd_stop() {
    local pid
    pid=$(server_pid)
    if server_ours "$pid"; then
        stop_groups "$pid:waline"
    else
        log "not running"
    fi
    rm -f "$PID_FILE"
}

cmd_status() {
    local pid
    pid=$(server_pid)
    if server_ours "$pid"; then log "running (pid $pid)"; else log "not running"; fi
    if answers; then log "answering on $BASE_URL"; else log "no answer on $BASE_URL"; return 1; fi
}

cmd_reset() {
    cmd_stop
    rm -f "$DB_FILE" "$WALINE_STATE/waline.json"
    cmd_start
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    *) die "usage: $0 install|start|stop|status|reset" ;;
esac
