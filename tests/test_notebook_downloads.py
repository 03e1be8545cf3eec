"""Each executed page's notebook, as readers download it, runs elsewhere and prints what the page printed.

The site's notebooks run each in a fresh kernel of a virtual environment that
holds torch, matplotlib, the kernel and nothing else; the package comes in
through the notebooks' install cell, pointed at a wheel of this checkout
instead of GitHub (there is no network to GitHub here). Every code cell must
run, and print what the build recorded for it, character for character.

The install cell is the same in every notebook but for the comment naming its
page, so it runs once, first, in a kernel of its own (a pip run costs about as
much as a page's code); each notebook is checked to carry that same cell.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import ROOT, torch_version

pytestmark = pytest.mark.site

VENV = ROOT / ".cache" / "notebook-venv"
EXECUTED = sorted(
    [p for p in (ROOT / "docs").rglob("*.md") if 'exec="on"' in p.read_text(encoding="utf-8")]
    + list((ROOT / "docs").rglob("*.ipynb")),
)

# Runs inside the notebook venv: executes the notebook given, the install cell's
# requirement swapped for the wheel given, and prints each code cell's stdout as JSON.
# With "install" it runs the install cell alone; with "rest", every cell but it.
RUNNER = r"""
import json, re, sys
import nbformat
from nbclient import NotebookClient

path, wheel, workdir, part = sys.argv[1:]
nb = nbformat.read(path, as_version=4)
install = nb.cells[0]
assert "install" in install.metadata.get("tags", []), "the first cell is not the install cell"
pinned = r'"sgd-tutorial @ git\+https://[^"]+"'
source, count = re.subn(pinned, f'"sgd-tutorial @ file://{wheel}"', install.source)
assert count == 1, "the install cell installs no pinned package"
install.source = source
nb.cells = nb.cells[:1] if part == "install" else nb.cells[1:]
# The kernel is stopped at once when the last cell is done: a graceful shutdown waits a second.
NotebookClient(
    nb, timeout=600, kernel_name="python3", coalesce_streams=True, shutdown_kernel="immediate",
    resources={"metadata": {"path": workdir}},
).execute()
json.dump(
    ["".join(o.text for o in c.outputs if o.output_type == "stream" and o.name == "stdout")
     for c in nb.cells if c.cell_type == "code"],
    sys.stdout,
)
"""


@pytest.fixture(scope="session")
def notebook_python() -> Path:
    """Python in a venv with torch, matplotlib, a Jupyter kernel and client, and nothing else."""
    constraints = (ROOT / "constraints.txt").read_bytes()
    stamp = VENV / f".ready-{hashlib.sha256(constraints).hexdigest()[:12]}"
    python = VENV / "bin" / "python"
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
        # torch first, from the local CPU wheel.
        subprocess.run([*pip, "install", "--quiet", f"torch=={torch_version()}"], check=True)
        subprocess.run(
            [
                *pip,
                "install",
                "--quiet",
                "-c",
                ROOT / "constraints.txt",
                "matplotlib",
                "ipykernel",
                "nbclient",
            ],
            check=True,
        )
        stamp.touch()
    # The package comes from each notebook's install cell, never from an earlier session.
    subprocess.run([*pip, "uninstall", "--quiet", "--yes", "sgd-tutorial"], check=True, capture_output=True)
    return python


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """This checkout's package as a wheel, for the install cells."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", folder, ROOT],
        check=True,
        capture_output=True,
    )
    [built] = folder.glob("sgd_tutorial-*.whl")
    return built


def site_notebook(site: Path, source: Path) -> Path:
    """Where the build writes a page's notebook: beside the page's HTML, named after its source."""
    relative = source.relative_to(ROOT / "docs")
    folder = relative.parent if relative.stem == "index" else relative.with_suffix("")
    return site / folder / f"{relative.stem}.ipynb"


def page_html(site: Path, source: Path) -> str:
    relative = source.relative_to(ROOT / "docs")
    folder = relative.parent if relative.stem == "index" else relative.with_suffix("")
    return (site / folder / "index.html").read_text(encoding="utf-8")


