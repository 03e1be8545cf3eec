"""MkDocs hook: code that fails on a page stops the build with one short message.

Both page types fail on their own, but say it badly: markdown-exec logs a warning
with the whole block and traceback and without the page's name, and mkdocs-jupyter
raises nbclient's error with a 100-line, colour-coded traceback. Here each becomes

    gradients.md:42: code block raised ZeroDivisionError: division by zero
      line 2: 1 / 0

naming the page, where the block or cell is, the failing line and the exception.
The full traceback is still logged at debug level (`mkdocs build --verbose`).

A failing block is an error, not a warning: the build stops even without
`--strict`, and `-q` (which hides warnings) cannot make it pass.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.build_errors")

_FRAME = re.compile(r'File "<code block: [^>]*>", line (\d+)')
_NB_FRAME = re.compile(r"Cell In\[\d+\], line (\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# The page being converted; markdown-exec runs blocks while the page's Markdown
# is converted, which is after on_page_markdown and before on_page_content.
_current: dict[str, str] = {}
_failures: list[str] = []


def _exception_line(traceback: str) -> str:
    lines = [line.strip() for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "an error"


def summarise_block_error(message: str, page: str, markdown: str) -> str:
    """Shorten markdown-exec's warning to ``page:line: exception`` plus the failing line."""
    code, _, output = message.partition("Output is:")
    code = code.partition("Code block is:")[2]
    code_lines = [line[2:] for line in code.strip("\n").splitlines()]
    # Where the block is: its whole text is unique on the page where its first
    # line (often an import) may not be; blocks nested in an admonition are
    # indented, so fall back to the first line.
    where = page
    for probe in ("\n".join(code_lines), code_lines[0] if code_lines else ""):
        offset = markdown.find(probe) if probe.strip() else -1
        if offset >= 0:
            where = f"{page}:{markdown.count(chr(10), 0, offset) + 1}"
            break
    summary = f"{where}: code block raised {_exception_line(output)}"
    frames = _FRAME.findall(output)
    if frames:
        lineno = int(frames[-1])
        if 0 < lineno <= len(code_lines):
            summary += f"\n  line {lineno}: {code_lines[lineno - 1].strip()}"
    return summary


def summarise_cell_error(error: Exception, page: str, notebook: Path) -> str:
    """Shorten nbclient's CellExecutionError to ``page: cell N: exception`` plus the failing line."""
    traceback = _ANSI.sub("", getattr(error, "traceback", "") or str(error))
    ename, evalue = getattr(error, "ename", ""), getattr(error, "evalue", "")
    exception = f"{ename}: {evalue}" if ename else _exception_line(traceback)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    # The error's text quotes the failing cell's source; find which cell that is.
    text = str(error)
    found = [
        (i, src)
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (src := "".join(cell["source"])).strip() and src.strip() in text
    ]
    where = f"cell {found[-1][0] + 1} " if found else ""
    summary = f"{page}: {where}raised {exception}"
    frames = _NB_FRAME.findall(traceback)
    if found and frames:
        lineno = int(frames[-1])
        src_lines = found[-1][1].splitlines()
        if 0 < lineno <= len(src_lines):
            summary += f"\n  line {lineno}: {src_lines[lineno - 1].strip()}"
    return summary


class _ShortenBlockErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # The message may carry markdown-exec's "markdown_exec: " prefix.
        if "Execution of python code block" in message and _current:
            log.debug("%s: %s", _current["page"], message)
            _failures.append(summarise_block_error(message, _current["page"], _current["markdown"]))
            return False  # raised as an error once the page is converted
        return True


class _RelativePaths(logging.Filter):
    """Write paths inside the project relative to it: the build machine's folders are nobody's business."""

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = root

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.root in message:
            record.msg, record.args = message.replace(self.root, ""), ()
        return True


def on_config(config):
    root = str(Path(config.config_file_path).parent) + os.sep
    for handler in logging.getLogger("mkdocs").handlers:
        for old in [f for f in handler.filters if type(f).__name__ == "_RelativePaths"]:
            handler.removeFilter(old)
        handler.addFilter(_RelativePaths(root))
    # markdown-exec logs through this logger (see its formatters/base.py).
    # `mkdocs serve` re-imports this file on each reload: replace the filter of
    # the previous import, which watches that import's `_current`.
    logger = logging.getLogger("mkdocs.plugins.markdown_exec._internal.formatters.base")
    for old in [f for f in logger.filters if type(f).__name__ == "_ShortenBlockErrors"]:
        logger.removeFilter(old)
    logger.addFilter(_ShortenBlockErrors())
    # `-q` raises the level of the whole "mkdocs" tree to ERROR, so the warning
    # would not even be created and the failure would go unseen.
    logger.setLevel(logging.WARNING)
    return config


def on_page_markdown(markdown, page, config, files):
    _current.update(page=page.file.src_uri, markdown=markdown)
    return markdown


def on_page_content(html, page, config, files):
    _current.clear()
    return html


def on_pre_page(page, config, files):
    render = page.render  # for notebooks, mkdocs-jupyter's, which executes the notebook

    def render_or_explain(*args, **kwargs):
        _failures.clear()
        try:
            render(*args, **kwargs)
        except Exception as error:
            if type(error).__name__ != "CellExecutionError":
                raise
            log.debug("%s: %s", page.file.src_uri, _ANSI.sub("", str(error)))
            summary = summarise_cell_error(error, page.file.src_uri, Path(page.file.abs_src_path))
            raise PluginError(summary) from None
        if _failures:
            raise PluginError("\n".join(_failures))

    page.render = render_or_explain
    return page
