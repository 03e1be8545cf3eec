"""Short messages for failing page code (executed_pages/errors.py)."""

from __future__ import annotations

import json
import logging

from executed_pages import errors

MARKDOWN = '# Page\n\nText.\n\n```python exec="on"\nx = 1\nx / 0\n```\n'

# markdown-exec's warning for a failing block, as it words it (formatters/base.py).
WARNING = """Execution of python code block exited with errors

Code block is:

  x = 1
  x / 0

Output is:

  Traceback (most recent call last):
    File "<code block: n1>", line 2, in <module>
      x / 0
      ~~^~~
  ZeroDivisionError: division by zero
"""


def test_a_block_error_becomes_page_line_exception_and_the_failing_line():
    assert errors.summarise_block_error(WARNING, "page.md", MARKDOWN) == (
        "page.md:6: code block raised ZeroDivisionError: division by zero\n  line 2: x / 0"
    )


def test_a_block_found_by_its_first_line_when_indented_and_by_nothing_at_all():
    indented = MARKDOWN.replace("x = 1\nx / 0", "    x = 1\n    x / 0")
    assert indented != MARKDOWN
    assert errors.block_line("page.md", indented, "x = 1\nx / 0") == "page.md:6"
    assert errors.block_line("page.md", MARKDOWN, "y = 2") == "page.md"
    assert errors.block_line("page.md", MARKDOWN, "") == "page.md"


def test_an_exit_raised_by_a_block_names_it_and_its_line():
    code = "x = 1\nraise SystemExit(3)"
    try:
        exec(compile(code, "<code block: n1>", "exec"), {})
    except SystemExit as error:
        summary = errors.summarise_exit(error, "page.md", "```\n" + code + "\n```", code)
    assert summary == "page.md:2: code block raised SystemExit: 3\n  line 2: raise SystemExit(3)"


class CellError(Exception):
    """Shaped like nbclient's CellExecutionError: the message quotes the cell."""

    ename, evalue = "ValueError", "bad"

    def __init__(self, source: str) -> None:
        super().__init__(f"An error occurred while executing the following cell:\n{source}\n")
        self.traceback = "\x1b[31mCell In[3], line 2\x1b[0m\n      1 y = 1\n----> 2 raise ValueError('bad')"


def test_a_cell_error_names_the_page_the_cell_and_the_line(tmp_path):
    notebook = tmp_path / "nb.ipynb"
    cells = [
        {"cell_type": "markdown", "source": ["# Title"]},
        {"cell_type": "code", "source": ["x = 1"]},
        {"cell_type": "code", "source": ["y = 1\n", "raise ValueError('bad')"]},
    ]
    notebook.write_text(json.dumps({"cells": cells}))
    error = CellError("y = 1\nraise ValueError('bad')")
    assert errors.summarise_cell_error(error, "nb.ipynb", notebook) == (
        "nb.ipynb: cell 3 raised ValueError: bad\n  line 2: raise ValueError('bad')"
    )


def test_the_filter_keeps_block_failures_of_the_page_being_converted_out_of_the_log():
    failures = errors.BlockFailures()
    record = logging.LogRecord("x", logging.WARNING, "", 0, "markdown_exec: " + WARNING, (), None)
    assert failures.filter(record)  # between pages: left alone
    failures.start("page.md", MARKDOWN)
    assert not failures.filter(record)
    other = logging.LogRecord("x", logging.WARNING, "", 0, "something else", (), None)
    assert failures.filter(other)
    failures.stop()
    assert failures.found == [
        "page.md:6: code block raised ZeroDivisionError: division by zero\n  line 2: x / 0"
    ]


def test_paths_of_the_project_are_written_relative_to_it():
    record = logging.LogRecord(
        "x", logging.INFO, "", 0, "Building /home/me/project/docs/a.md (%s)", ("ok",), None
    )
    assert errors.RelativePaths("/home/me/project/").filter(record)
    assert record.getMessage() == "Building docs/a.md (ok)"
    logger = logging.getLogger("test_errors")
    errors.install(errors.RelativePaths("/a/"), logger)
    errors.install(errors.RelativePaths("/b/"), logger)  # replaces the first
    assert [f.root for f in logger.filters] == ["/b/"]
