"""MkDocs hook: two fixes to Material's markup, on every page and on the 404 page.

- The search dialog gets a name: axe-core reports a nameless dialog as a serious
  accessibility violation.
- The link to the repository stays, but not the component behind it, which
  fetches star and fork counts from GitHub's API on every page view: readers may
  be offline, and the site loads nothing from other hosts.
"""

from __future__ import annotations

_FIXES = [
    (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    ),
    ('class="md-source" data-md-component="source"', 'class="md-source"'),
]


def _fix(html: str) -> str:
    for old, new in _FIXES:
        html = html.replace(old, new)
    return html


def on_post_page(output, page, config):
    return _fix(output)


def on_post_template(output_content, template_name, config):
    return _fix(output_content)  # the 404 page is a template, not a page
