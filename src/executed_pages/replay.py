"""markdown-exec's outputs, recorded while a page runs and put back after a prose-only edit.

markdown-exec runs each ``exec`` block when superfences meets it and puts the HTML
it returns in the page. The plugin wraps that formatter: while a page renders,
each block's HTML is recorded in order; when only the page's prose changed
(``keys.decide`` says ``PROSE``), the recorded HTML is given back in order
instead of running the blocks. Any change to a fence runs the whole page.

Code that ends the interpreter (``SystemExit``, ``KeyboardInterrupt`` raised by a
block) is caught here too: markdown-exec catches ``Exception`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Blocks:
    """The exec blocks of the page being rendered: replayed from a snapshot, or run and recorded.

    Attributes:
        active: Whether a page this plugin renders is being converted.
        recorded: The HTML of each block run so far.
        printed: What each block run so far printed (an ``html`` block's HTML included), for its notebook.
        exits: ``(exception, code)`` of blocks that raised SystemExit or KeyboardInterrupt.
    """

    def __init__(self) -> None:
        self.active = False
        self._replay: list[str] | None = None
        self._next = 0
        self.recorded: list[str] = []
        self.printed: list[str] = []
        self._printed = ""
        self.exits: list[tuple[BaseException, str]] = []
        self.current: str | None = None  # the code of the block running now

    def start(self, replay: list[str] | None) -> None:
        """Begin a page: give back ``replay`` in order, or (None) run the blocks and record them."""
        self.active, self._replay, self._next, self.recorded, self.exits = True, replay, 0, [], []
        self.printed = []
        self.current = None

    def stop(self) -> None:
        self.active = False

    def saw_printed(self, output: str) -> None:
        """What the block being run printed (``upstream.record_python_output`` calls this)."""
        self._printed = output

    def wrap(self, formatter: Callable) -> Callable:
        """markdown-exec's fence formatter, replaying or recording while a page is active."""

        def replaying_format(src: str, *args: Any, **kwargs: Any) -> Any:
            if not self.active:  # not a page the plugin renders
                return formatter(src, *args, **kwargs)
            if self._replay is not None:
                if self._next >= len(self._replay):  # cannot happen while code_key covers every fence
                    raise RuntimeError("more exec blocks than stored outputs")
                self._next += 1
                return self._replay[self._next - 1]
            if self.exits:  # the page fails anyway: a Ctrl-C must not wait for the blocks after it
                self.recorded.append("")
                self.printed.append("")
                return ""
            self._printed = ""
            self.current = src
            try:
                output = formatter(src, *args, **kwargs)
            except (SystemExit, KeyboardInterrupt) as error:
                self.exits.append((error, src))
                output = ""
            self.current = None
            self.recorded.append(str(output))
            self.printed.append(self._printed)
            return output

        replaying_format.blocks = self
        return replaying_format
