"""The time limit of a Markdown page's code (executed_pages/limits.py)."""

from __future__ import annotations

import threading
import time

import pytest

from executed_pages.limits import PageTimeout, time_limit


def test_code_still_running_at_the_limit_is_stopped():
    with pytest.raises(PageTimeout), time_limit(0.2):
        while True:
            pass


def test_code_that_ends_in_time_is_left_alone_and_no_alarm_is_left_behind():
    with time_limit(0.5):
        pass
    time.sleep(0.7)  # an alarm left set would raise here
    with time_limit(0):
        pass


def test_outside_the_main_thread_there_is_no_limit():
    ended = []

    def run():
        with time_limit(0.1):
            time.sleep(0.3)
        ended.append(True)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert ended == [True]
