"""Cache keys, and the one decision made with them: reuse a page, replay its outputs, or run it.

A page that executes code is keyed on what decides its output, and nothing else:

- the environment (``environment_digest``): Python's and every installed
  distribution's version, ``mkdocs.yml``, the list of pages (links are checked
  while rendering), the package's files other than modules, and ``SCHEMA`` (what
  a snapshot holds);
- the sources of the package modules the page uses (``uses_digest``; which
  modules: ``deps.py``);
- the page's own source, and the files it includes with pymdownx.snippets
  (``--8<--``), which can hold code too (``Includes``);
- the configuration files that decide what code prints or draws beyond the
  page: matplotlib's ``matplotlibrc`` (``config_files``).

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
import os
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


def config_files(cwd: Path, docs_dir: Path) -> list[Path]:
    """The matplotlibrc files that a page's code (in this process, or a notebook's kernel) may read.

    Where matplotlib looks, in its order: ``$MATPLOTLIBRC``, the working
    directory (the project's for Markdown pages, ``docs/`` for a notebook's
    kernel), then the user's configuration folder.
    """
    candidates = []
    if os.environ.get("MATPLOTLIBRC"):
        given = Path(os.environ["MATPLOTLIBRC"])
        candidates += [given, given / "matplotlibrc"]
    candidates += [cwd / "matplotlibrc", docs_dir / "matplotlibrc"]
    home = (
        os.environ.get("MPLCONFIGDIR")
        or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "matplotlib"
    )
    candidates.append(Path(home) / "matplotlibrc")
    return [path for path in candidates if path.is_file()]


def environment_digest(
    config_file: Path, package: Package, src_uris: list[str], settings: str, extra: list[Path] = ()
) -> str:
    """Hash of everything but the page and the modules it uses that decides a page's output.

    Args:
        config_file: ``mkdocs.yml``.
        package: The package whose modules key the pages.
        src_uris: Every documentation page (links to them are checked while rendering).
        settings: The plugin's own settings, as text.
        extra: Other files that count for every page (``config_files``).
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
    for path in [config_file, *others, *extra]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(f"MPLBACKEND={os.environ.get('MPLBACKEND', '')}\n".encode())
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


# pymdownx.snippets: `--8<-- "file"` on a line, or a block of file names between two `--8<--` lines.
_SNIPPET_LINE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["'])(?P<name>[^"'\n]+)\1""", re.M)
_SNIPPET_BLOCK = re.compile(
    r"^[ \t]*-{1,}8<-{1,}[ \t]*\n(?P<names>.*?)^[ \t]*-{1,}8<-{1,}[ \t]*$", re.M | re.S
)
_SELECTION = re.compile(r"(:-?\d*){1,2}$|:[A-Za-z][\w-]*$")  # file.py:3:5, file.md:section


class Includes:
    """The files pages include with pymdownx.snippets, found as it would find them.

    Args:
        bases: Its ``base_path`` folders, in order.
        auto_append: Its ``auto_append`` files, included in every page.
    """

    def __init__(self, bases: list[Path], auto_append: list[str] = ()) -> None:
        self.bases = bases
        self.auto_append = list(auto_append)

    @classmethod
    def of_config(cls, extensions: list, configs: dict, cwd: Path) -> Includes:
        """What pymdownx.snippets, as ``mkdocs.yml`` sets it up, includes (nothing when it is not used)."""
        if "pymdownx.snippets" not in extensions:
            return cls([])
        options = configs.get("pymdownx.snippets", {})
        bases = options.get("base_path", ["."])
        bases = [bases] if isinstance(bases, str) else bases
        return cls([cwd / base for base in bases], options.get("auto_append", []))

    def _find(self, name: str) -> Path | None:
        for candidate in (name, _SELECTION.sub("", name)):
            for base in self.bases:
                if (base / candidate).is_file():
                    return base / candidate
        return None

    def of(self, source: str, depth: int = 0) -> list[tuple[str, str | None]]:
        """``(name, text or None when missing)`` of every file a page's source includes, nested ones too."""
        names = [m.group("name") for m in _SNIPPET_LINE.finditer(source)]
        for block in _SNIPPET_BLOCK.finditer(source):
            names += [line.strip() for line in block.group("names").splitlines() if line.strip()]
        if depth == 0:
            names += self.auto_append
        found = []
        for name in names:
            if name.startswith(";") or "://" in name:  # escaped, or a URL (not fetched here)
                continue
            path = self._find(name)
            text = path.read_text(encoding="utf-8", errors="replace") if path else None
            found.append((name, text))
            if text is not None and depth < 8:
                found += self.of(text, depth + 1)
        return found

    def expand(self, source: str) -> str:
        """The page's source, then every file it includes (for its keys and the analysis of its code)."""
        included = self.of(source)
        if not included:
            return source
        parts = [f"\n--8<-- {name}: {'(missing)' if text is None else text}" for name, text in included]
        return source + "".join(parts)
