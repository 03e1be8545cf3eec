"""The "Going further" pages guard their sentences about results, in blocks the reader does not see."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = ["fit.md", "learning-rate.md", "landscape.md", "explorer.md", "sgd.md"]
FENCE = re.compile(r"^(?P<indent> *)```python (?P<options>[^\n]*)\n(?P<body>.*?)^(?P=indent)```", re.M | re.S)


def guarded_claims(text: str) -> int:
    """How many claim() calls stand in hidden executed blocks (no source=, no result=)."""
    count = 0
    for block in FENCE.finditer(text):
        options = block["options"]
        if 'exec="on"' in options and "source=" not in options and "result=" not in options:
            count += len(re.findall(r"^\s*claim\(", block["body"], re.M))
    return count


@pytest.mark.parametrize("page", PAGES)
def test_page_has_guarded_claims(page):
    assert guarded_claims((DOCS / page).read_text(encoding="utf-8")) >= 1


@pytest.mark.parametrize("page", PAGES)
def test_page_does_not_mention_the_notes(page):
    assert "the notes" not in (DOCS / page).read_text(encoding="utf-8").lower()


def test_a_visible_claim_is_not_counted():
    shown = '```python exec="on" source="block" result="text" session="s"\nclaim("x", True)\n```\n'
    hidden = '```python exec="on" session="s"\nclaim("x", True)\nclaim("y", True)\n```\n'
    assert guarded_claims(shown) == 0
    assert guarded_claims(hidden) == 2
