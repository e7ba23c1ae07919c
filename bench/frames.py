"""Frame timing shared by the UI benchmarks: a mixin for a Textual App that keeps the text and
time of each painted frame (serialised to escape codes, as a real driver would) and how long
each paint took; keys sent through the driver as a terminal would, and the time from each key
to the next painted frame."""

from __future__ import annotations

import asyncio
import time
from typing import Any


class FrameRecorder:
    """Mix into an App (before it): `frame_text`, `frame_time`, `paint_times`, `wait_frame`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frame = asyncio.Event()
        self.frame_time = 0.0
        self.frame_text = ""
        self.paint_times: list[float] = []

    def time_paints(self, screen: Any) -> None:
        """Record how long each of `screen`'s compositor refreshes (render + serialise) takes."""
        original = screen._compositor_refresh

        def timed() -> None:
            start = time.perf_counter()
            original()
            self.paint_times.append(time.perf_counter() - start)

        screen._compositor_refresh = timed

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            self.frame_text = renderable.render_segments(self.console)  # type: ignore[attr-defined]
            self.frame_time = time.perf_counter()
            self.frame.set()
        super()._display(screen, renderable)  # type: ignore[misc]

    async def wait_frame(self, marker: str | None = None, timeout: float = 10) -> float:
        """Wait for the next painted frame (containing `marker`); its time."""
        while True:
            await asyncio.wait_for(self.frame.wait(), timeout)
            self.frame.clear()
            if marker is None or marker in self.frame_text:
                return self.frame_time


def press(app: Any, key: str, character: str | None = None) -> float:
    """Send `key` through the driver of `app` (a FrameRecorder) as a terminal would; the time it
    was sent."""
    from textual import events

    event = events.Key(key, character)
    event.set_sender(app)
    app.frame.clear()
    sent = time.perf_counter()
    app._driver.send_message(event)
    return sent


async def time_presses(
    app: Any,
    key: str,
    presses: int,
    gap: float,
    *,
    character: str | None = None,
    timeout: float = 10,
) -> tuple[list[float], list[float]]:
    """Press `key` `presses` times, `gap` seconds apart. Per press: the seconds from the key to
    the next painted frame, and how long the last paint took (nan when none was timed)."""
    latencies: list[float] = []
    paints: list[float] = []
    for _ in range(presses):
        await asyncio.sleep(gap)
        app.paint_times.clear()
        sent = press(app, key, character)
        latencies.append(await app.wait_frame(timeout=timeout) - sent)
        paints.append(app.paint_times[-1] if app.paint_times else float("nan"))
    return latencies, paints
