"""Cache keys, and the one decision made with them: reuse a page, replay its outputs, or run it.

A page that executes code is keyed on what decides its output, and nothing else:

- the environment (``environment_digest``): Python's and every installed
  distribution's version, ``mkdocs.yml``, the list of pages (links are checked
  while rendering), the package's files other than modules, and ``SCHEMA`` (what
  a snapshot holds);
- the sources of the package modules the page uses (``uses_digest``; which
  modules: ``deps.py``);
- the page's own source.

The plugin's code and the site's content-shaping hooks are not in the key: a
snapshot is taken before any ``on_page_content`` hook runs, so those hooks apply
to stored and fresh pages alike.

A Markdown page has a second key, over its fenced blocks alone (``code_key``):
when only its prose changed, the HTML its blocks produced is put back in place
(``replay.py``) instead of running them.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import sys
from pathlib import Path

from .deps import Package
from .snapshot import SCHEMA, Snapshot

# A Markdown page's output depends on the package when it runs code or renders
# the package's docstrings (a `::: module` line of mkdocstrings).
_USES_PACKAGE = re.compile(r"^\s*(```+\s*python[^\n]*\bexec=|::: )", re.M)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1", re.M | re.S)


class Decision(enum.Enum):
    HIT = "hit"  # the stored page is current: reuse it whole
    PROSE = "prose"  # only the prose changed: render again, putting the stored outputs back
    MISS = "miss"  # run the page's code


def decide(stored: Snapshot | None, key: str, code_key: str | None) -> Decision:
    """What to do with a page, given its snapshot (if any) and its keys now."""
    if stored is None:
        return Decision.MISS
    if stored.key == key:
        return Decision.HIT
    if code_key is not None and stored.code_key == code_key:
        return Decision.PROSE
    return Decision.MISS


def is_notebook(src_uri: str) -> bool:
    return src_uri.endswith(".ipynb")


def executes(src_uri: str, source: str) -> bool:
    """Whether a page's output depends on the package: a notebook, or Markdown that runs or documents it."""
    return is_notebook(src_uri) or _USES_PACKAGE.search(source) is not None


def environment_digest(config_file: Path, package: Package, src_uris: list[str], settings: str) -> str:
    """Hash of everything but the page and the modules it uses that decides a page's output.

    Args:
        config_file: ``mkdocs.yml``.
        package: The package whose modules key the pages.
        src_uris: Every documentation page (links to them are checked while rendering).
        settings: The plugin's own settings, as text.
    """
    h = hashlib.sha256(f"schema {SCHEMA}\n{sys.version}\n{settings}\n".encode())
    # Installed versions, from the names of the dist-info folders (name-version),
    # which is much faster than reading every distribution's metadata.
    versions = sorted(p.name for entry in sys.path if entry for p in Path(entry).glob("*.dist-info"))
    h.update("\n".join(versions).encode())
    others = sorted(
        p
        for p in package.root.rglob("*")
        if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    )
    for path in [config_file, *others]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update("\n".join(sorted(src_uris)).encode())
    return h.hexdigest()


def page_code(src_uri: str, source: str) -> tuple[list[str], str]:
    """A page's code (each exec block or code cell) and its Markdown (for ``:::`` lines)."""
    if is_notebook(src_uri):
        cells = json.loads(source)["cells"]
        return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"], ""
    fences = [match.group(0).splitlines() for match in _FENCE.finditer(source)]
    return ["\n".join(lines[1:-1]) for lines in fences if "exec=" in lines[0]], source


def uses_digest(package: Package, src_uri: str, source: str) -> str:
    """Hash of the sources of the package modules a page uses."""
    h = hashlib.sha256()
    for module in sorted(package.used_by(*page_code(src_uri, source))):
        h.update(module.encode() + b"\0" + package.files[module].read_bytes())
    return h.hexdigest()


def page_key(environment: str, uses: str, source: str) -> str:
    return hashlib.sha256(f"{environment}\n{uses}\n".encode() + source.encode()).hexdigest()


def code_key(environment: str, uses: str, src_uri: str, source: str) -> str | None:
    """Hash of a Markdown page's fenced blocks, in order; None for a notebook.

    Any change to a fence runs the whole page, so sessions and markdown-exec's
    numbering of blocks stay as they were.
    """
    if is_notebook(src_uri):
        return None
    fences = "\n".join(match.group(0) for match in _FENCE.finditer(source))
    return hashlib.sha256(f"{environment}\n{uses}\n{fences}".encode()).hexdigest()
