"""Guards that keep one hostile page from stalling or swamping a run.

The size limits in `Limits` are checked before any parsing. Two costs cannot be read off the
size alone: the memory the Markdown parser spends (a few hundred bytes a token, and dense
markup makes several tokens a byte) and the time it spends on inputs it handles in quadratic
time (long runs of unclosed `[`). `markup_count` bounds the first before parsing; `time_limit`
is the last line of defence for the second.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
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


class _Expired(PageTimeout):
    """Raised asynchronously in a thread whose time ran out (built without arguments)."""

    def __init__(self) -> None:
        super().__init__(0)


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    # Schedules `exception` in the thread at its next bytecode; None cancels a pending one.
    argument = ctypes.py_object(exception) if exception is not None else ctypes.c_void_p(None)
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), argument)


@contextmanager
def _thread_limit(seconds: float) -> Iterator[None]:
    """The time limit off the main thread, where no signal can reach: a timer thread schedules
    an exception in the guarded thread, and the guard cancels it once the body is done."""
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _raise_in(target, _Expired)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    try:
        # Started inside the `try`: a short limit can expire before `start` returns.
        timer.start()
        yield
    except _Expired:
        raise PageTimeout(seconds) from None
    finally:
        timer.cancel()
        with lock:
            state["armed"] = False
            if state["fired"]:
                _raise_in(target, None)  # the body ended before the exception arrived


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise PageTimeout in the body once `seconds` of wall time have passed.

    On the main thread of a POSIX process it uses SIGALRM, which also interrupts Python's
    regular-expression engine; on any other thread (a language server's workers) a timer
    thread raises the exception in the guarded thread at its next Python instruction. With
    `seconds <= 0` it does nothing and the size limits are the only guard.
    """
    if seconds <= 0:
        yield
        return
    on_main = threading.current_thread() is threading.main_thread()
    if not (on_main and hasattr(signal, "setitimer")):
        with _thread_limit(seconds):
            yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise PageTimeout(seconds)

    # A limit inside another keeps the outer one: the alarm is the sooner of the two, and the
    # outer one's remaining time is set again on the way out.
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            # At least a moment, so that an outer limit already past still fires.
            left = max(outer - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left)
