#!/usr/bin/env bash
# A real WordPress (Debian 12's `wordpress` package) on 127.0.0.1 for tests.
#
#   bash .ci/wordpress.sh install        apt-get the Debian packages (root; idempotent)
#   bash .ci/wordpress.sh start          private MariaDB + `php -S`, install + seed once,
#                                        print and write $WP_STATE/wordpress.json
#   bash .ci/wordpress.sh stop           stop the processes `start` started
#   bash .ci/wordpress.sh status         show pids and whether the site answers
#   bash .ci/wordpress.sh reset          stop, wipe the state dir, start (fresh seed)
#   bash .ci/wordpress.sh check          probe the running site over HTTP (posts one
#                                        anonymous comment and deletes it again)
#   bash .ci/wordpress.sh option NAME VALUE     update_option(NAME, VALUE)
#   bash .ci/wordpress.sh option NAME           print get_option(NAME)
#   bash .ci/wordpress.sh php 'PHP CODE'        run PHP code with WordPress loaded
#   bash .ci/wordpress.sh permalinks plain|pretty   switch permalinks (default plain:
#                                        /?p=ID, REST at /index.php?rest_route=/) and
#                                        rewrite wordpress.json to match
#
# Environment: WP_STATE (default /tmp/blogtui-wp), WP_PORT (default 8089),
# WP_WORKERS (php -S worker processes, default 4).
# Nothing listens on anything but 127.0.0.1; MariaDB has no TCP port at all.
set -euo pipefail

WP_STATE=${WP_STATE:-/tmp/blogtui-wp}
WP_PORT=${WP_PORT:-8089}
WP_WORKERS=${WP_WORKERS:-4}
WP_ROOT=/usr/share/wordpress
BASE_URL="http://127.0.0.1:${WP_PORT}"
# Debian's /usr/share/wordpress/wp-config.php loads
# /etc/wordpress/config-$_SERVER['WORDPRESS_CONFIG'].php when that server variable is
# set (else config-<Host header without port>.php).  Our router and CLI bootstrap
# set it, so the site works whatever Host header a client sends.
WP_CONFIG_NAME="blogtui-${WP_PORT}"
WP_CONFIG_FILE="/etc/wordpress/config-${WP_CONFIG_NAME}.php"
DB_DIR="$WP_STATE/mysql"
DB_SOCK="$WP_STATE/mysqld.sock"
PACKAGES=(wordpress wordpress-theme-twentytwentythree mariadb-server mariadb-client php-cli php-mysql)

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd_install() { apt_install; }

# --------------------------------------------------------------------------- files

write_files() {
    mkdir -p "$WP_STATE" "$WP_STATE/mu-plugins"
    [[ -d /etc/wordpress ]] || mkdir -p /etc/wordpress
    local tmp="$WP_CONFIG_FILE.tmp.$$"
    cat > "$tmp" <<EOF
<?php
/* Written by blogtui's .ci/wordpress.sh for the test site in $WP_STATE. */
define('DB_NAME', 'wordpress');
define('DB_USER', 'blogtui');
define('DB_PASSWORD', 'blogtui');
define('DB_HOST', 'localhost:$DB_SOCK');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
define('WP_HOME', '$BASE_URL');
define('WP_SITEURL', '$BASE_URL');
define('WP_ENVIRONMENT_TYPE', 'local');      /* Application Passwords over plain http */
define('WPMU_PLUGIN_DIR', '$WP_STATE/mu-plugins');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);      /* no outgoing requests except to localhost */
define('WP_ALLOW_MULTISITE', false);
define('WP_DEBUG', false);
define('AUTH_KEY',         'blogtui-test-auth-key');
define('SECURE_AUTH_KEY',  'blogtui-test-secure-auth-key');
define('LOGGED_IN_KEY',    'blogtui-test-logged-in-key');
define('NONCE_KEY',        'blogtui-test-nonce-key');
define('AUTH_SALT',        'blogtui-test-auth-salt');
define('SECURE_AUTH_SALT', 'blogtui-test-secure-auth-salt');
define('LOGGED_IN_SALT',   'blogtui-test-logged-in-salt');
define('NONCE_SALT',       'blogtui-test-nonce-salt');
EOF
    mv -f "$tmp" "$WP_CONFIG_FILE"

    # Router for `php -S`: every request goes through it so WORDPRESS_CONFIG is set.
    cat > "$WP_STATE/router.php" <<EOF
