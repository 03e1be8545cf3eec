"""markdown-exec's outputs recorded and put back in order (executed_pages/replay.py)."""

from __future__ import annotations

import pytest

from executed_pages.replay import Blocks


def formatter(src, *args, **kwargs):
    if src == "exit":
        raise SystemExit(2)
    return f"<pre>{src}</pre>"


def test_outside_a_page_the_formatter_runs_as_it_is():
    blocks = Blocks()
    assert blocks.wrap(formatter)("a") == "<pre>a</pre>"
    assert blocks.recorded == []


def test_a_page_that_runs_records_each_output_then_a_replay_gives_them_back_in_order():
    blocks = Blocks()
    format_ = blocks.wrap(formatter)
    blocks.start(None)
    assert [format_("a"), format_("b")] == ["<pre>a</pre>", "<pre>b</pre>"]
    blocks.stop()
    recorded = blocks.recorded

    blocks.start(recorded)
    assert [format_("not run"), format_("not run either")] == ["<pre>a</pre>", "<pre>b</pre>"]
    with pytest.raises(RuntimeError, match="more exec blocks than stored outputs"):
        format_("one too many")


def test_an_exit_raised_by_a_block_is_kept_not_raised():
    blocks = Blocks()
    format_ = blocks.wrap(formatter)
    blocks.start(None)
    assert format_("exit") == ""
    assert format_("not run: the page fails anyway") == ""
    assert [(type(error), code) for error, code in blocks.exits] == [(SystemExit, "exit")]


def test_what_each_block_printed_is_recorded_beside_its_html():
    blocks = Blocks()

    def printing(src, *args, **kwargs):
        if src != "silent":
            blocks.saw_printed(f"{src} printed\n")  # as markdown-exec's run does, through upstream.py
        return f"<pre>{src}</pre>"

    format_ = blocks.wrap(printing)
    blocks.start(None)
    format_("a"), format_("silent"), format_("b")
    assert blocks.printed == ["a printed\n", "", "b printed\n"]
    blocks.start(None)  # the next page starts with nothing recorded
    assert blocks.printed == []
