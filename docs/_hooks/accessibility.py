"""MkDocs hook: a name for Material's search dialog, which axe-core reports as nameless."""

from __future__ import annotations


def _name_search(html: str) -> str:
    return html.replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        1,
    )


def on_post_page(output, page, config):
    return _name_search(output)


def on_post_template(output_content, template_name, config):
    return _name_search(output_content)  # the 404 page is a template, not a page
