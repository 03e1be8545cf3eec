"""A content-shaping hook, as the real site has: it only rewrites HTML, stored or fresh."""


def on_page_content(html, page, config, files):
    return html + '\n<p class="marked">marked by a hook</p>\n'
