#!/usr/bin/env bash
# A real Tiny Tiny RSS (Debian 12's `tt-rss` package) on 127.0.0.1 for the sync tests.
#
#   bash .ci/ttrss.sh install    apt-get tt-rss (no database configured by dbconfig), php-cgi,
#                                MariaDB (root; idempotent)
#   bash .ci/ttrss.sh start      private MariaDB (socket only) with the package's own schema,
#                                a user with API access, the package's www tree under `php -S`;
#                                writes $TT_STATE/ttrss.json
#   bash .ci/ttrss.sh reset      stop, wipe the state dir, start (a fresh schema and user)
#   bash .ci/ttrss.sh stop       stop the processes `start` started (by their pids)
#   bash .ci/ttrss.sh status     show pids and whether the API answers
#   bash .ci/ttrss.sh sql 'SQL'  run SQL in tt-rss's database (tests seed feeds and articles
#                                so: tt-rss refuses to subscribe to or fetch 127.0.0.1 feeds)
#
# Environment: TT_STATE (default /tmp/blogtui-ttrss), TT_PORT (default 8090).
# Nothing listens on anything but 127.0.0.1; MariaDB has no TCP port at all.
set -euo pipefail

TT_STATE=${TT_STATE:-/tmp/blogtui-ttrss}
TT_PORT=${TT_PORT:-8090}
BASE_URL="http://127.0.0.1:${TT_PORT}"
WWW_SRC=/usr/share/tt-rss/www
WWW="$TT_STATE/www"
DB_DIR="$TT_STATE/mysql"
DB_SOCK="$TT_STATE/mysqld.sock"
TT_USER=blogtui
TT_PASSWORD='blogtui-Passwort-123'
PACKAGES=(tt-rss php-cgi php-cli php-mysql php-intl php-mbstring php-xml dbconfig-no-thanks mariadb-server mariadb-client)

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd_install() {
    # The package asks whether dbconfig-common should set up a database: no, we make our own.
    apt_install "tt-rss tt-rss/dbconfig-install boolean false"
}

db_pid() { local p; p=$(read_pid "$TT_STATE/mysqld.pid"); pid_ours "$p" "--socket=$DB_SOCK" && echo "$p" || true; }
php_pid() { local p; p=$(read_pid "$TT_STATE/php.pid"); pid_ours "$p" "127.0.0.1:$TT_PORT" && echo "$p" || true; }
db_sql() { mariadb --no-defaults --socket="$DB_SOCK" -uroot "$@"; }