<?php
\$_SERVER['WORDPRESS_CONFIG'] = '$WP_CONFIG_NAME';
\$blogtui_root = '$WP_ROOT';
\$blogtui_path = rawurldecode((string) parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH));
if (strpos(\$blogtui_path, '..') !== false || strpos(\$blogtui_path, "\\0") !== false) {
    http_response_code(400);
    return true;
}
if (preg_match('#^/wp-json(/.*)?\$#', \$blogtui_path, \$blogtui_m)) {
    /* Plain permalinks: map /wp-json/... onto ?rest_route=... */
    \$_GET['rest_route'] = (isset(\$blogtui_m[1]) && \$blogtui_m[1] !== '') ? \$blogtui_m[1] : '/';
    \$blogtui_path = '/index.php';
}
\$blogtui_file = \$blogtui_root . \$blogtui_path;
if (is_dir(\$blogtui_file)) {
    \$blogtui_file = rtrim(\$blogtui_file, '/') . '/index.php';
    \$blogtui_path = rtrim(\$blogtui_path, '/') . '/index.php';
}
if (is_file(\$blogtui_file) && substr(\$blogtui_file, -4) !== '.php') {
    return false; /* static file: let php -S serve it */
}
if (!is_file(\$blogtui_file)) {
    \$blogtui_file = \$blogtui_root . '/index.php';   /* pretty permalinks, 404s */
    \$blogtui_path = '/index.php';
}
\$_SERVER['SCRIPT_FILENAME'] = \$blogtui_file;
\$_SERVER['SCRIPT_NAME'] = \$blogtui_path;
\$_SERVER['PHP_SELF'] = \$blogtui_path;
chdir(dirname(\$blogtui_file));
unset(\$blogtui_m, \$blogtui_root);
require \$blogtui_file;
EOF

    # Loads WordPress for CLI scripts.
    cat > "$WP_STATE/boot.php" <<EOF
<?php
\$_SERVER['WORDPRESS_CONFIG'] = '$WP_CONFIG_NAME';
\$_SERVER['HTTP_HOST'] = '127.0.0.1:$WP_PORT';
\$_SERVER['SERVER_NAME'] = '127.0.0.1';
\$_SERVER['SERVER_PORT'] = '$WP_PORT';
\$_SERVER['REQUEST_URI'] = '/';
\$_SERVER['REQUEST_METHOD'] = 'GET';
\$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
define('WP_DISABLE_FATAL_ERROR_HANDLER', true);   /* plain PHP errors on the CLI */
require '$WP_ROOT/wp-load.php';
EOF

    cat > "$WP_STATE/run.php" <<'EOF'
<?php
require __DIR__ . '/boot.php';
if ($argc < 2) { fwrite(STDERR, "usage: run.php CODE\n"); exit(2); }
$blogtui_code = $argv[1];
unset($argv[0], $argv[1]);
$blogtui_result = eval($blogtui_code);
wp_cache_flush();
EOF

    # Must-use plugin: test knobs and no mail.
    cat > "$WP_STATE/mu-plugins/blogtui-test-site.php" <<'EOF'
<?php
/*
 * blogtui test site knobs (written by .ci/wordpress.sh):
 *  - no mail is sent (there is no MTA);
 *  - option blogtui_flood_seconds (default: unset = WordPress's own 15 s throttle)
 *    sets the comment flood interval; 0 switches flood checks off.
 */
add_filter('pre_wp_mail', '__return_false');
$blogtui_flood = get_option('blogtui_flood_seconds', '');
if ($blogtui_flood !== '' && $blogtui_flood !== false) {
    remove_filter('comment_flood_filter', 'wp_throttle_comment_flood', 10);
    add_filter('comment_flood_filter', function ($block, $last, $new) {
        if ($block) {
            return $block;
        }
        return ($new - $last) < (int) get_option('blogtui_flood_seconds');
    }, 10, 3);
}
unset($blogtui_flood);
EOF
}

# --------------------------------------------------------------------------- seed

