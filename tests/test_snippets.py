"""A reader who copies a page's visible code into a fresh Python gets what the page shows.

Each executed page's visible code blocks run in order, in a new process of a
virtual environment that holds only torch, matplotlib (and what they need) and
the package. Every line they print must appear on the built page. The package
code a page shows for copying (``source(...)`` printed as Python) is pasted too,
in its place on the page: it must bring the imports it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import ROOT, html_to_text, page_text, torch_version

pytestmark = pytest.mark.site

VENV = ROOT / ".cache" / "snippet-venv"
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```+python (?P<options>[^\n]*)\n(?P<code>.*?)^(?P=indent)```", re.M | re.S
)


@pytest.fixture(scope="session")
def bare_python() -> Path:
    """Python in a venv with torch, matplotlib and nothing else (the package comes on PYTHONPATH)."""
    constraints = (ROOT / "constraints.txt").read_bytes()
    stamp = VENV / f".ready-{hashlib.sha256(constraints).hexdigest()[:12]}"
    python = VENV / "bin" / "python"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"torch=={torch_version()}"], check=True)  # the local CPU wheel, first
        subprocess.run([*pip, "-c", ROOT / "constraints.txt", "matplotlib"], check=True)
        stamp.touch()
    return python


def shown_code(code: str) -> str:
    """What a block that shows package code prints: ``source(...)``, by ``print`` or ``Code``."""
    import sgd_tutorial

    out = io.StringIO()
    # A notebook's cell uses names that earlier cells imported from the package.
    namespace = {name: getattr(sgd_tutorial, name) for name in sgd_tutorial.__all__}
    namespace["Code"] = lambda text, language=None: print(text)
    with contextlib.redirect_stdout(out):
        exec(code, namespace)
    return out.getvalue()


def markdown_snippets(page: Path) -> list[str]:
    """The code a reader sees on a Markdown page: blocks that show their source, and package
    code printed as Python (``result="python"``)."""
    blocks = []
    for match in FENCE.finditer(page.read_text(encoding="utf-8")):
        options = match["options"]
        if 'exec="on"' not in options:
            continue
        code = textwrap.dedent(match["code"])
        if "source=" in options:
            blocks.append(
                "".join(line for line in code.splitlines(keepends=True) if "markdown-exec: hide" not in line)
            )
        elif 'result="python"' in options:
            blocks.append(shown_code(code))
    return blocks


def notebook_snippets(notebook: Path) -> list[str]:
    """The code a reader sees on a notebook page: code cells whose input is shown, and the
    package code that input-hidden cells show with ``source(...)``. Cells removed from the
    page (``hide_cell``, such as checked claims) are not seen."""
    snippets = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        code = "".join(cell["source"])
        if cell["cell_type"] != "code" or "hide_cell" in tags:
            continue
        if "hide_input" not in tags:
            snippets.append(code)
        elif "source(" in code:
            snippets.append(shown_code(code))
    return snippets


EXECUTED = sorted(
    [p for p in (ROOT / "docs").glob("*.md") if 'exec="on"' in p.read_text(encoding="utf-8")]
    + list((ROOT / "docs").glob("*.ipynb")),
)


@pytest.mark.parametrize("source", EXECUTED, ids=[p.name for p in EXECUTED])
def test_visible_code_runs_in_a_fresh_python_and_prints_what_the_page_shows(
    source, site, bare_python, tmp_path
):
    snippets = notebook_snippets(source) if source.suffix == ".ipynb" else markdown_snippets(source)
    assert snippets, f"{source.name} shows no code"
    script = tmp_path / "snippet.py"
    script.write_text("\n\n".join(snippets), encoding="utf-8")
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [bare_python, "-W", "ignore::UserWarning", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    url = "" if source.stem == "index" else source.stem
    shown = " ".join(page_text(site, url).split())
    # A line that is an HTML element (an html="1" block's output) shows as its text.
    lines = [
        html_to_text(line) if re.fullmatch(r"<.*>", line.strip()) else line
        for line in result.stdout.splitlines()
    ]
    printed = [" ".join(line.split()) for line in lines if line.strip()]
    missing = [line for line in printed if line not in shown]
    assert missing == [], f"{source.name}: printed but not on the page"
    if source.suffix == ".md" and 'result="text"' in source.read_text():
        assert printed, f"{source.name} shows outputs, but its code printed nothing"
