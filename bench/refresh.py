"""Refresh benchmark: blogtui's refresh engine against newsboat, side by side, in one run.

    python bench/refresh.py                 # 500 feeds x 50 items (about 150 MB of XML)
    python bench/refresh.py --feeds 40 --items 20 --skip-newsboat

A separate server process serves WordPress-style RSS feeds (about 5 KB of HTML per item) on
127.0.0.1 in three phases: cold (empty store/cache), incremental (every feed answers 200 without
validators and has two new items) and warm (every feed answers 304). blogtui runs in a child
process of its own that lives through all three phases, as a TUI session would (so it remembers
which items it has stored; --no-item-memory makes it parse every item, as a fresh CLI process
would). Memory is read from /proc while the refresh runs: each process's own peak (VmHWM, read
until it exits) and the peak of the whole tree's resident memory sampled every 20 ms. (The
RUSAGE_CHILDREN figure is not used: for a spawned worker it counts the parent's memory at the
moment it forked, before the worker's exec.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut"
    " labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris"
    " nisi aliquip ex ea commodo consequat Grüße café naïve über"
).split()
TARGETS = {"cold": 1.0, "incremental": 0.5, "warm": 0.1}
RSS_TARGET_MB = 150


# --- feeds ------------------------------------------------------------------------------------


def _paragraphs(count: int = 400) -> list[str]:
    rng = random.Random(42)
    out = []
    for n in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(60))
        out.append(
            f'<p>{words} <a href="https://example.com/{n}/">a link</a> <strong>bold</strong>'
            f' <img src="/wp-content/uploads/2024/01/img{n}.jpg" alt="" width="640"/></p>\n'
        )
    return out


def _item(feed: int, post: int, paragraphs: list[str]) -> bytes:
    rng = random.Random(feed * 100_003 + post)
    body = "".join(rng.choice(paragraphs) for _ in range(10))
    site = f"https://blog{feed}.example.com"
    date = formatdate(1_700_000_000 + post * 3600, usegmt=True)
    return (
        f"<item><title>Post {post} on blog {feed}</title><link>{site}/{post}/</link>"
        f"<comments>{site}/{post}/#comments</comments>"
        f"<dc:creator><![CDATA[Author {feed}]]></dc:creator><pubDate>{date}</pubDate>"
        f"<category><![CDATA[Uncategorized]]></category>"
        f'<guid isPermaLink="false">{site}/?p={post}</guid>'
        f"<description><![CDATA[{body[:400]} [&#8230;]]]></description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wfw:commentRss>{site}/{post}/feed/</wfw:commentRss>"
        f"<slash:comments>{post % 7}</slash:comments></item>\n"
    ).encode()


def _head(feed: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
        ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n<channel>'
        f"<title>Blog {feed}</title><link>https://blog{feed}.example.com</link>"
        "<description>Just another WordPress site</description><language>en-US</language>"
        "<sy:updatePeriod>hourly</sy:updatePeriod><generator>https://wordpress.org/?v=6.4</generator>\n"
    ).encode()


class Feeds:
    """Every feed's items, built lazily; cold shows posts [0, items), incremental [2, items+2)."""

    def __init__(self, items: int) -> None:
        self.items = items
        self.paragraphs = _paragraphs()
        self.cache: dict[tuple[int, str], bytes] = {}
        self.lock = threading.Lock()

    def body(self, feed: int, mode: str) -> bytes:
        key = (feed, mode)
        with self.lock:
            found = self.cache.get(key)
        if found is None:
            first = 2 if mode == "incremental" else 0
            posts = range(first + self.items - 1, first - 1, -1)
            items = b"".join(_item(feed, post, self.paragraphs) for post in posts)
            found = _head(feed) + items + b"</channel></rss>\n"
            with self.lock:
                self.cache[key] = found
        return found


# --- server -----------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # used by listen(): the default 5 drops SYNs (1 s retransmits)


