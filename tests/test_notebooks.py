"""Notebooks run in their kernels (executed_pages/notebooks.py)."""

from __future__ import annotations

import nbformat
import pytest
from mkdocs.exceptions import PluginError

from executed_pages.notebooks import Kernels


def write_notebook(path, *sources: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def test_a_cell_printing_in_bursts_gives_one_output_on_every_build(tmp_path):
    # The kernel sends printed text in chunks split wherever timing falls; the
    # executed notebook must not depend on that.
    code = "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.3)"
    source = write_notebook(tmp_path / "bursts.ipynb", code)
    kernels = Kernels()  # on a thread of its own, as in a build
    kernels.result("bursts.ipynb", source, tmp_path / "out" / "executed.ipynb")
    outputs = nbformat.read(tmp_path / "out" / "executed.ipynb", as_version=4).cells[0].outputs
    assert [(o.output_type, o.text) for o in outputs] == [("stream", "0\n1\n2\n")]


def test_a_failed_run_is_reported_every_time_it_is_asked_for_and_never_run_again(tmp_path):
    runs = tmp_path / "runs"
    source = write_notebook(tmp_path / "nb.ipynb", f"open({str(runs)!r}, 'a').write('ran\\n')", "1 / 0")
    kernels = Kernels()
    for _ in range(2):
        kernels.start("nb.ipynb", source, tmp_path / "out.ipynb")
        with pytest.raises(PluginError, match=r"^nb.ipynb: cell 2 raised ZeroDivisionError"):
            kernels.result("nb.ipynb", source, tmp_path / "out.ipynb")
    assert runs.read_text() == "ran\n"
