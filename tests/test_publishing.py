"""The publishing workflow builds the site the way the tests do, and the repository is named once."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

import helpers
from helpers import BUILD_ENV, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
ON_MAIN = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"

_spec = importlib.util.spec_from_file_location(
    "repository_hook", ROOT / "overrides" / "hooks" / "repository.py"
)
repository = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(repository)


@pytest.fixture(scope="module")
def workflow() -> dict:
    # YAML 1.1 reads the key "on" as True.
    return yaml.safe_load(WORKFLOW.read_text())


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def make_commands(*args: str) -> list[str]:
    """What make would run, every target remade (a dry run: nothing runs)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dry.stdout.splitlines()


def test_the_workflow_runs_only_the_makefile_targets_a_developer_runs(workflow):
    assert runs(workflow["jobs"]["test"]) == [
        f"make setup TORCH_INDEX={CPU_INDEX}",
        "make test",
        "make build",
    ]


def test_make_build_is_the_build_the_tests_make(monkeypatch):
    # The tests build with helpers.mkdocs_build; capture its command instead of running it.
    seen = {}
    with monkeypatch.context() as patched:
        patched.setattr(helpers.subprocess, "run", lambda args, **kwargs: seen.update(args=args, **kwargs))
        helpers.mkdocs_build(ROOT, Path("/nowhere"))
    tests_args = seen["args"][seen["args"].index("build") :]
    assert tests_args[:2] == ["build", "--strict"]
    (make_build,) = [line for line in make_commands("build") if "mkdocs" in line]
    assert shlex.split(make_build)[1:] == ["build", "--strict"]
    # ... in the same environment: what the tests set, the Makefile exports.
    makefile = (ROOT / "Makefile").read_text()
    for name in BUILD_ENV:
        assert re.search(rf"^export {name}\b", makefile, re.M), name
    # make test runs the whole suite, site builds included.
    assert make_commands("test")[-1].split()[0] == ".venv/bin/pytest"
    assert "-m" not in make_commands("test")[-1].split()


def test_torch_is_the_cpu_build_at_the_pinned_version(workflow):
    pinned = re.search(r"^torch==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M)[1]
    (install,) = [line for line in make_commands("setup", f"TORCH_INDEX={CPU_INDEX}") if "torch==" in line]
    assert f"torch=={pinned}" in shlex.split(install) and install.endswith(f"--index-url {CPU_INDEX}")
    assert pinned not in WORKFLOW.read_text()  # written once, in constraints.txt


def test_only_main_deploys_and_each_job_has_only_the_permissions_it_needs(workflow):
    assert workflow["permissions"] == {}
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    assert test["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "test" and deploy["if"] == ON_MAIN
    (upload,) = [step for step in test["steps"] if "upload-pages-artifact" in step.get("uses", "")]
    assert upload["if"] == ON_MAIN
    site_dir = yaml.safe_load((ROOT / "mkdocs.yml").read_text()).get("site_dir", "site")
    assert upload["with"]["path"] == site_dir
    assert set(workflow[True]) == {"push", "pull_request", "workflow_dispatch"}
    assert workflow[True]["push"] == {"branches": ["main"]}


def test_pip_downloads_and_executed_pages_are_cached_and_restored_by_prefix(workflow):
    caches = {
        step["with"]["path"]: step["with"]
        for step in workflow["jobs"]["test"]["steps"]
        if "cache@" in step.get("uses", "")
    }
    assert set(caches) == {"~/.cache/pip", ".cache"}
    for cache in caches.values():
        # A new key for each change, restored from the newest earlier entry.
        assert cache["key"].startswith(cache["restore-keys"]) and "hashFiles(" in cache["key"]
    assert "constraints.txt" in caches["~/.cache/pip"]["key"]


def test_actions_are_pinned_to_commits(workflow):
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses


@pytest.mark.parametrize(
    ("repo_url", "site_url"),
    [
        ("https://github.com/someone/tutorial", "https://someone.github.io/tutorial/"),
        ("https://github.com/Someone/fork.git", "https://someone.github.io/fork/"),
        ("https://github.com/someone/someone.github.io/", "https://someone.github.io/"),
    ],
)
def test_the_site_address_follows_the_repository(repo_url, site_url):
    assert repository.pages_url(repo_url) == site_url


@pytest.mark.parametrize("repo_url", ["https://gitlab.com/a/b", "https://github.com/only-owner"])
def test_a_repository_elsewhere_asks_for_site_url(repo_url):
    with pytest.raises(ValueError, match=r"set site_url in mkdocs\.yml too"):
        repository.pages_url(repo_url)


def test_the_repository_is_named_in_mkdocs_yml_only():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert "site_url" not in config and config["edit_uri"].startswith("edit/")
    slug = "/".join(config["repo_url"].rstrip("/").split("/")[-2:])
    owner = slug.split("/")[0]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    naming = [
        name
        for name in tracked.stdout.splitlines()
        if (ROOT / name).is_file()
        and re.search(rf"{re.escape(owner)}(/|\.github\.io)", (ROOT / name).read_text(errors="ignore"))
    ]
    assert naming == ["mkdocs.yml"]


@pytest.mark.site
def test_the_built_site_links_follow_the_repository(site):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    site_url, repo_url = repository.pages_url(config["repo_url"]), config["repo_url"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{site_url}">' in home
    assert f'href="{repo_url}/{config["edit_uri"]}index.md"' in home
    assert f"<loc>{site_url}</loc>" in (site / "sitemap.xml").read_text()
    assert (site / "404.html").is_file()


def test_the_colab_links_branch_is_the_one_the_workflow_pushes_notebooks_to(workflow):
    plugins = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["plugins"]
    (config,) = [p["executed-pages"] for p in plugins if isinstance(p, dict) and "executed-pages" in p]
    job = workflow["jobs"]["notebooks"]
    assert job["if"] == ON_MAIN and job["needs"] == "test"
    assert job["permissions"] == {"contents": "write"}
    (push,) = [step for step in job["steps"] if "run" in step]
    assert push["env"]["BRANCH"] == config["colab_branch"]
    assert "*.ipynb" in push["run"] and "push --force" in push["run"]
