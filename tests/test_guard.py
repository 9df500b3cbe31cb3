"""The page time limit: a limit inside another keeps the outer one."""

from __future__ import annotations

import time

import pytest

from checker.document.guard import PageTimeout, time_limit


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_an_inner_limit_does_not_cancel_the_outer_one() -> None:
    with pytest.raises(PageTimeout), time_limit(0.3):
        with time_limit(5):
            pass
        _spin(3)  # the outer limit must stop this long before it ends


def test_an_inner_limit_longer_than_the_outer_one_is_cut_to_it() -> None:
    # Without the outer limit the spin would end before the inner one fires: no exception.
    with pytest.raises(PageTimeout), time_limit(0.3), time_limit(5):
        _spin(3)


def test_no_alarm_is_left_behind() -> None:
    with time_limit(0.2):
        pass
    _spin(0.4)  # would raise if the alarm were still set
