"""Following the links a person is shown, as the test client (tests/web/test_demo_links.py) and as a
list of pages for the browser (tests/browser/test_narrow_demo.py)."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

# Links that change something or leave the application, and downloads that are pages' own tests' work.
SKIP = re.compile(r"^/(static|media|admin|api)/|/logout/|/i18n/|\.(pdf|docx|xlsx|csv|ico|svg)$|[?&]format=")
PAGES_PER_KIND = 2  # two campaigns, units, pages of a list… of each kind of page are enough
LINK = re.compile(r'href="([^"#][^"]*)"')


def kind_of(path: str) -> str:
    """'/campaigns/12/units/so-yte/' → '/campaigns/N/units/X/': one kind of page."""
    return "/".join("X" if "-" in part else re.sub(r"\d+", "N", part) for part in path.split("/"))


@dataclass
class Crawl:
    opened: int = 0
    pages: list[str] = field(default_factory=list)  # the HTML pages that answered 200
    bad: list[tuple[int, str]] = field(default_factory=list)  # (status, "url (from page)"): not 200 nor a redirect


def crawl(client, limit: int = 200) -> Crawl:
    """Breadth first from the dashboard and the public page, GET only, at most PAGES_PER_KIND of a kind."""
    seen, per_kind, found = {"/", "/public/"}, {}, Crawl()
    queue = deque([("/", ""), ("/public/", "")])
    while queue and found.opened < limit:
        url, origin = queue.popleft()
        found.opened += 1
        response = client.get(url)
        if response.status_code not in (200, 301, 302):
            found.bad.append((response.status_code, f"{url} (from {origin})"))
            continue
        if response.status_code in (301, 302):
            target = urldefrag(response["Location"])[0]
            if target.startswith("/") and target not in seen and not SKIP.search(target):
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        found.pages.append(url)
        for href in LINK.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or SKIP.search(link) or link in seen:
                continue
            kind = kind_of(parts.path)
            per_kind[kind] = per_kind.get(kind, 0) + 1
            if per_kind[kind] > PAGES_PER_KIND:
                continue
            seen.add(link)
            queue.append((link, url))
    return found