def test_every_executed_page_has_a_valid_notebook_and_its_buttons(site):
    repo_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["repo_url"]
    owner_name = repo_url.removeprefix("https://github.com/").rstrip("/")
    for source in EXECUTED:
        path = site_notebook(site, source)
        assert path.is_file(), f"no notebook for {source.name}"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert notebook.cells[0].metadata["tags"] == ["install"]
        html = page_html(site, source)
        download = re.search(r'<a href="([^"]+)" download [^>]*title="Download notebook"', html)
        assert download and download[1] == path.name, f"{source.name}: no download button for its notebook"
        colab = re.search(r'<a href="([^"]+)" [^>]*title="Open in Colab"', html)
        site_path = path.relative_to(site).as_posix()
        assert colab and colab[1] == (
            f"https://colab.research.google.com/github/{owner_name}/blob/notebooks/{site_path}"
        ), f"{source.name}: no Colab button for its notebook"
        versions = r"Executed when the site was built, with Python [0-9.]+, torch [^ ]+ and matplotlib"
        assert re.search(versions, html), f"{source.name}: no note of the versions it ran with"
    # Pages that run no code offer no notebook.
    assert "Download notebook" not in (site / "api" / "training" / "index.html").read_text()
    assert not list((site / "api").rglob("*.ipynb"))


def test_the_execution_report_lists_every_executed_page_and_is_not_searchable(site):
    html = (site / "execution-report" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<tr>\s*<td><a href="\.\./([^"]*)">[^<]+</a></td>\s*<td>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>', html
    )
    documented = [p for p in (ROOT / "docs").rglob("*.md") if re.search(r"^::: ", p.read_text(), re.M)]
    executes = {
        p.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/" for p in [*EXECUTED, *documented]
    }
    assert {url for url, _, _ in rows} == {url.removesuffix("index/") for url in executes}
    for _, made, seconds in rows:
        assert made in {"ran", "ran in a Jupyter kernel", "from the cache", "prose only: stored outputs"}
        assert re.fullmatch(r"\d+\.\d s", seconds)
    assert "Execution report" not in (site / "search" / "search_index.json").read_text()


def run_notebook(python: Path, notebook: Path, wheel: Path, workdir: Path, part: str) -> list[str]:
    """Run ``part`` of ``notebook`` ("install" or "rest") in a fresh kernel; each code cell's stdout."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(workdir),
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLCONFIGDIR": str(VENV / "mplconfig"),  # matplotlib's font cache, made once
    }
    result = subprocess.run(
        [python, "-c", RUNNER, notebook, wheel, workdir, part],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=900,
    )
    assert result.returncode == 0, f"{notebook.name}: {result.stderr[-3000:]}"
    return json.loads(result.stdout)


def install_cell(notebook: Path) -> str:
    """The notebook's install cell, without the comment line that names its page."""
    source = nbformat.read(notebook, as_version=4).cells[0].source
    return re.sub(r"(?m)^# Made from https?://\S+\n", "", source, count=1)


@pytest.fixture(scope="session")
def installed(site, notebook_python, wheel, tmp_path_factory) -> str:
    """The install cell, run in a fresh kernel: it installs the package into the notebook venv."""
    first = site_notebook(site, EXECUTED[0])
    run_notebook(notebook_python, first, wheel, tmp_path_factory.mktemp("install"), "install")
    check = subprocess.run([notebook_python, "-c", "import sgd_tutorial"], capture_output=True, text=True)
    assert check.returncode == 0, f"the install cell did not install the package: {check.stderr[-1000:]}"
    return install_cell(first)


@pytest.mark.parametrize("source", EXECUTED, ids=[p.name for p in EXECUTED])
def test_the_notebook_runs_in_a_fresh_kernel_and_prints_what_the_page_printed(
    source, site, notebook_python, wheel, installed, tmp_path
):
    path = site_notebook(site, source)
    assert install_cell(path) == installed, f"{path.name} installs differently from the notebook run first"
    stored = json.loads(path.read_text(encoding="utf-8"))
    expected = [
        "".join(
            "".join(o["text"]) for o in c["outputs"] if o["output_type"] == "stream" and o["name"] == "stdout"
        )
        for c in stored["cells"]
        if c["cell_type"] == "code"
    ]
    assert any(expected) or any(
        o["output_type"] == "display_data" for c in stored["cells"] for o in c.get("outputs", [])
    ), f"{path.name} holds no outputs"
    # Every cell after the install cell (whose own output is pip's, not the page's).
    assert run_notebook(notebook_python, path, wheel, tmp_path, "rest") == expected[1:]
