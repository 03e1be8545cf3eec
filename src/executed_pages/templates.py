"""The theme's templates, compiled once per process.

`mkdocs serve` makes a new Jinja environment for every rebuild, which compiled
the theme's templates (about fifty) again after each saved edit: about a quarter
of the wait for an edit to show (see the README's "Speed-ups" table). The plugin, which
`mkdocs serve` keeps across rebuilds, hands each new environment the same
bytecode cache through MkDocs' ``on_env`` event and Jinja's public
``BytecodeCache`` interface.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled code of each template, kept in memory for the life of the process.

    Nothing is written to disk, so there is no entry to go stale or corrupt:
    Jinja compares the checksum of each template's source on every load, and
    compiles an edited template again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # resets the bucket if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
