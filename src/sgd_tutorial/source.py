"""The source of the package's functions, for pages that show what they run."""

from __future__ import annotations

import ast
import inspect
import textwrap

__all__ = ["source"]


def source(obj: object, docstring: bool = True) -> str:
    """The source code of a function or class, as it is in the installed package.

    Pages show it so that a reader can copy a definition that is exactly what
    ran, never a second copy kept by hand.

    Args:
        obj: A function or class.
        docstring: Keep the docstring; without it the definition is shorter, and the
            API reference still has the docstring.

    Returns:
        The definition, dedented, ending with a newline.
    """
    text = textwrap.dedent(inspect.getsource(obj))
    if docstring:
        return text
    body = ast.parse(text).body[0].body
    first = body[0] if body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return text
    lines = text.splitlines(keepends=True)
    del lines[first.lineno - 1 : first.end_lineno]
    return "".join(lines)
