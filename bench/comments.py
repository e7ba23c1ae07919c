"""Comment benchmark: a 500-comment WordPress thread, REST pages concurrently vs one by one.

    bash .ci/wordpress.sh start
    python bench/comments.py                    # 500 comments, 5 pages of 100
    python bench/comments.py --comments 1000 --rounds 5
    python bench/comments.py --standins         # 2,000 comments from the Disqus and Discourse
                                                # stand-ins (tests/standins), 20 ms per request

With --standins no WordPress is needed: a Discourse topic's post chunks are read concurrently
and one by one; a Disqus thread's cursor pages can only be read in turn (each cursor comes with
the page before), so its one figure is printed without a ratio.

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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from blogtui.core.comments.base import CommentProvider, Target  # noqa: E402
from blogtui.core.comments.wordpress import WordPressProvider  # noqa: E402
from blogtui.core.feeds.client import make_client  # noqa: E402

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
        description: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        sys.exit(f"no WordPress description at {path} ({error}); run: bash .ci/wordpress.sh start")
    root = str(description.get("rest_root", ""))
    try:
        with urllib.request.urlopen(root, timeout=10) as answer:
            answer.read(1)
    except (OSError, ValueError) as error:
        sys.exit(f"WordPress does not answer at {root} ({error}); run: bash .ci/wordpress.sh start")
    return description


def seed(count: int) -> str:
    """The id of a published post with at least `count` approved comments."""
    code = SEED % {"slug": SLUG, "count": count}
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "wordpress.sh"), "php", code],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    post = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    if result.returncode != 0 or not post.isdigit():
        said = (result.stderr.strip() or result.stdout.strip())[-500:]
        sys.exit(f"seeding failed ({result.returncode}): {said}")
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


async def fetch_seconds(provider: CommentProvider, target: Target) -> tuple[float, int]:
    """Seconds one provider takes to read a target whole, and how many comments came."""
    async with make_client(16) as client:
        started = time.perf_counter()
        thread = await provider.fetch(client, target)
        return time.perf_counter() - started, len(thread.comments)


def best(provider: CommentProvider, target: Target, rounds: int) -> tuple[float, int]:
    runs = [asyncio.run(fetch_seconds(provider, target)) for _ in range(rounds)]
    return min(seconds for seconds, _ in runs), runs[0][1]


def standins(count: int, rounds: int, concurrency: int, latency: float) -> None:
    """Time the Discourse and Disqus providers against their stand-ins."""
    sys.path.insert(0, str(ROOT / "tests"))
    from standins.discourse import DiscourseStandIn, Topic
    from standins.disqus import DisqusStandIn, DisqusThread
    from standins.threads import german_thread

    from blogtui.core.comments.discourse import DiscourseProvider
    from blogtui.core.comments.disqus import DisqusProvider

    items = german_thread(count, depth=40)
    forum = DiscourseStandIn(latency=latency)
    forum.topics[1] = Topic(1, "https://blog.example/p", items)
    topic = Target("discourse", forum.forum, "1")
    together, found = best(DiscourseProvider(concurrency), topic, rounds)
    serial, _ = best(DiscourseProvider(1), topic, rounds)
    forum.close()
    chunks = -(-count // 20)
    print(f"Discourse stand-in: {found} comments in {chunks} chunks of 20, {latency * 1000:g} ms"
          f" a request, best of {rounds}")  # fmt: skip
    print(f"concurrent chunks (up to {concurrency} at once): {together * 1000:8.1f} ms")
    print(f"one chunk after another:                 {serial * 1000:8.1f} ms")
    print(f"ratio serial / concurrent:               {serial / together:8.2f}x")
    disqus = DisqusStandIn("bench-key", latency=latency)
    disqus.quota = 10**9
    disqus.threads.append(DisqusThread("bench", "p", "https://blog.example/p", items))
    thread = Target("disqus", disqus.api_root, "bench\nthread:ident\np")
    seconds, found = best(DisqusProvider(disqus.api_root, lambda: "bench-key"), thread, rounds)
    disqus.close()
    print(
        f"Disqus stand-in: {found} comments in {-(-count // 100)} cursor pages of 100:"
        f" {seconds * 1000:.1f} ms (cursor pages come one after another; no ratio)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--standins", action="store_true", help="Disqus/Discourse stand-ins")
    parser.add_argument("--latency", type=float, default=0.02, help="stand-in s per request")
    args = parser.parse_args()
    if args.standins:
        count = args.comments if args.comments != 500 else 2000
        return standins(count, args.rounds, min(args.concurrency, 4), args.latency)
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
