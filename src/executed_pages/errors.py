"""Code that fails on a page stops the build with one short message naming the page.

Both page types fail on their own, but say it badly: markdown-exec logs a warning
with the whole block and traceback and without the page's name, and nbclient
raises an error with a 100-line, colour-coded traceback. Here each becomes

    gradients.md:42: code block raised ZeroDivisionError: division by zero
      line 2: 1 / 0

naming the page, where the block or cell is, the failing line and the exception.
The full text is still logged at debug level (``mkdocs build --verbose``).

A failing block is an error, not a warning: the build stops even without
``--strict``, and ``-q`` (which hides warnings) cannot make it pass.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from pathlib import Path

from . import upstream

log = logging.getLogger("mkdocs.plugins.executed_pages")

_FRAME = re.compile(r'File "<code block: [^>]*>", line (\d+)')
_NB_FRAME = re.compile(r"Cell In\[\d+\], line (\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _exception_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "an error"


def block_line(page: str, markdown: str, code: str) -> str:
    """``page:line`` of a code block, found by its text in the page's Markdown (``page`` if not found)."""
    code_lines = code.strip("\n").splitlines()
    # Its whole text is unique on the page where its first line (often an
    # import) may not be; blocks nested in an admonition are indented, so fall
    # back to the first line.
    for probe in ("\n".join(code_lines), code_lines[0] if code_lines else ""):
        offset = markdown.find(probe) if probe.strip() else -1
        if offset >= 0:
            return f"{page}:{markdown.count(chr(10), 0, offset) + 1}"
    return page


def summarise_block_error(message: str, page: str, markdown: str) -> str:
    """Shorten markdown-exec's warning to ``page:line: exception`` plus the failing line."""
    code, _, output = message.partition("Output is:")
    code = code.partition("Code block is:")[2]
    code_lines = [line[2:] for line in code.strip("\n").splitlines()]
    summary = (
        f"{block_line(page, markdown, chr(10).join(code_lines))}: code block raised {_exception_line(output)}"
    )
    frames = _FRAME.findall(output)
    if frames:
        lineno = int(frames[-1])
        if 0 < lineno <= len(code_lines):
            summary += f"\n  line {lineno}: {code_lines[lineno - 1].strip()}"
    return summary


def summarise_exit(error: BaseException, page: str, markdown: str, code: str) -> str:
    """A block that raised SystemExit or KeyboardInterrupt, which markdown-exec does not catch."""
    summary = f"{block_line(page, markdown, code)}: code block raised {type(error).__name__}"
    text = str(error)
    summary += f": {text}" if text else ""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<code block")]
    code_lines = code.splitlines()
    if frames and 0 < (frames[-1].lineno or 0) <= len(code_lines):
        summary += f"\n  line {frames[-1].lineno}: {code_lines[frames[-1].lineno - 1].strip()}"
    return summary


def summarise_cell_error(error: Exception, page: str, notebook: Path) -> str:
    """Shorten nbclient's CellExecutionError to ``page: cell N: exception`` plus the failing line."""
    text = _ANSI.sub("", getattr(error, "traceback", "") or str(error))
    ename, evalue = getattr(error, "ename", ""), getattr(error, "evalue", "")
    exception = f"{ename}: {evalue}" if ename else _exception_line(text)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    # The error's text quotes the failing cell's source; find which cell that is.
    quoted = str(error)
    found = [
        (i, src)
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (src := "".join(cell["source"])).strip() and src.strip() in quoted
    ]
    where = f"cell {found[-1][0] + 1} " if found else ""
    summary = f"{page}: {where}raised {exception}"
    frames = _NB_FRAME.findall(text)
    if found and frames:
        lineno = int(frames[-1])
        src_lines = found[-1][1].splitlines()
        if 0 < lineno <= len(src_lines):
            summary += f"\n  line {lineno}: {src_lines[lineno - 1].strip()}"
    return summary


class BlockFailures(logging.Filter):
    """Takes markdown-exec's warnings about failing blocks out of the log and keeps them, shortened.

    Attributes:
        page: The page being converted, or None between pages.
        markdown: Its Markdown, to find each block's line.
        found: The summaries of the blocks that failed on it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.page: str | None = None
        self.markdown = ""
        self.found: list[str] = []

    def start(self, page: str, markdown: str) -> None:
        self.page, self.markdown, self.found = page, markdown, []

    def stop(self) -> None:
        self.page = None

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # The message may carry markdown-exec's "markdown_exec: " prefix.
        if self.page is None or upstream.MARKDOWN_EXEC_FAILED not in message:
            return True
        log.debug("%s: %s", self.page, message)
        self.found.append(summarise_block_error(message, self.page, self.markdown))
        return False  # raised as an error once the page is converted


class RelativePaths(logging.Filter):
    """Write paths inside the project relative to it: the build machine's folders are nobody's business."""

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.root in message:
            record.msg, record.args = message.replace(self.root, ""), ()
        return True


def install(filter_: logging.Filter, logger: logging.Logger) -> None:
    """Add a filter, replacing one of the same class (from the previous build under ``mkdocs serve``)."""
    for old in [f for f in logger.filters if type(f).__name__ == type(filter_).__name__]:
        logger.removeFilter(old)
    logger.addFilter(filter_)
