"""MkDocs hook: the repository is named in one place, ``repo_url``; the site's address follows.

GitHub Pages publishes the repository OWNER/NAME at ``https://OWNER.github.io/NAME/``
(and one named ``OWNER.github.io`` at ``https://OWNER.github.io/``). When
``mkdocs.yml`` sets no ``site_url``, it is derived from ``repo_url``, as are the
edit links (``edit_uri`` is relative to ``repo_url``), so a fork changes one
line. A site on a custom domain sets ``site_url`` as well.

``mkdocs serve`` decides where to serve the site before any hook runs, so
without a ``site_url`` in ``mkdocs.yml`` it serves at the root,
http://127.0.0.1:8000/; the built site is for its published address.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

_GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?")


def pages_url(repo_url: str) -> str:
    """Where GitHub Pages publishes the repository at ``repo_url``.

    Args:
        repo_url: the repository, ``https://github.com/OWNER/NAME``.

    Returns:
        The site's address, ending in a slash.

    Raises:
        ValueError: ``repo_url`` is not a repository on github.com.
    """
    match = _GITHUB.fullmatch(repo_url)
    if match is None:
        raise ValueError(
            f"repo_url {repo_url!r} is not a GitHub repository (https://github.com/OWNER/NAME): "
            "set site_url in mkdocs.yml too"
        )
    owner, name = match["owner"], match["name"]
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{name}/"


def on_config(config):
    if config.site_url or not config.repo_url:
        return config
    try:
        config.site_url = pages_url(config.repo_url)
    except ValueError as error:
        raise PluginError(str(error)) from None
    return config