def serve(feeds_count: int, items: int) -> None:
    """Run the feed server until stdin closes; print its port first."""
    feeds = Feeds(items)
    state = {"mode": "cold", "requests": 0, "conditional": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and status != 304:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            parts = self.path.strip("/").split("/")
            if parts[0] == "mode":
                with lock:
                    state.update(mode=parts[1], requests=0, conditional=0)
                return self._send(200, b"ok")
            if parts[0] == "stats":
                return self._send(200, json.dumps(state).encode())
            if parts[0] == "warm":  # pre-build every body before timing starts
                for feed in range(feeds_count):
                    feeds.body(feed, parts[1])
                return self._send(200, b"ok")
            feed = int(parts[1])
            conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
            with lock:
                state["requests"] += 1
                state["conditional"] += conditional
                mode = state["mode"]
            if mode == "warm":
                return self._send(304, headers={"ETag": f'"v1-{feed}"'})
            headers = {"Content-Type": "application/rss+xml; charset=UTF-8"}
            if mode == "cold":
                headers["ETag"] = f'"v1-{feed}"'
                headers["Last-Modified"] = formatdate(1_700_000_000, usegmt=True)
            self._send(200, feeds.body(feed, mode), headers)

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


# --- newsboat ---------------------------------------------------------------------------------


class Newsboat:
    """newsboat with a private HOME, cache and config; `reload()` times `newsboat -x reload`."""

    def __init__(self, base: str, feeds: int, workdir: Path) -> None:
        self.dir = workdir / "newsboat"
        self.dir.mkdir()
        (self.dir / "urls").write_text("".join(f"{base}/feed/{i}\n" for i in range(feeds)))
        (self.dir / "config").write_text("reload-threads 16\nshow-read-feeds yes\n")
        self.env = {"HOME": str(self.dir), "PATH": os.environ.get("PATH", ""), "TERM": "dumb"}

    def reload(self) -> tuple[float, float]:
        """Wall and CPU seconds of one `newsboat -x reload`."""
        d = self.dir
        command = ["newsboat", "-x", "reload", "-u", d / "urls", "-c", d / "cache.db"]
        command += ["-C", d / "config"]
        cpu = _children_cpu()
        start = time.perf_counter()
        subprocess.run(command, env=self.env, check=True, capture_output=True, timeout=900)
        return time.perf_counter() - start, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- memory -----------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
    except OSError:
        pass
    return found


class MemoryWatch:
    """Samples this process and its children (the parse workers) while a refresh runs."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.tree_peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self.stop.is_set():
            total = 0
            for pid in (me, *_children(me)):
                total += _status_kb(pid, "VmRSS")
                self.peaks[pid] = max(self.peaks.get(pid, 0), _status_kb(pid, "VmHWM"))
            self.tree_peak = max(self.tree_peak, total)
            self.stop.wait(self.interval)

    def __enter__(self) -> MemoryWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def report(self) -> dict:
        me = os.getpid()
        workers = [kb for pid, kb in self.peaks.items() if pid != me]
        return {
            "rss_mb": _status_kb(me, "VmHWM") / 1024,
            "worker_rss_mb": [kb / 1024 for kb in sorted(workers, reverse=True)],
            "tree_rss_mb": self.tree_peak / 1024,
        }


# --- blogtui ----------------------------------------------------------------------------------


def blogtui_child(db: str, base: str, feeds: int, processes: int | None, memory: bool) -> None:
    """Run in a child process: subscribe to every feed, then refresh once per line on stdin."""
    import asyncio

    from blogtui.core.config import Config
    from blogtui.core.feeds.refresh import default_processes, refresh_feeds, seen_items
    from blogtui.core.store import Store

    store = Store(Path(db))
    for i in range(feeds):
        store.add_feed(f"{base}/feed/{i}")
    config = Config(concurrency=16)
    print("ready", flush=True)
    for _line in sys.stdin:
        if not memory:
            seen_items.forget()  # as a fresh process (the CLI) would
        start, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
        with MemoryWatch() as memory:
            feeds_now = store.list_feeds()
            summary = asyncio.run(refresh_feeds(store, feeds_now, config, processes=processes))
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            time.sleep(1.0)  # workers exit and are reaped: RUSAGE_CHILDREN has their CPU
        report = {
            "seconds": seconds,
            "cpu": cpu,
            "workers_cpu": _children_cpu() - workers_cpu,
            "ok": summary.ok,
            "failed": summary.failed,
            "not_modified": summary.not_modified,
            "new": summary.new_articles,
            "errors": sorted({o.error for o in summary.outcomes if o.error})[:3],
            **memory.report(),
            "workers": default_processes() if processes is None else processes,
        }
        print(json.dumps(report), flush=True)


class Blogtui:
    """The blogtui child process: one long-lived session across the phases, like the TUI."""

    def __init__(self, base: str, workdir: Path, args: argparse.Namespace) -> None:
        command = [sys.executable, __file__, "--blogtui-child", str(workdir / "blogtui.db")]
        command += ["--base", base, "--feeds", str(args.feeds)]
        if args.processes is not None:
            command += ["--processes", str(args.processes)]
        if args.no_item_memory:
            command.append("--no-item-memory")
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        assert self.child.stdout is not None and self.child.stdout.readline().strip() == "ready"

    def refresh(self) -> dict:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write("go\n")
        self.child.stdin.flush()
        return json.loads(self.child.stdout.readline())

    def close(self) -> None:
        if self.child.stdin:
            self.child.stdin.close()
        self.child.wait(timeout=60)


# --- the run ----------------------------------------------------------------------------------


def _get(base: str, path: str) -> bytes:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(base + path, timeout=600) as response:
        return response.read()


def _start_server(feeds: int, items: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, __file__, "--serve", "--feeds", str(feeds), "--items", str(items)]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, f"http://127.0.0.1:{int(server.stdout.readline())}"


def run(args: argparse.Namespace) -> None:
    newsboat = not args.skip_newsboat and shutil.which("newsboat")
    if not args.skip_newsboat and not newsboat:
        print("newsboat not found: measuring blogtui only")
    server, base = _start_server(args.feeds, args.items)
    runs: dict[str, list[tuple[float | None, dict]]] = {}
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="blogtui-bench-") as tmp:
        work = Path(tmp)
        board = Newsboat(base, args.feeds, work) if newsboat else None
        ours = Blogtui(base, work, args)
        try:
            for mode in ("cold", "incremental", *["warm"] * args.warm_runs):
                _get(base, f"/warm/{mode}")
                _get(base, f"/mode/{mode}")
                theirs, their_cpu = board.reload() if board else (None, None)
                _get(base, f"/mode/{mode}")
                result = ours.refresh()
                result["newsboat_cpu"] = their_cpu
                result["requests"] = json.loads(_get(base, "/stats"))
                runs.setdefault(mode, []).append((theirs, result))
                _print_row(mode, theirs, result)
        finally:
            ours.close()
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=30)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    _print_summary(args, {mode: _median(results) for mode, results in runs.items()})


def _median(results: list[tuple[float | None, dict]]) -> tuple[float | None, dict]:
    """The median run of each side (the warm phase is measured several times)."""
    theirs = sorted((t for t, _ in results if t is not None), key=float)
    ours = sorted((r for _, r in results), key=lambda r: r["seconds"])
    return (theirs[len(theirs) // 2] if theirs else None), ours[len(ours) // 2]


def _print_row(mode: str, theirs: float | None, ours: dict) -> None:
    newsboat = "-"
    if theirs is not None:
        newsboat = f"{theirs:.2f} s (CPU {ours['newsboat_cpu']:.1f} s)"
    print(
        f"{mode:12} newsboat {newsboat}   blogtui {ours['seconds']:.2f} s (CPU"
        f" {ours['cpu']:.1f} s + parse workers {ours['workers_cpu']:.1f} s)"
        f"  [ok {ours['ok']}, 304 {ours['not_modified']}, failed {ours['failed']},"
        f" new {ours['new']}, conditional requests {ours['requests']['conditional']}]",
        flush=True,
    )
    if ours["errors"]:
        print(f"{'':12} errors: {ours['errors']}")


def _print_summary(args: argparse.Namespace, rows: dict[str, tuple[float | None, dict]]) -> None:
    print(f"\n{args.feeds} feeds x {args.items} items, {os.cpu_count()} CPUs (warm: median run)")
    for mode, (theirs, ours) in rows.items():
        line = f"{mode:12} blogtui {ours['seconds']:6.2f} s"
        if theirs:
            ratio, target = ours["seconds"] / theirs, TARGETS[mode]
            verdict = "ok" if ratio <= target else "MISSED"
            line += (
                f"   newsboat {theirs:6.2f} s   ratio {ratio:4.2f} (target <= {target}) {verdict}"
            )
        print(line)
    cold = rows["cold"][1]
    workers = cold["worker_rss_mb"]
    bound = cold["rss_mb"] + sum(workers)
    verdict = "ok" if bound <= RSS_TARGET_MB else "MISSED"
    print(
        f"peak RSS during cold: main process {cold['rss_mb']:.0f} MB; {len(workers)} parse workers"
        f" {', '.join(f'{mb:.0f}' for mb in workers) or '-'} MB; sum of the peaks {bound:.0f} MB"
        f" (target <= {RSS_TARGET_MB}) {verdict}; whole tree sampled every 20 ms:"
        f" {cold['tree_rss_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--processes", type=int, default=None, help="parse workers (0: threads)")
    parser.add_argument("--skip-newsboat", action="store_true")
    parser.add_argument("--warm-runs", type=int, default=3, help="warm phase repetitions")
    parser.add_argument(
        "--no-item-memory", action="store_true", help="parse every item each time, as the CLI does"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--blogtui-child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.feeds, args.items)
    elif args.blogtui_child:
        memory = not args.no_item_memory
        blogtui_child(args.blogtui_child, args.base, args.feeds, args.processes, memory)
    else:
        run(args)


if __name__ == "__main__":
    main()
