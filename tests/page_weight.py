"""What each page of the built site costs a reader: bytes transferred, and Lighthouse's scores.

    python tests/page_weight.py [SITE_DIR] [--no-lighthouse] [--runs N]

Serves the site on localhost at the path it is published under, opens every
page in Debian's Chromium (Playwright) with an empty cache, scrolls it to the end
and loads every lazy figure, as a reader who reads the whole page would, and adds
up what the server sent: HTML, CSS, JavaScript, images, other (the search
index). Like GitHub Pages, the server gzips text (HTML, CSS, JS, JSON, SVG), so
these are the bytes a reader downloads. Targets (issue 12): total transfer per page
<= 400 KiB, HTML <= 100 KB.

Where Lighthouse is installed (``npm install --prefix .cache/lighthouse
lighthouse``, or the path in $LIGHTHOUSE), each page also gets its desktop
performance, accessibility and best-practices scores (target: 100 each);
performance varies on a busy machine, so ``--runs 3`` takes each score's median.
Without SITE_DIR the site is built first, as `make build` does, into a
temporary folder. Prints tables; exits 0 whatever the numbers (they are
benchmark figures, not tests).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from helpers import mkdocs_build, published_path  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = Path(
    os.environ.get("LIGHTHOUSE", ROOT / ".cache" / "lighthouse" / "node_modules" / ".bin" / "lighthouse")
)
# GitHub Pages sends these gzipped; images other than SVG are already compressed.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb"}
IMAGES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"}
TRANSFER_TARGET = 400 * 1024
HTML_TARGET = 100_000


def pages(site: Path) -> list[str]:
    """Every page (and the 404 page), as a URL path relative to the site root."""
    found = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [*("" if p == "." else f"{p}/" for p in found), "404.html"]


class Served:
    """What the local server sent: (URL path, bytes of body, bytes before gzip), in order."""

    def __init__(self):
        self.sent: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()

    def add(self, path: str, size: int, uncompressed: int) -> None:
        with self.lock:
            self.sent.append((path, size, uncompressed))

    def take(self) -> list[tuple[str, int, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent


def serve(site: Path, served: Served) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The site on localhost under site_url's path, text gzipped as GitHub Pages sends it.

    Returns the server and the site's URL. Every response's body size goes to ``served``.
    """

    class Gzipping(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            file = Path(self.translate_path(self.path))
            file = file / "index.html" if file.is_dir() else file
            if not file.is_file():
                return super().do_GET()
            body = raw = file.read_bytes()
            kind = self.guess_type(str(file))
            if file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, mtime=0)
                encoded = True
            else:
                encoded = False
            self.send_response(200)
            self.send_header("Content-Type", kind)
            if encoded:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
            self.end_headers()
            self.wfile.write(body)
            served.add(urllib.parse.urlsplit(self.path).path, len(body), len(raw))

    mount = published_path(site).strip("/")
    root = Path(tempfile.mkdtemp(prefix="served-"))
    if mount:
        (root / mount).parent.mkdir(parents=True, exist_ok=True)
        (root / mount).symlink_to(site.resolve(), target_is_directory=True)
    else:
        root = site
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Gzipping, directory=root))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/{mount + '/' if mount else ''}"


def kind(path: str) -> str:
    suffix = Path(path).suffix or ".html"
    return {".html": "html", ".css": "css", ".js": "js"}.get(suffix, "img" if suffix in IMAGES else "other")


