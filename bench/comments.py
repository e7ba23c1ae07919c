"""Comment benchmark: a 500-comment WordPress thread, REST pages concurrently vs one by one.

    bash .ci/wordpress.sh start
    python bench/comments.py                    # 500 comments, 5 pages of 100
    python bench/comments.py --comments 1000 --rounds 5

The post is seeded once (through `.ci/wordpress.sh php`) and found again by its slug on later
runs. Each round fetches the whole thread with blogtui's WordPress provider twice: pages 2…
concurrently (the default) and one by one; the best round of each is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from blogtui.core.comments.base import Target  # noqa: E402
from blogtui.core.comments.wordpress import WordPressProvider  # noqa: E402
from blogtui.core.feeds.fetch import make_client  # noqa: E402

SLUG = "blogtui-bench-comments"
SEED = r"""
$slug = '%(slug)s'; $want = %(count)d;
$found = get_posts(array('name' => $slug, 'post_type' => 'post', 'post_status' => 'publish'));
$post = $found ? $found[0]->ID : wp_insert_post(array('post_title' => 'Benchmark: many comments',
    'post_name' => $slug, 'post_status' => 'publish', 'post_content' => 'Bench.',
    'comment_status' => 'open'));
$have = (int) get_comments(array('post_id' => $post, 'count' => true));
$ids = array();
for ($i = $have + 1; $i <= $want; $i++) {
    $parent = ($i %% 4 === 0 && $ids) ? $ids[array_rand($ids)] : 0;
    $ids[] = wp_insert_comment(array('comment_post_ID' => $post, 'comment_parent' => $parent,
        'comment_author' => 'Bench ' . $i, 'comment_author_email' => "b$i@example.org",
        'comment_content' => str_repeat("Comment $i says something. ", 8),
        'comment_date_gmt' => gmdate('Y-m-d H:i:s', 1700000000 + $i * 60),
        'comment_date' => gmdate('Y-m-d H:i:s', 1700000000 + $i * 60),
        'comment_approved' => 1, 'comment_author_IP' => '192.0.2.9'));
}
echo $post, "\n";
"""


def site() -> dict[str, object]:
    """The description `.ci/wordpress.sh start` wrote."""
    path = Path(os.environ.get("WP_STATE") or "/tmp/blogtui-wp") / "wordpress.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        sys.exit(f"no WordPress description at {path} ({error}); run: bash .ci/wordpress.sh start")


def seed(count: int) -> str:
    """The id of a published post with at least `count` approved comments."""
    code = SEED % {"slug": SLUG, "count": count}
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "wordpress.sh"), "php", code],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    post = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    if result.returncode != 0 or not post.isdigit():
        sys.exit(f"seeding failed ({result.returncode}): {result.stderr.strip()[-500:]}")
    return post


async def timed(target: Target, concurrency: int) -> tuple[float, int]:
    """Seconds to read the whole thread, and how many comments came."""
    async with make_client(16) as client:
        started = time.perf_counter()
        thread = await WordPressProvider(concurrency).fetch(client, target)
        return time.perf_counter() - started, len(thread.comments)


async def run(target: Target, rounds: int, concurrency: int) -> tuple[float, float, int]:
    together, serial, count = [], [], 0
    for _ in range(rounds):
        seconds, count = await timed(target, concurrency)
        together.append(seconds)
        seconds, _ = await timed(target, 1)
        serial.append(seconds)
    return min(together), min(serial), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    description = site()
    post = seed(args.comments)
    root = str(description["rest_root"])
    target = Target("wordpress", root, post, api_root=root)
    together, serial, count = asyncio.run(run(target, args.rounds, args.concurrency))
    print(f"post {post}: {count} comments in {-(-count // 100)} REST pages, best of {args.rounds}")
    print(f"concurrent pages (up to {args.concurrency} at once): {together * 1000:8.1f} ms")
    print(f"one page after another:                 {serial * 1000:8.1f} ms")
    print(f"ratio serial / concurrent:              {serial / together:8.2f}x")


if __name__ == "__main__":
    main()
