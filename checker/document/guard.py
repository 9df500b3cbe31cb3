"""Guards that keep one hostile page from stalling or swamping a run.

The size limits in `Limits` are checked before any parsing. Two costs cannot be read off the
size alone: the memory the Markdown parser spends (a few hundred bytes a token, and dense
markup makes several tokens a byte) and the time it spends on inputs it handles in quadratic
time (long runs of unclosed `[`). `markup_count` bounds the first before parsing; `time_limit`
is the last line of defence for the second.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# Characters that open or close Markdown tokens; with line breaks they bound the token count.
MARKUP_CHARS = "\n|*_`[]<>!&\\"


def markup_count(text: str) -> int:
    """How many characters of `text` can start or end a Markdown token (C speed, no parsing)."""
    return sum(text.count(char) for char in MARKUP_CHARS)


class PageTimeout(BaseException):
    """Checking one page took longer than `limits.max-page-seconds`.

    A BaseException, so that the engine's guard around each rule (which turns a rule's
    exception into an internal error) lets it through to the page's guard.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over {seconds:g} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise PageTimeout in the body once `seconds` of wall time have passed.

    Uses SIGALRM, so it only guards code on the main thread of a POSIX process; elsewhere (and
    with `seconds <= 0`) it does nothing and the size limits are the only guard.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise PageTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
