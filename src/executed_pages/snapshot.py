"""What the cache keeps of a rendered page: a snapshot with a schema version, stored as JSON.

A snapshot holds what MkDocs' ``page.render`` leaves on the page (its HTML, table
of contents, title, anchors and links), the anchors the page registered with
mkdocs-autorefs, and the HTML each markdown-exec block produced, so that a
prose-only edit can put those outputs back without running the code.

Change ``SCHEMA`` whenever the fields or their meaning change: it is part of
every cache key, so every page then runs again instead of being read wrongly.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = 2


class UnreadableEntry(Exception):
    """A cache entry that is not a snapshot of this schema (truncated, garbage, missing fields)."""


@dataclass(frozen=True)
class Snapshot:
    """A rendered page, as the cache keeps it.

    Args:
        key: The page's full key (``keys.page_key``); a hit needs it equal.
        code_key: The key of a Markdown page's code alone (``keys.code_key``); None for a notebook.
        content: The page's HTML as ``page.render`` left it (before any ``on_page_content``).
        toc: The table of contents, as nested ``{level, id, name, children}`` dictionaries.
        title: The title the Markdown gave (MkDocs' private ``_title_from_render``).
        set_title: A title a plugin set on the page itself (mkdocs-jupyter does), if any.
        anchors: The ids present on the page (MkDocs checks links to them).
        links: For each page this one links to, the anchors it links to there.
        autorefs: The anchors registered with mkdocs-autorefs: ``[identifier, anchor, title, primary]``.
        blocks: The HTML of each markdown-exec block, in order.
        printed: What each markdown-exec block printed, in order (a page's notebook is made of it).
        notebook: A notebook page's executed copy (nbformat JSON); None for a Markdown page.
        seconds: How long the page took in the build that ran its code.
    """

    key: str
    code_key: str | None
    content: str
    toc: list = field(default_factory=list)
    title: str | None = None
    set_title: str | None = None
    anchors: list = field(default_factory=list)
    links: dict = field(default_factory=dict)
    autorefs: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    printed: list = field(default_factory=list)
    notebook: str | None = None
    seconds: float = 0.0


_FIELDS = {f.name: f.type for f in dataclasses.fields(Snapshot)}
_TYPES = {"str": str, "str | None": (str, type(None)), "list": list, "dict": dict, "float": (int, float)}


def dumps(snapshot: Snapshot) -> str:
    return json.dumps({"schema": SCHEMA, **dataclasses.asdict(snapshot)})


def loads(text: str) -> Snapshot:
    """A snapshot from its JSON text.

    Raises:
        UnreadableEntry: The text is not JSON, or not a snapshot of this schema.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UnreadableEntry(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise UnreadableEntry("not a JSON object")
    if data.pop("schema", None) != SCHEMA:
        raise UnreadableEntry(f"not schema {SCHEMA}")
    missing, extra = sorted(set(_FIELDS) - set(data)), sorted(set(data) - set(_FIELDS))
    if missing:
        raise UnreadableEntry(f"fields missing {missing}")
    if extra:
        raise UnreadableEntry(f"unexpected fields {extra}")
    for name, value in data.items():
        if not isinstance(value, _TYPES[_FIELDS[name]]):
            raise UnreadableEntry(f"field {name!r} has type {type(value).__name__}")
    return Snapshot(**data)


def read(path: Path) -> Snapshot | None:
    """The snapshot stored at ``path``; None when there is none.

    Raises:
        UnreadableEntry: The file cannot be read, or is not a snapshot of this schema.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableEntry(str(error)) from None
    return loads(text)


def discard(path: Path) -> None:
    """Remove an entry that cannot be trusted, whatever it turned into (a directory too)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write(path: Path, snapshot: Snapshot) -> None:
    """Store a snapshot whole or not at all: a build stopped midway leaves no half entry."""
    write_whole(path, dumps(snapshot))


def write_whole(path: Path, text: str) -> None:
    """Write a cache file whole or not at all, through a ``.part`` file that ``remove_leftovers`` knows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the partial files of builds that were stopped while writing; return them.

    A partial file is named after the process writing it; one whose process is
    still alive belongs to a build running beside this one and is left alone.
    """
    removed = []
    for partial in folder.glob("*.part"):
        pid = partial.suffixes[-2].lstrip(".") if len(partial.suffixes) >= 2 else ""
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        partial.unlink(missing_ok=True)
        removed.append(partial)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