start_db() {
    [[ -n "$(db_pid)" ]] && return 0
    rm -f "$DB_SOCK" "$TT_STATE/mysqld.pid"
    if [[ ! -d "$DB_DIR/mysql" ]]; then
        rm -rf "$DB_DIR"; mkdir -p "$DB_DIR"
        mariadb-install-db --no-defaults --user=root --datadir="$DB_DIR" \
            --auth-root-authentication-method=socket --skip-test-db \
            > "$TT_STATE/mariadb-install.log" 2>&1 \
            || { cat "$TT_STATE/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
    fi
    setsid mariadbd --no-defaults --user=root --datadir="$DB_DIR" \
        --socket="$DB_SOCK" --pid-file="$TT_STATE/mysqld.pid" --skip-networking \
        --log-error="$TT_STATE/mariadb.log" \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
        --performance-schema=OFF --skip-name-resolve < /dev/null > /dev/null 2>&1 &
    echo $! > "$TT_STATE/mysqld.pid"
    local i
    for i in $(seq 1 300); do
        [[ -S "$DB_SOCK" ]] && db_sql -e 'SELECT 1' >/dev/null 2>&1 && return 0
        pid_alive "$(read_pid "$TT_STATE/mysqld.pid")" || { tail -n 20 "$TT_STATE/mariadb.log" >&2; die "mariadbd exited"; }
        sleep 0.1
    done
    die "MariaDB did not come up in 30 s"
}

write_www() {
    # The package's own code, with our config.php (the package's points at /etc/tt-rss).
    if [[ ! -d "$WWW" ]]; then
        rm -rf "$WWW.tmp"
        cp -a "$WWW_SRC" "$WWW.tmp"
        rm -f "$WWW.tmp/config.php" "$WWW.tmp/feed-icons"
        local link
        while IFS= read -r link; do   # the package's relative links point into /usr/share
            ln -sfn "$(readlink -f "$WWW_SRC/${link#"$WWW.tmp/"}")" "$link"
        done < <(find "$WWW.tmp" -type l)
        mv "$WWW.tmp" "$WWW"
    fi
    mkdir -p "$TT_STATE"/{lock,icons} "$TT_STATE"/cache/{images,upload,export}
    ln -sfn "$TT_STATE/icons" "$WWW/feed-icons"
    sed -e "s|include_once('/etc/tt-rss/database.php');||" \
        -e "s|\$dbtype|'mysql'|; s|\$dbserver|'localhost;unix_socket=$DB_SOCK'|" \
        -e "s|\$dbport|''|; s|\$dbuser|'ttrss'|; s|\$dbname|'ttrss'|; s|\$dbpass|'ttrss'|" \
        -e "s|%SELF_URL_PATH|$BASE_URL/|" \
        -e "s|'/var/lib/tt-rss'|'$TT_STATE/lock'|; s|'/var/cache/tt-rss'|'$TT_STATE/cache'|" \
        -e "s|define('LOG_DESTINATION', 'syslog')|define('LOG_DESTINATION', '')|" \
        /etc/tt-rss/config.php > "$WWW/config.php"
    printf "<?php define('_SKIP_SELF_URL_PATH_CHECKS', true);\n" > "$TT_STATE/prepend.php"
}

install_schema() {
    if db_sql -N -e "SELECT 1 FROM ttrss.ttrss_users LIMIT 1" >/dev/null 2>&1; then
        return 0
    fi
    log "loading the package's schema and creating user $TT_USER"
    db_sql <<SQL
CREATE DATABASE IF NOT EXISTS ttrss CHARACTER SET utf8 COLLATE utf8_general_ci;
CREATE USER IF NOT EXISTS 'ttrss'@'localhost' IDENTIFIED BY 'ttrss';
GRANT ALL PRIVILEGES ON ttrss.* TO 'ttrss'@'localhost';
FLUSH PRIVILEGES;
SQL
    db_sql ttrss < /usr/share/tt-rss/schema/ttrss_schema_mysql.sql
    local hash
    hash=$(printf '%s' "$TT_PASSWORD" | sha1sum | cut -d' ' -f1)
    db_sql ttrss <<SQL
INSERT INTO ttrss_users (login, pwd_hash, access_level, created) VALUES ('$TT_USER', 'SHA1:$hash', 0, NOW());
INSERT INTO ttrss_user_prefs (owner_uid, pref_name, value, profile)
    SELECT id, 'ENABLE_API_ACCESS', 'true', NULL FROM ttrss_users WHERE login = '$TT_USER';
SQL
}

http_probe() {
    python3 - "$1" <<'PY'
import json, sys, urllib.request
try:
    req = urllib.request.Request(sys.argv[1], data=json.dumps({"op": "getApiLevel"}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        print(r.status, json.loads(r.read()).get("content", {}).get("error", "ok"))
except Exception as e:
    print("000", type(e).__name__)
PY
}

start_php() {
    [[ -n "$(php_pid)" ]] && return 0
    [[ "$(http_probe "$BASE_URL/api/")" == 000* ]] || die "something already answers on 127.0.0.1:$TT_PORT (set TT_PORT)"
    log "starting php -S 127.0.0.1:$TT_PORT"
    PHP_CLI_SERVER_WORKERS=4 setsid php -d display_errors=stderr -d memory_limit=256M \
        -d auto_prepend_file="$TT_STATE/prepend.php" \
        -S "127.0.0.1:$TT_PORT" -t "$WWW" < /dev/null >> "$TT_STATE/php.log" 2>&1 &
    echo $! > "$TT_STATE/php.pid"
    local i
    for i in $(seq 1 100); do
        [[ "$(http_probe "$BASE_URL/api/")" == "200 NOT_LOGGED_IN" ]] && return 0
        sleep 0.1
    done
    tail -n 20 "$TT_STATE/php.log" >&2 || true
    die "tt-rss did not answer at $BASE_URL/api/"
}

write_json() {
    python3 - "$TT_STATE" "$BASE_URL" "$TT_USER" "$TT_PASSWORD" "$DB_SOCK" <<'PY'
import json, os, sys
state, base, user, password, sock = sys.argv[1:]
info = {"base_url": base + "/", "api_url": base + "/api/", "user": user, "password": password,
        "db_socket": sock, "db_name": "ttrss", "state_dir": state,
        "sql": f"bash .ci/ttrss.sh sql 'SQL'"}
with open(f"{state}/ttrss.json.tmp", "w") as f:
    json.dump(info, f, indent=2)
os.replace(f"{state}/ttrss.json.tmp", f"{state}/ttrss.json")
PY
}

cmd_start() {
    local missing
    missing=$(missing_packages)
    [[ -z "$missing" ]] || die "packages missing: ${missing}- run: bash .ci/ttrss.sh install"
    mkdir -p "$TT_STATE"
    start_db
    install_schema
    write_www
    start_php
    write_json
    log "tt-rss up at $BASE_URL/ (user $TT_USER); $TT_STATE/ttrss.json"
}

cmd_stop() {
    stop_groups "$(php_pid):php -S"   # php -S before the database it uses
    stop_groups "$(db_pid):mariadbd"
    rm -f "$TT_STATE/php.pid" "$TT_STATE/mysqld.pid"
}

cmd_status() {
    local dp pp code
    dp=$(db_pid); pp=$(php_pid); code=$(http_probe "$BASE_URL/api/")
    echo "mariadbd: ${dp:-stopped}; php -S: ${pp:-stopped}; POST $BASE_URL/api/ -> $code"
    [[ -n "$dp" && -n "$pp" && "$code" == "200 NOT_LOGGED_IN" ]]
}

cmd_reset() { cmd_stop; rm -rf "$TT_STATE"; cmd_start; }

cmd_sql() { [[ $# -ge 1 ]] || die "usage: sql 'SQL'"; db_sql ttrss -N -e "$1"; }

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    sql) shift; cmd_sql "$@" ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
