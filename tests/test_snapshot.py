"""The stored-page snapshot: its schema, and files written whole or not at all (snapshot.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from executed_pages import snapshot
from executed_pages.snapshot import SCHEMA, Snapshot, UnreadableEntry

FULL = Snapshot(
    key="k",
    code_key="c",
    content="<p>x</p>",
    toc=[{"level": 1, "id": "t", "name": "T", "children": []}],
    title="T",
    set_title=None,
    anchors=["t"],
    links={"other.md": {"a": "b"}},
    autorefs=[["pkg.f", "pkg.f", None, True]],
    blocks=["<pre>1</pre>"],
    printed=["1\n"],
    notebook='{"cells": []}',
    seconds=1.5,
)


def test_a_snapshot_survives_the_round_trip():
    assert snapshot.loads(snapshot.dumps(FULL)) == FULL
    assert json.loads(snapshot.dumps(FULL))["schema"] == SCHEMA


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"key": ', "not JSON"),
        ("[]", "not a JSON object"),
        (json.dumps({"schema": SCHEMA + 1}), f"not schema {SCHEMA}"),
        (json.dumps({"schema": SCHEMA, "key": "k"}), "fields missing"),
        (json.dumps({**json.loads(snapshot.dumps(FULL)), "extra": 1}), "unexpected fields ['extra']"),
        (json.dumps({**json.loads(snapshot.dumps(FULL)), "anchors": "t"}), "field 'anchors' has type str"),
        (json.dumps({**json.loads(snapshot.dumps(FULL)), "code_key": 3}), "field 'code_key' has type int"),
    ],
    ids=[
        "truncated",
        "not an object",
        "other schema",
        "missing fields",
        "extra field",
        "wrong type",
        "not str",
    ],
)
def test_what_is_not_a_snapshot_of_this_schema_is_refused(text, says):
    with pytest.raises(UnreadableEntry, match="^" + re.escape(says)):
        snapshot.loads(text)


def test_read_and_write(tmp_path):
    path = tmp_path / "sub" / "page.md.json"
    assert snapshot.read(path) is None
    snapshot.write(path, FULL)
    assert snapshot.read(path) == FULL
    assert [p.name for p in path.parent.iterdir()] == ["page.md.json"]  # no partial file left
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(UnreadableEntry):
        snapshot.read(path)


def test_leftover_partial_files_are_removed_unless_their_build_still_runs(tmp_path):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = tmp_path / f"a.md.json.{gone.stdout.strip()}.part"
    alive = tmp_path / f"b.md.json.{os.getppid()}.part"  # the process that started the tests runs on
    odd = tmp_path / "c.part"
    for path in (dead, alive, odd):
        path.write_text("{")
    assert sorted(snapshot.remove_leftovers(tmp_path)) == sorted([dead, odd])
    assert alive.exists()
