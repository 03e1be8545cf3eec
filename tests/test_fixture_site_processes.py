"""The executed-pages plugin on the fixture site, where a process of its own is needed: exit status,
``-q``, a killed or interrupted build, and ``mkdocs serve``.

The rest of the plugin's behaviour, built inside the test process, is in ``test_fixture_site.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import (
    CACHE,
    add_block,
    add_cell,
    assert_same_as_cold,
    assert_short,
    build,
    get,
    html_to_text,
    mkdocs_args,
    mkdocs_build,
    project_env,
    replace_in,
    serving,
    wait_for,
)

pytestmark = pytest.mark.fixture_site


OLD_BLOCK = 'value = double(21)\nprint("double:", value)'


def test_on_the_command_line_a_failing_block_fails_even_with_q(project, tmp_path):
    first_line = add_block(project, "beta.md", "raise KeyError('injected')")
    result = mkdocs_build(project, tmp_path / "site", "-q")
    assert result.returncode == 1
    assert f"beta.md:{first_line}: code block raised KeyError: 'injected'" in result.stderr
    assert_short(result.stdout + result.stderr, project)


def test_a_build_killed_midway_then_rebuilt_is_the_same_as_a_clean_build(project, tmp_path):
    shutil.rmtree(project / CACHE)
    # A block that waits on the beta page, so that the kill comes after the
    # alpha and API pages were stored and before the rest.
    gate = tmp_path / "gate"
    wait = f"import os, time\nwhile not os.path.exists({str(gate)!r}):\n    time.sleep(0.05)"
    add_block(project, "beta.md", wait)
    command = [sys.executable, *mkdocs_args(), "build", "--strict", "-d", str(tmp_path / "killed")]
    build_process = subprocess.Popen(
        command, cwd=project, env=project_env(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: (project / CACHE / "api.md.json").exists(), 60, "the first pages to be stored")
    finally:
        build_process.send_signal(signal.SIGKILL)
        build_process.wait()
    gate.touch()  # from now on the block passes at once
    rebuilt = build(project, tmp_path / "rebuilt")
    assert rebuilt.ok, rebuilt.log
    assert rebuilt.statuses["alpha.md"] == "hit" and rebuilt.statuses["beta.md"] == "miss"
    assert_same_as_cold(rebuilt, project, tmp_path)


def test_under_serve_prose_package_and_config_edits_reach_the_pages(project, tmp_path):
    # The plugin makes serve look for saved files more often (upstream.poll_for_saves_every):
    # what MkDocs watched before (docs, mkdocs.yml) and after (watch: src) must still be seen.
    with serving(project, tmp_path / "serve.log") as base:
        wait_for(lambda: "double: 42" in html_to_text(get(f"{base}/alpha/")), 60, "the first build")
        replace_in(project / "docs" / "alpha.md", "Prose between the blocks.", "Prose edited while serving.")
        wait_for(lambda: "Prose edited while serving." in get(f"{base}/alpha/"), 30, "the prose edit")
        replace_in(project / "src" / "tinypkg" / "alpha.py", "OFFSET = 0", "OFFSET = 1")
        wait_for(lambda: "double: 43" in html_to_text(get(f"{base}/alpha/")), 30, "the package edit")
        wait_for(lambda: "total: 11" in html_to_text(get(f"{base}/notebook/")), 30, "the notebook")
        replace_in(project / "mkdocs.yml", "site_name: Fixture", "site_name: Fixture, renamed")
        wait_for(lambda: "Fixture, renamed" in get(f"{base}/alpha/"), 60, "the config edit")


def test_under_serve_a_renamed_variable_fails_as_it_would_in_a_cold_build(project, tmp_path):
    # markdown-exec keeps a session's variables for the life of the process; the
    # second block still uses the old name and must not find it.
    log = tmp_path / "serve.log"
    with serving(project, log) as base:
        wait_for(lambda: "double: 42" in html_to_text(get(f"{base}/alpha/")), 60, "the first build")
        replace_in(project / "docs" / "alpha.md", OLD_BLOCK, "renamed = 42")
        wait_for(lambda: "name 'value' is not defined" in log.read_text(), 30, "the rebuild to fail")
    assert "alpha.md:" in log.read_text() and "code block raised NameError" in log.read_text()
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "code block raised NameError: name 'value' is not defined" in result.log


def test_ctrl_c_stops_the_build_and_the_notebook_kernel(project, tmp_path):
    marker = tmp_path / "kernel.pid"
    add_cell(project, f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(300)")
    # Ctrl-C as in a terminal: a test run started in the background of a shell
    # without job control inherits SIGINT ignored, and Python keeps it so.
    as_in_a_terminal = "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)"
    site = tmp_path / "site"
    command = [sys.executable, *mkdocs_args(as_in_a_terminal), "build", "--strict", "-d", str(site)]
    process = subprocess.Popen(
        command,
        cwd=project,
        env=project_env(project),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a process group of its own, as a terminal's Ctrl-C reaches
    )
    try:
        kernel = int(
            wait_for(lambda: marker.exists() and marker.read_text(), 60, "the kernel to start the cell")
        )
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=30) != 0
        wait_for(lambda: not _alive(kernel), 30, "the kernel to stop")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by its parent) counts as stopped.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_under_serve_an_endless_block_fails_the_rebuild_and_the_fix_is_served(project, tmp_path):
    replace_in(project / "mkdocs.yml", "package: tinypkg", "package: tinypkg\n      page_timeout: 2")
    log = tmp_path / "serve.log"
    page = project / "docs" / "alpha.md"
    with serving(project, log) as base:
        wait_for(lambda: "double: 42" in html_to_text(get(f"{base}/alpha/")), 60, "the first build")
        original = page.read_text()
        add_block(project, "alpha.md", "while True:\n    pass")
        wait_for(lambda: "still running after 2 s" in log.read_text(), 60, "the time limit")
        page.write_text(original.replace("value = double(21)", "value = double(22)"))
        wait_for(lambda: "double: 44" in html_to_text(get(f"{base}/alpha/")), 60, "the fixed page")