write_seed_php() {
    cat > "$WP_STATE/seed.php" <<'EOF'
<?php
/* Installs WordPress and seeds deterministic content; prints seed JSON on stdout. */
define('WP_INSTALLING', true);
require __DIR__ . '/boot.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

if (is_blog_installed()) {
    fwrite(STDERR, "already installed\n");
    exit(3);
}

$res = wp_install('Blogtui Testblog', 'redaktion', 'redaktion@example.org', true, '',
                  'redaktion-Passwort-123', 'en_US');
$admin_id = (int) $res['user_id'];
wp_update_user(array(
    'ID' => $admin_id,
    'display_name' => 'Die Redaktion',
    'nickname' => 'Die Redaktion',
    'first_name' => 'Die',
    'last_name' => 'Redaktion',
));
wp_set_current_user($admin_id);

$options = array(
    'blogdescription' => 'Ein Blog für Tests von blogtui',
    'timezone_string' => 'Europe/Berlin',
    'gmt_offset' => '',
    'comment_moderation' => '0',
    'comment_previously_approved' => '0',
    'require_name_email' => '1',
    'comment_registration' => '0',
    'thread_comments' => '1',
    'thread_comments_depth' => '10',
    'page_comments' => '0',
    'comment_order' => 'asc',
    'close_comments_for_old_posts' => '0',
    'comments_notify' => '0',
    'moderation_notify' => '0',
    'default_pingback_flag' => '0',
    'default_comment_status' => 'open',
    'show_avatars' => '1',
    'posts_per_page' => '10',
    'posts_per_rss' => '10',
    'rss_use_excerpt' => '0',
    'permalink_structure' => '',
);
foreach ($options as $k => $v) {
    update_option($k, $v);
}

/* Drop the installer's sample content so the site is exactly what we seed. */
foreach (get_posts(array('post_type' => array('post', 'page'), 'post_status' => 'any',
                         'numberposts' => -1)) as $p) {
    wp_delete_post($p->ID, true);
}
foreach (get_comments(array('status' => 'all')) as $c) {
    wp_delete_comment($c->comment_ID, true);
}

function blogtui_post($title, $content, $date, $status = 'open') {
    $id = wp_insert_post(array(
        'post_title' => $title,
        'post_content' => $content,
        'post_status' => 'publish',
        'post_type' => 'post',
        'post_author' => get_current_user_id(),
        'post_date' => $date,
        'post_date_gmt' => get_gmt_from_date($date),
        'comment_status' => $status,
        'ping_status' => 'closed',
    ), true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    return $id;
}

$blogtui_people = array(
    'anna' => array('Anna Müller', 'anna.mueller@example.org', 'https://anna.example.org/'),
    'joerg' => array('Jörg Weißbach', 'joerg@example.org', ''),
    'suess' => array('Süßmann', 'suessmann@example.net', ''),
    'oe' => array('Özlem Çelik', 'oezlem@example.com', ''),
    'bjoern' => array('Björn „Bär“ Lund', 'bjoern@example.net', ''),
);
$blogtui_n = 0;

/* $who: a key of $blogtui_people, or 'author' for the logged-in post author. */
function blogtui_comment($post_id, $parent, $who, $content, $date, $approved = 1) {
    global $blogtui_people, $blogtui_n;
    $blogtui_n++;
    $data = array(
        'comment_post_ID' => $post_id,
        'comment_parent' => $parent,
        'comment_content' => $content,
        'comment_date' => $date,
        'comment_date_gmt' => get_gmt_from_date($date),
        'comment_approved' => $approved,
        'comment_type' => 'comment',
        /* Documentation-range addresses: never 127.0.0.1, so the seed does not
           trip WordPress's comment flood check for requests from the tests. */
        'comment_author_IP' => '192.0.2.' . (($blogtui_n % 250) + 1),
        'comment_agent' => 'blogtui-seed',
    );
    if ($who === 'author') {
        $u = wp_get_current_user();
        $data['user_id'] = $u->ID;
        $data['comment_author'] = $u->display_name;
        $data['comment_author_email'] = $u->user_email;
        $data['comment_author_url'] = '';
    } else {
        list($name, $mail, $url) = $blogtui_people[$who];
        $data['user_id'] = 0;
        $data['comment_author'] = $name;
        $data['comment_author_email'] = $mail;
        $data['comment_author_url'] = $url;
    }
    $id = wp_insert_comment(wp_slash($data));
    if (!$id) {
        fwrite(STDERR, "wp_insert_comment failed\n");
        exit(1);
    }
    return (int) $id;
}

/* ---- post A: nested German discussion ------------------------------------ */
$a_title = 'Über „Anführungszeichen“, Umlaute und das ß – eine Streitschrift';
$a = blogtui_post($a_title,
    "<!-- wp:paragraph -->\n<p>Wer schreibt, muss sich entscheiden: „so“ oder \"so\"? Dazu kommen ä, ö, ü und das ß, die in mancher Software noch immer zu Ã¤ werden.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Diskutieren Sie mit – aber bitte höflich.</p>\n<!-- /wp:paragraph -->",
    '2024-03-01 09:00:00');
$d = '2024-03-01 ';
$c1 = blogtui_comment($a, 0, 'anna', "Endlich sagt es mal jemand! „Gänsefüßchen“ gehören unten und oben hin.", $d . '10:00:00');
$c2 = blogtui_comment($a, $c1, 'author', "Danke, Frau Müller. Genau darum ging es uns: Typografie ist kein Luxus.", $d . '10:05:00');
$c3 = blogtui_comment($a, $c2, 'joerg', "Typografie schön und gut – aber wer tippt denn „ und “ auf einer normalen Tastatur?", $d . '10:20:00');
$c4 = blogtui_comment($a, $c3, 'anna', "Auf Linux: AltGr+V und AltGr+B. Größer ist der Aufwand nicht.", $d . '10:31:00');
$c5 = blogtui_comment($a, $c4, 'author', "Und unter macOS Alt+^ bzw. Alt+2. Wir ergänzen das im Artikel.", $d . '10:45:00');
$c6 = blogtui_comment($a, $c5, 'joerg', "Na gut, überzeugt. Außer beim ß: Das schreibe ich weiterhin als „ss“, wenn's schnell gehen muss.", $d . '11:02:00');
$c7 = blogtui_comment($a, $c6, 'suess', "Als jemand, der Süßmann heißt: Bitte nicht! Mit „ss“ findet mich keine Suchmaschine.", $d . '11:15:00');
$c8 = blogtui_comment($a, $c3, 'oe', "Ich nutze einfach die Autokorrektur. Die macht aus \"so\" automatisch „so“.\n\nMeistens jedenfalls.", $d . '10:40:00');
$c9 = blogtui_comment($a, $c8, 'bjoern', "Meistens ist das Problem. Bei Zitaten im Zitat wird es dann ‚heiter‘.", $d . '11:30:00');
$c10 = blogtui_comment($a, $c1, 'suess', "Oben und unten – und in der Schweiz «so». Viel Spaß beim Vereinheitlichen.", $d . '12:00:00');
$c11 = blogtui_comment($a, 0, 'bjoern', "Kleine Korrektur: Im zweiten Absatz fehlt ein Komma. Ansonsten: Grüße aus Lübeck!", $d . '13:00:00');
$c12 = blogtui_comment($a, $c11, 'author', "Danke, ist korrigiert. Grüße zurück an die Ostsee!", $d . '13:10:00');
$c13 = blogtui_comment($a, 0, 'oe', "Gibt es das auch als PDF? <em>Bitte</em> mit korrekten Ligaturen & Umlauten.", $d . '14:00:00');
/* One comment still waiting for moderation: not visible to anonymous readers. */
$c14 = blogtui_comment($a, $c13, 'joerg', "Dieser Kommentar wartet noch auf Freischaltung.", $d . '15:00:00', 0);

/* ---- post B: 130 approved comments ---------------------------------------- */
$b_title = 'Leserbriefe: 130 Kommentare zum Wochenende';
$b = blogtui_post($b_title,
    "<!-- wp:paragraph -->\n<p>Hier sammeln sich sehr viele Kommentare. Gut zum Blättern.</p>\n<!-- /wp:paragraph -->",
    '2024-03-02 09:00:00');
$who = array_keys($blogtui_people);
$prev_root = 0;
$b_ids = array();
for ($i = 1; $i <= 130; $i++) {
    $parent = 0;
    if ($i % 5 === 0 && $prev_root) {
        $parent = $prev_root;            /* every 5th is a reply to the last root */
    } elseif ($i % 7 === 0 && count($b_ids) > 0) {
        $parent = $b_ids[count($b_ids) - 1];  /* every 7th replies to the previous one */
    }
    $ts = strtotime('2024-03-02 10:00:00 UTC') + $i * 60;
    $date = gmdate('Y-m-d H:i:s', $ts);
    $text = sprintf("Kommentar Nr. %d: Schöne Grüße vom Wochenende – %s.", $i,
                    $i % 2 ? 'weiter so' : 'gut geschrieben');
    $id = blogtui_comment($b, $parent, $i % 11 === 0 ? 'author' : $who[$i % count($who)], $text, $date);
    $b_ids[] = $id;
    if ($parent === 0) {
        $prev_root = $id;
    }
}

/* ---- post C: comments closed ---------------------------------------------- */
$c_title = 'Geschlossene Gesellschaft: Kommentare sind zu';
$c = blogtui_post($c_title,
    "<!-- wp:paragraph -->\n<p>Zu diesem Beitrag können keine Kommentare mehr abgegeben werden.</p>\n<!-- /wp:paragraph -->",
    '2024-03-03 09:00:00', 'open');
$cc1 = blogtui_comment($c, 0, 'anna', "Schnell noch ein Kommentar, bevor geschlossen wird.", '2024-03-03 10:00:00');
$cc2 = blogtui_comment($c, $cc1, 'author', "Gerade noch rechtzeitig!", '2024-03-03 10:05:00');
wp_update_post(array('ID' => $c, 'comment_status' => 'closed'));

/* ---- post D: open, no comments -------------------------------------------- */
$d_title = 'Offen für Ihre Meinung: Schreiben Sie uns!';
$dd = blogtui_post($d_title,
    "<!-- wp:paragraph -->\n<p>Noch keine Kommentare. Seien Sie die oder der Erste – gern mit Umlauten: äöü ÄÖÜ ß.</p>\n<!-- /wp:paragraph -->",
    '2024-03-04 09:00:00');

/* ---- application password ------------------------------------------------- */
list($app_password, $app_item) = WP_Application_Passwords::create_new_application_password(
    $admin_id, array('name' => 'blogtui-tests'));
if (is_wp_error($app_password)) {
    fwrite(STDERR, $app_password->get_error_message() . "\n");
    exit(1);
}

update_option('blogtui_seeded', '1');
wp_cache_flush();

function blogtui_info($id, $title) {
    $p = get_post($id);
    return array(
        'id' => (int) $id,
        'url' => get_permalink($id),
        'title' => $title,
        'comment_status' => $p->comment_status,
        'comments_feed' => get_post_comments_feed_link($id),
    );
}

$seed = array(
    'site_title' => get_option('blogname'),
    'feed_url' => get_feed_link('rss2'),
    'comments_feed_url' => get_feed_link('comments_rss2'),
    'posts' => array(
        'nested' => blogtui_info($a, $a_title),
        'many' => blogtui_info($b, $b_title),
        'closed' => blogtui_info($c, $c_title),
        'open' => blogtui_info($dd, $d_title),
    ),
    'app_user' => 'redaktion',
    'app_password' => $app_password,
    'app_user_id' => $admin_id,
    'app_user_display_name' => 'Die Redaktion',
    'admin_password' => 'redaktion-Passwort-123',
    'comment_counts' => array(
        'nested' => (int) get_comments(array('post_id' => $a, 'status' => 'approve', 'count' => true)),
        'many' => (int) get_comments(array('post_id' => $b, 'status' => 'approve', 'count' => true)),
        'closed' => (int) get_comments(array('post_id' => $c, 'status' => 'approve', 'count' => true)),
        'open' => (int) get_comments(array('post_id' => $dd, 'status' => 'approve', 'count' => true)),
    ),
    'pending_counts' => array('nested' => 1, 'many' => 0, 'closed' => 0, 'open' => 0),
    'nested_max_depth' => 7,
    'nested_deepest_chain' => array($c1, $c2, $c3, $c4, $c5, $c6, $c7),
    'nested_pending_comment_id' => $c14,
    'options' => array(
        'comment_moderation' => 0,
        'comment_previously_approved' => 0,
        'require_name_email' => 1,
        'thread_comments' => 1,
        'thread_comments_depth' => 10,
        'comment_flood_seconds' => 15,
        'timezone_string' => 'Europe/Berlin',
        'permalinks' => 'plain',
    ),
);
echo wp_json_encode($seed, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
EOF
}

# --------------------------------------------------------------------------- db

# pids of the processes this state dir started; empty when not running (or reused)
db_pid() {
    local p; p=$(read_pid "$WP_STATE/mysqld.pid")
    pid_ours "$p" "--socket=$DB_SOCK" && echo "$p" || true
}
php_pid() {
    local p; p=$(read_pid "$WP_STATE/php.pid")
    pid_ours "$p" "$WP_STATE/router.php" && echo "$p" || true
}

db_sql() { mariadb --no-defaults --socket="$DB_SOCK" -uroot "$@"; }

start_db() {
    if [[ -n "$(db_pid)" ]]; then
        return 0
    fi
    rm -f "$DB_SOCK" "$WP_STATE/mysqld.pid"
    if [[ ! -d "$DB_DIR/mysql" ]]; then
        rm -rf "$DB_DIR"
        mkdir -p "$DB_DIR"
        log "initialising MariaDB datadir $DB_DIR"
        mariadb-install-db --no-defaults --user=root --datadir="$DB_DIR" \
            --auth-root-authentication-method=socket --skip-test-db \
            > "$WP_STATE/mariadb-install.log" 2>&1 \
            || { cat "$WP_STATE/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
    fi
    log "starting MariaDB (socket $DB_SOCK, no TCP)"
    # setsid: own session + process group, so `stop` can end exactly this group.  The
    # script runs without job control, so setsid does not fork and $! is the server.
    setsid mariadbd --no-defaults --user=root --datadir="$DB_DIR" \
        --socket="$DB_SOCK" --pid-file="$WP_STATE/mysqld.pid" --skip-networking \
        --log-error="$WP_STATE/mariadb.log" \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
        --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --skip-name-resolve \
        --skip-log-bin --performance-schema=OFF \
        --innodb-buffer-pool-dump-at-shutdown=OFF --innodb-buffer-pool-load-at-startup=OFF \
        < /dev/null > /dev/null 2>&1 &
    local pid=$!
    echo "$pid" > "$WP_STATE/mysqld.pid"
    local i
    for i in $(seq 1 300); do
        if [[ -S "$DB_SOCK" ]] && db_sql -e 'SELECT 1' >/dev/null 2>&1; then
            return 0
        fi
        pid_alive "$pid" || { tail -n 30 "$WP_STATE/mariadb.log" >&2 || true; die "mariadbd exited"; }
        sleep 0.1
    done
    tail -n 30 "$WP_STATE/mariadb.log" >&2 || true
    die "MariaDB did not come up in 30 s"
}

ensure_db_user() {
    db_sql <<'SQL'
CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'blogtui'@'localhost' IDENTIFIED BY 'blogtui';
GRANT ALL PRIVILEGES ON wordpress.* TO 'blogtui'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# --------------------------------------------------------------------------- http

http_probe() {
    # prints the HTTP status of GET $1 (000 when nothing answers)
    python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
}

start_php() {
    if [[ -n "$(php_pid)" ]]; then
        return 0
    fi
    if [[ "$(http_probe "$BASE_URL/wp-includes/images/blank.gif")" != "000" ]]; then
        die "something else already answers on 127.0.0.1:$WP_PORT (set WP_PORT)"
    fi
    log "starting php -S 127.0.0.1:$WP_PORT ($WP_WORKERS workers)"
    PHP_CLI_SERVER_WORKERS="$WP_WORKERS" setsid php -d display_errors=stderr \
        -d memory_limit=256M -d post_max_size=8M \
        -S "127.0.0.1:$WP_PORT" -t "$WP_ROOT" "$WP_STATE/router.php" \
        < /dev/null >> "$WP_STATE/php.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$WP_STATE/php.pid"
    local i
    for i in $(seq 1 100); do
        if [[ "$(http_probe "$BASE_URL/wp-includes/images/blank.gif")" == "200" ]]; then
            return 0
        fi
        pid_alive "$pid" || { tail -n 30 "$WP_STATE/php.log" >&2 || true; die "php -S exited"; }
        sleep 0.1
    done
    die "php -S did not answer in 10 s"
}

wp_php() { php -d display_errors=stderr -d log_errors=0 "$WP_STATE/run.php" "$@"; }

# Is WordPress installed and fully seeded?  prints yes/no/partial
seed_state() {
    php -d display_errors=stderr -r '
        define("WP_INSTALLING", true);
        require $argv[1];
        if (!is_blog_installed()) { echo "no"; exit; }
        echo get_option("blogtui_seeded") === "1" ? "yes" : "partial";
    ' "$WP_STATE/boot.php"
}

write_site_json() {
    # merges seed.json with what the running server announces
    python3 - "$WP_STATE" "$BASE_URL" <<'PY'
import json, re, sys, urllib.request
state, base = sys.argv[1], sys.argv[2]
with open(f"{state}/seed.json", encoding="utf-8") as f:
    seed = json.load(f)
req = urllib.request.Request(base + "/?feed=rss2", method="HEAD")
with urllib.request.urlopen(req, timeout=10) as r:
    links = r.headers.get_all("Link") or []
rest_root = None
for link in links:
    for m in re.finditer(r'<([^>]+)>\s*;\s*rel="https://api.w.org/"', link):
        rest_root = m.group(1)
if not rest_root:
    sys.exit("no api.w.org Link header on /?feed=rss2: %r" % links)
site = {"base_url": base, "rest_root": rest_root}
site.update(seed)
site["state_dir"] = state
tmp = f"{state}/wordpress.json.tmp"
with open(tmp, "w", encoding="utf-8") as f:
    json.dump(site, f, ensure_ascii=False, indent=2)
    f.write("\n")
import os
os.replace(tmp, f"{state}/wordpress.json")
PY
}

cmd_start() {
    local t0=$SECONDS missing
    missing=$(missing_packages)
    [[ -z "$missing" ]] || die "packages missing: ${missing}— run: bash .ci/wordpress.sh install"
    [[ $(id -u) -eq 0 ]] || die "start needs root (writes $WP_CONFIG_FILE, runs mariadbd --user=root)"
    mkdir -p "$WP_STATE"
    if [[ -s "$WP_STATE/port" && "$(cat "$WP_STATE/port")" != "$WP_PORT" ]]; then
        log "state dir was seeded for port $(cat "$WP_STATE/port"); reseeding for $WP_PORT"
        cmd_stop
        rm -rf "$WP_STATE"
        mkdir -p "$WP_STATE"
    fi
    echo "$WP_PORT" > "$WP_STATE/port"
    write_files
    start_db
    ensure_db_user
    local st
    st=$(seed_state)
    if [[ "$st" == "partial" ]]; then
        log "found a half-seeded database: dropping it"
        db_sql -e 'DROP DATABASE wordpress'
        ensure_db_user
        st=no
    fi
    local fresh=0
    if [[ "$st" == "no" ]]; then
        log "installing WordPress and seeding content"
        write_seed_php
        php -d display_errors=stderr "$WP_STATE/seed.php" > "$WP_STATE/seed.json.tmp"
        mv -f "$WP_STATE/seed.json.tmp" "$WP_STATE/seed.json"
        fresh=1
    fi
    [[ -s "$WP_STATE/seed.json" ]] || die "$WP_STATE/seed.json missing: run 'bash .ci/wordpress.sh reset'"
    start_php
    write_site_json
    if [[ $fresh -eq 1 ]]; then
        cmd_check
    fi
    log "WordPress up at $BASE_URL in $((SECONDS - t0)) s; site description: $WP_STATE/wordpress.json"
    cat "$WP_STATE/wordpress.json"
}

# --------------------------------------------------------------------------- check

cmd_check() {
    [[ -s "$WP_STATE/wordpress.json" ]] || die "not started"
    local rc=0
    python3 - "$WP_STATE/wordpress.json" > "$WP_STATE/check.out" <<'PY' || rc=$?
import json, re, sys, time, urllib.parse, urllib.request, urllib.error
site = json.load(open(sys.argv[1], encoding="utf-8"))
base = site["base_url"]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None
opener = urllib.request.build_opener(NoRedirect)

def get(url, method="GET", data=None):
    req = urllib.request.Request(url, method=method, data=data)
    try:
        r = opener.open(req, timeout=20)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, r.headers, r.read()

def ok(cond, what):
    if not cond:
        sys.exit("CHECK FAILED: " + what)
    print("ok:", what)

s, h, b = get(base + "/?feed=rss2", "HEAD")
ok(s == 200 and any('rel="https://api.w.org/"' in l for l in h.get_all("Link") or []),
   "HEAD /?feed=rss2 sends Link rel=https://api.w.org/")
s, h, b = get(base + "/?feed=rss2")
t = b.decode()
ok(s == 200 and "<wfw:commentRss>" in t and "<slash:comments>" in t,
   "/?feed=rss2 has wfw:commentRss and slash:comments")
for key, p in site["posts"].items():
    s, h, b = get(base + "/?p=%d" % p["id"])
    t = b.decode()
    if p["comment_status"] == "open":
        ok(s == 200 and re.search(r"""id=["']commentform["']""", t)
           and re.search(r"""name=["']comment_post_ID["'][^>]*value=["']%d["']""" % p["id"], t)
           and re.search(r"""name=["']comment_parent["']""", t),
           "/?p=%d (%s) renders #commentform" % (p["id"], key))
    else:
        ok(s == 200 and not re.search(r"""id=["']commentform["']""", t),
           "/?p=%d (%s) has no comment form" % (p["id"], key))
pid = site["posts"]["many"]["id"]
q = "post=%d&per_page=100" % pid
root = site["rest_root"]
for url in (base + "/?rest_route=/wp/v2/comments&" + q,
            base + "/wp-json/wp/v2/comments?" + q,
            root + "wp/v2/comments" + ("&" if "?" in root else "?") + q):
    s, h, b = get(url)
    data = json.loads(b)
    ok(s == 200 and h["X-WP-TotalPages"] == "2" and h["X-WP-Total"] == "130"
       and len(data) == 100 and all("parent" in c for c in data), "REST comments via " + url)
# anonymous form POST on the open post, then remove the comment again (flood check)
op = site["posts"]["open"]["id"]
body = urllib.parse.urlencode({
    "comment_post_ID": op, "comment_parent": 0, "author": "Prüfer Öz",
    "email": "pruefer@example.org", "url": "",
    "comment": "Selbsttest von wordpress.sh: äöüß „ok“ %d" % time.time()}).encode()
s, h, b = get(base + "/wp-comments-post.php", "POST", body)
loc = h.get("Location", "")
m = re.search(r"#comment-(\d+)$", loc)
ok(s == 302 and m, "anonymous POST /wp-comments-post.php -> 302 %s" % loc)
print("CREATED", m.group(1))
PY
    cat "$WP_STATE/check.out" | grep -v '^CREATED' >&2 || true
    local cid
    cid=$(sed -n 's/^CREATED //p' "$WP_STATE/check.out")
    if [[ -n "$cid" ]]; then
        wp_php "wp_delete_comment($cid, true);"
        log "deleted self-test comment $cid (so the 15 s flood window does not hit tests)"
    fi
    return $rc
}

# --------------------------------------------------------------------------- stop/status

cmd_stop() {
    stop_groups "$(php_pid):php -S" "$(db_pid):mariadbd"
    rm -f "$WP_STATE/php.pid" "$WP_STATE/mysqld.pid"
}

cmd_status() {
    local dp pp
    dp=$(db_pid); pp=$(php_pid)
    if pid_alive "$dp"; then echo "mariadbd: running (pid $dp, socket $DB_SOCK)"; else echo "mariadbd: stopped"; fi
    if pid_alive "$pp"; then echo "php -S:   running (pid $pp, $BASE_URL)"; else echo "php -S:   stopped"; fi
    local code
    code=$(http_probe "$BASE_URL/?rest_route=/")
    echo "GET $BASE_URL/?rest_route=/ -> $code"
    [[ -s "$WP_STATE/wordpress.json" ]] && echo "site: $WP_STATE/wordpress.json"
    pid_alive "$dp" && pid_alive "$pp" && [[ "$code" == "200" ]]
}

cmd_reset() {
    cmd_stop
    rm -rf "$WP_STATE"
    cmd_start
}

cmd_option() {
    [[ $# -ge 1 ]] || die "usage: option NAME [VALUE]"
    if [[ $# -ge 2 ]]; then
        BLOGTUI_OPT_NAME="$1" BLOGTUI_OPT_VALUE="$2" wp_php \
            'update_option(getenv("BLOGTUI_OPT_NAME"), getenv("BLOGTUI_OPT_VALUE")); echo get_option(getenv("BLOGTUI_OPT_NAME")), "\n";'
    else
        BLOGTUI_OPT_NAME="$1" wp_php \
            '$v = get_option(getenv("BLOGTUI_OPT_NAME")); echo is_scalar($v) ? $v : wp_json_encode($v), "\n";'
    fi
}

cmd_permalinks() {
    local structure
    case "${1:-}" in
        plain) structure="" ;;
        pretty) structure="/%year%/%monthnum%/%postname%/" ;;
        *) die "usage: permalinks plain|pretty" ;;
    esac
    [[ -s "$WP_STATE/seed.json" ]] || die "not started"
    BLOGTUI_STRUCTURE="$structure" BLOGTUI_SEED="$WP_STATE/seed.json" wp_php '
        global $wp_rewrite;
        $wp_rewrite->set_permalink_structure(getenv("BLOGTUI_STRUCTURE"));
        flush_rewrite_rules();
        $seed = json_decode(file_get_contents(getenv("BLOGTUI_SEED")), true);
        foreach ($seed["posts"] as $k => $p) {
            $seed["posts"][$k]["url"] = get_permalink($p["id"]);
            $seed["posts"][$k]["comments_feed"] = get_post_comments_feed_link($p["id"]);
        }
        $seed["feed_url"] = get_feed_link("rss2");
        $seed["comments_feed_url"] = get_feed_link("comments_rss2");
        $seed["options"]["permalinks"] = getenv("BLOGTUI_STRUCTURE") === "" ? "plain" : "pretty";
        file_put_contents(getenv("BLOGTUI_SEED") . ".tmp",
            wp_json_encode($seed, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n");
        rename(getenv("BLOGTUI_SEED") . ".tmp", getenv("BLOGTUI_SEED"));
    '
    write_site_json
    cat "$WP_STATE/wordpress.json"
}

cmd_php() {
    [[ $# -ge 1 ]] || die "usage: php 'PHP CODE'"
    [[ -s "$WP_STATE/run.php" ]] || die "not started"
    wp_php "$@"
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    check) cmd_check ;;
    option) shift; cmd_option "$@" ;;
    php) shift; cmd_php "$@" ;;
    permalinks) shift; cmd_permalinks "$@" ;;
    *) sed -n '2,21p' "$0" >&2; exit 2 ;;
esac
