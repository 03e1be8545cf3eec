"""Cache keys and the hit / prose / miss decision (executed_pages/keys.py)."""

from __future__ import annotations

import pytest

from executed_pages import keys
from executed_pages.deps import Package
from executed_pages.keys import Decision, decide
from executed_pages.snapshot import Snapshot

PAGE = '# Title\n\nProse.\n\n```python exec="on"\nfrom pkg import alpha\nprint(alpha())\n```\n'


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in the text; the test would test nothing"
    return text.replace(old, new)


def stored(key: str = "k", code_key: str | None = "c") -> Snapshot:
    return Snapshot(key=key, code_key=code_key, content="<p>stored</p>")


@pytest.mark.parametrize(
    ("snapshot", "key", "code_key", "decision"),
    [
        (None, "k", "c", Decision.MISS),
        (stored(), "k", "c", Decision.HIT),
        (stored(), "k", "other", Decision.HIT),  # the full key covers the code too
        (stored(), "other", "c", Decision.PROSE),
        (stored(), "other", "other", Decision.MISS),
        (stored(code_key=None), "other", None, Decision.MISS),  # a notebook has no prose-only edits
    ],
    ids=[
        "nothing stored",
        "same key",
        "same key, code key ignored",
        "prose only",
        "code changed",
        "notebook",
    ],
)
def test_decide(snapshot, key, code_key, decision):
    assert decide(snapshot, key, code_key) is decision


@pytest.fixture
def package(tmp_path) -> Package:
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("from .a import alpha\n")
    (root / "a.py").write_text("def alpha(): return 1\n")
    (root / "b.py").write_text("def beta(): return 2\n")
    return Package(root)


def test_code_key_ignores_prose_and_follows_every_fence():
    env = "environment"
    key = keys.code_key(env, "uses", "page.md", PAGE)
    assert keys.code_key(env, "uses", "page.md", edit(PAGE, "Prose.", "Other prose.")) == key
    assert keys.code_key(env, "uses", "page.md", edit(PAGE, "print(alpha())", "print(alpha() + 1)")) != key
    assert keys.code_key(env, "other uses", "page.md", PAGE) != key
    assert keys.code_key(env, "uses", "page.ipynb", "{}") is None


def test_page_key_follows_the_source_the_modules_and_the_environment():
    key = keys.page_key("env", "uses", PAGE)
    assert keys.page_key("env", "uses", PAGE + " ") != key
    assert keys.page_key("env", "other", PAGE) != key
    assert keys.page_key("other", "uses", PAGE) != key


def test_uses_digest_changes_only_with_the_modules_a_page_uses(package):
    before = keys.uses_digest(package, "page.md", PAGE)
    (package.root / "b.py").write_text("def beta(): return 3\n")
    assert keys.uses_digest(Package(package.root), "page.md", PAGE) == before
    (package.root / "a.py").write_text("def alpha(): return 4\n")
    assert keys.uses_digest(Package(package.root), "page.md", PAGE) != before


def test_environment_digest_follows_config_settings_page_list_and_package_data(
    package, tmp_path, monkeypatch
):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n")
    digest = keys.environment_digest(config, package, ["a.md"], "settings")
    assert keys.environment_digest(config, package, ["a.md"], "settings") == digest
    assert keys.environment_digest(config, package, ["a.md", "b.md"], "settings") != digest
    assert keys.environment_digest(config, package, ["a.md"], "other settings") != digest
    (package.root / "data.csv").write_text("1,2\n")
    assert keys.environment_digest(config, package, ["a.md"], "settings") != digest
    monkeypatch.setattr(keys, "SCHEMA", keys.SCHEMA + 1)
    config.write_text("site_name: x\n")
    (package.root / "data.csv").unlink()
    assert keys.environment_digest(config, package, ["a.md"], "settings") != digest


def test_executes_and_page_code():
    assert keys.executes("page.md", PAGE)
    assert keys.executes("api.md", "# API\n\n::: pkg.a\n")
    assert not keys.executes("prose.md", "# Prose\n\n```python\nprint(1)\n```\n")
    assert keys.executes("nb.ipynb", "{}")
    assert keys.page_code("page.md", PAGE) == (["from pkg import alpha\nprint(alpha())"], PAGE)
    notebook = (
        '{"cells": [{"cell_type": "code", "source": ["x = 1\\n", "y = 2"]}, {"cell_type": "markdown"}]}'
    )
    assert keys.page_code("nb.ipynb", notebook) == (["x = 1\ny = 2"], "")


def test_includes_are_found_as_pymdownx_snippets_finds_them(tmp_path):
    base, other = tmp_path / "base", tmp_path / "other"
    base.mkdir()
    other.mkdir()
    (base / "a.py").write_text("A = 1\n")
    (other / "b.md").write_text('B\n--8<-- "c.txt"\n')
    (other / "c.txt").write_text("C\n")
    (base / "footer.md").write_text("footer\n")
    includes = keys.Includes([base, other], auto_append=["footer.md"])
    source = '--8<-- "a.py:1:2"\n\n--8<--\nb.md\nmissing.md\n--8<--\n\n;--8<-- "escaped.md"\n'
    assert includes.of(source) == [
        ("a.py:1:2", "A = 1\n"),
        ("b.md", 'B\n--8<-- "c.txt"\n'),
        ("c.txt", "C\n"),
        ("missing.md", None),
        ("footer.md", "footer\n"),
    ]
    expanded = includes.expand(source)
    assert expanded.startswith(source) and "A = 1" in expanded and "missing.md: (missing)" in expanded
    assert keys.Includes([base]).expand("no snippets here") == "no snippets here"


def test_config_files_are_the_matplotlibrc_files_matplotlib_would_read(tmp_path, monkeypatch):
    home, cwd, docs = tmp_path / "home", tmp_path / "cwd", tmp_path / "cwd" / "docs"
    docs.mkdir(parents=True)
    monkeypatch.setenv("MPLCONFIGDIR", str(home))
    monkeypatch.delenv("MATPLOTLIBRC", raising=False)
    assert keys.config_files(cwd, docs) == []
    for folder in (cwd, docs):
        (folder / "matplotlibrc").write_text("lines.linewidth: 3\n")
    home.mkdir()
    (home / "matplotlibrc").write_text("lines.linewidth: 4\n")
    (tmp_path / "given").write_text("lines.linewidth: 5\n")
    monkeypatch.setenv("MATPLOTLIBRC", str(tmp_path / "given"))
    found = [cwd / "matplotlibrc", docs / "matplotlibrc", home / "matplotlibrc"]
    assert keys.config_files(cwd, docs) == [tmp_path / "given", *found]


def test_includes_follow_the_snippets_settings(tmp_path):
    assert keys.Includes.of_config(["toc"], {}, tmp_path).bases == []
    assert keys.Includes.of_config(["pymdownx.snippets"], {}, tmp_path).bases == [tmp_path / "."]
    options = {"pymdownx.snippets": {"base_path": "inc", "auto_append": ["a.md"]}}
    includes = keys.Includes.of_config(["pymdownx.snippets"], options, tmp_path)
    assert includes.bases == [tmp_path / "inc"] and includes.auto_append == ["a.md"]
