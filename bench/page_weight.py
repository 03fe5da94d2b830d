"""Page weight: fetches real pages from a running app and prints what goes over the wire.

Budget (issue 6): the first visit to a question page, with every asset it loads, at most
35 KiB compressed; every later page at most 5 KiB of compressed HTML. Also prints what the
stock GOV.UK Frontend files and GDS Transport fonts would have cost, for comparison.

    .venv/bin/python bench/page_weight.py            # starts the app itself
    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:5000
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_VISIT_BUDGET = 35 * 1024
LATER_PAGE_BUDGET = 5 * 1024
SERVICE = "report-fly-tipping"
ASSET = re.compile(r'(?:href|src)="(/assets/[^"]+|/manifest\.webmanifest)"')
IMPORT = re.compile(rb'from\s*"\./([^"]+)"')


class Browser:
    """Fetches like a browser: cookies kept, gzip/brotli accepted, sizes as received."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def fetch(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(bytes on the wire, content encoding, decoded text)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Accept-Encoding": "br, gzip"}
        )
        with self.opener.open(request) as response:
            body = response.read()
            encoding = response.headers.get("Content-Encoding", "")
        return len(body), encoding, _decode(body, encoding)


def _decode(body: bytes, encoding: str) -> str:
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    return body.decode("utf-8", "replace")


def measure(base: str) -> bool:
    browser = Browser(base)
    size, encoding, html = browser.fetch(f"/{SERVICE}/land-type")
    rows = [(f"/{SERVICE}/land-type (HTML)", size, encoding)]
    pending = sorted(set(ASSET.findall(html)))
    seen: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        size, encoding, text = browser.fetch(url)
        rows.append((url, size, encoding))
        if url.endswith(".js"):
            folder = url.rsplit("/", 1)[0]
            pending += [f"{folder}/{name.decode()}" for name in IMPORT.findall(text.encode())]
    first = sum(size for _, size, _ in rows)
    print("First visit to a question page (compressed as served):")
    for url, size, encoding in rows:
        print(f"  {size / 1024:7.1f} KiB  {encoding or 'identity':8} {url}")
    print(f"  {first / 1024:7.1f} KiB  total (budget {FIRST_VISIT_BUDGET // 1024} KiB)")

    answers = [
        ("land-type", {"land_type": "road"}),
        ("location", {"postcode": "AL1 2CD", "location_description": "By the shops"}),
        ("items", {"waste_types": "household"}),
        ("amount", {"bag_count": "3"}),
        ("when-seen", {"date_seen-day": "1", "date_seen-month": "2", "date_seen-year": "2024"}),
        ("contact", {"reporter_email": "sam@example.com"}),
    ]
    later = []
    for page, form in answers:
        browser.fetch(f"/{SERVICE}/{page}", form)
    for page in [p for p, _ in answers[1:]] + ["check-answers"]:
        size, encoding, _ = browser.fetch(f"/{SERVICE}/{page}")
        later.append((page, size, encoding))
    print("Later pages (HTML only; assets come from the cache):")
    for page, size, encoding in later:
        print(f"  {size / 1024:7.1f} KiB  {encoding or 'identity':8} /{SERVICE}/{page}")
    worst = max(size for _, size, _ in later)
    print(f"  {worst / 1024:7.1f} KiB  largest (budget {LATER_PAGE_BUDGET // 1024} KiB)")

    stock = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    before = {
        "govuk-frontend.min.css": stock / "govuk-frontend.min.css",
        "govuk-frontend.min.js": stock / "govuk-frontend.min.js",
    }
    fonts = sorted((stock / "assets" / "fonts").glob("*.woff2"))
    print("For comparison, the stock GOV.UK Frontend 6.3.0 files (gzip -9; fonts as stored):")
    total = 0
    for name, path in before.items():
        size = len(gzip.compress(path.read_bytes(), 9))
        total += size
        print(f"  {size / 1024:7.1f} KiB  {name}")
    for font in fonts:
        total += font.stat().st_size
        print(f"  {font.stat().st_size / 1024:7.1f} KiB  {font.name} (GDS Transport)")
    print(f"  {total / 1024:7.1f} KiB  stock CSS + JS + fonts, before HTML and images")
    within = first <= FIRST_VISIT_BUDGET and worst <= LATER_PAGE_BUDGET
    print("Within budget." if within else "OVER BUDGET.")
    return within


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--base", help="a running app (default: start one)")
    args = parser.parse_args()
    if args.base:
        ok = measure(args.base.rstrip("/"))
    else:
        from accessibility.server import serving, sweep_app

        with tempfile.TemporaryDirectory() as work:
            app = sweep_app(ROOT / "form_definitions", f"sqlite:///{Path(work) / 'b.db'}")
            with nullcontext(), serving(app) as base:
                ok = measure(base)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