def transfers(base: str, paths: list[str], served: Served) -> dict[str, dict[str, int]]:
    """Bytes sent per kind of file (and requests to other hosts) for each page, cold cache."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path in paths:
            # A new context has an empty cache; its events include the search worker's requests.
            context = browser.new_context(viewport={"width": 1350, "height": 940})
            urls: list[str] = []
            context.on("request", lambda r, urls=urls: urls.append(r.url))
            page = context.new_page()
            served.take()
            page.goto(base + path, wait_until="networkidle")
            page.evaluate(
                """() => Promise.all([...document.images].map(img => {
                    img.loading = "eager";
                    return img.decode().catch(() => null);
                }))"""
            )
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            context.close()
            sizes = dict.fromkeys(["html", "css", "js", "img", "other"], 0)
            uncompressed = 0
            for url_path, size, raw in served.take():
                sizes[kind(url_path)] += size
                uncompressed += raw
            outside = sum(not url.startswith((base, "data:", "blob:")) for url in urls)
            results[path] = {
                **sizes,
                "total": sum(sizes.values()),
                "uncompressed": uncompressed,
                "outside": outside,
            }
        browser.close()
    return results


def lighthouse(url: str) -> dict[str, int] | None:
    """Lighthouse's desktop scores (0-100) for one page, or None when it fails."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        run = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--preset=desktop",
                "--only-categories=performance,accessibility,best-practices",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env=dict(os.environ, CHROME_PATH=CHROMIUM),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode != 0 or not report.is_file():
            print(f"  lighthouse failed on {url}: {run.stderr.strip()[-300:]}", file=sys.stderr)
            return None
        categories = json.loads(report.read_text())["categories"]
        return {name: round(100 * (c["score"] or 0)) for name, c in categories.items()}


def median_scores(url: str, runs: int) -> dict[str, int] | None:
    """Each score's median over ``runs`` Lighthouse runs (None when every run failed)."""
    results = [r for r in (lighthouse(url) for _ in range(max(runs, 1))) if r]
    if not results:
        return None
    return {name: int(statistics.median(r[name] for r in results)) for name in results[0]}


def html_bytes(site: Path, path: str) -> int:
    return (site / (path if path.endswith(".html") else path + "index.html")).stat().st_size


def report(site: Path, paths: list[str], sizes: dict, scores: dict) -> None:
    """The tables, and the worst page against each target."""
    categories = ("performance", "accessibility", "best-practices")
    print("\nTransfer per page (cold cache, whole page read, every figure loaded; bytes sent, gzipped)\n")
    header = "| page | HTML file | html | css | js | img | other | total KiB | unzipped KiB | other hosts |"
    header += " perf | a11y | best practices |" if scores else ""
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for path in paths:
        s = sizes[path]
        cells = [f"/{path}", f"{html_bytes(site, path):,}"]
        cells += [f"{s[kind]:,}" for kind in ("html", "css", "js", "img", "other")]
        cells += [f"{s['total'] / 1024:.0f}", f"{s['uncompressed'] / 1024:.0f}", str(s["outside"])]
        if scores:
            cells += [str((scores.get(path) or {}).get(c, "-")) for c in categories]
        print("| " + " | ".join(cells) + " |")

    heaviest = max(paths, key=lambda p: sizes[p]["total"])
    total = sizes[heaviest]["total"]
    met = "met" if total <= TRANSFER_TARGET else "NOT met"
    print(f"\nLargest transfer: /{heaviest}, {total / 1024:.0f} KiB (target <= 400 KiB: {met})")
    largest = max(paths, key=lambda p: html_bytes(site, p))
    met = "met" if html_bytes(site, largest) <= HTML_TARGET else "NOT met"
    print(f"Largest HTML: /{largest}, {html_bytes(site, largest):,} bytes (target <= 100,000: {met})")
    if scores:
        worst = {c: min((s or {}).get(c, 0) for s in scores.values()) for c in categories}
        print("Lowest Lighthouse scores (target 100): " + ", ".join(f"{c} {v}" for c, v in worst.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one)")
    parser.add_argument("--no-lighthouse", action="store_true", help="transfer sizes only")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="Lighthouse runs per page, scores are the median (performance varies on a busy machine)",
    )
    args = parser.parse_args()

    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="site-"))
        built = mkdocs_build(ROOT, site)
        if built.returncode != 0:
            print(built.stderr[-3000:], file=sys.stderr)
            return 1
    served = Served()
    httpd, base = serve(site, served)
    try:
        paths = pages(site)
        sizes = transfers(base, paths, served)
        use_lighthouse = not args.no_lighthouse and LIGHTHOUSE.exists() and shutil.which("node")
        scores = {path: median_scores(base + path, args.runs) for path in paths} if use_lighthouse else {}
    finally:
        httpd.shutdown()
        httpd.server_close()

    report(site, paths, sizes, scores)
    if not scores and not args.no_lighthouse:
        print(f"Lighthouse not run: none at {LIGHTHOUSE} (npm install --prefix .cache/lighthouse lighthouse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
