"""Every link a person is shown leads somewhere: on the demo's data, each kind of person follows the
links of every page they can reach from the dashboard (GET only) and meets no server error, no
missing page and no refusal.  This is where the pieces built apart meet (templates, URLs, roles)."""

from __future__ import annotations

import os
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

# Links that change something or leave the application, and downloads that are pages' own tests' work.
SKIP = re.compile(r"^/(static|media|admin|api)/|/logout/|/i18n/|\.(pdf|docx|xlsx|csv|ico|svg)$|[?&]format=")
PEOPLE = ["admin", "quantri.so-tttt", "quantri.so-khcn", "thamdinh.so-tttt", "bientap.so-tttt", "bientap.so-yte",
          "lanhdao.so-tttt", "bientap.xa-anhoa", "xem.so-tttt", None]  # None: a visitor who has not signed in
IN_ENGLISH = ["quantri.so-tttt", "bientap.so-tttt"]  # the same pages in the second language
PAGES_PER_KIND = 2  # two campaigns, units, pages of a list… of each kind of page are enough
LINK = re.compile(r'href="([^"#][^"]*)"')


def kind_of(path: str) -> str:
    """'/campaigns/12/units/so-yte/' → '/campaigns/N/units/X/': one kind of page."""
    return "/".join("X" if "-" in part else re.sub(r"\d+", "N", part) for part in path.split("/"))


def crawl(client: Client, limit: int = 200) -> tuple[int, dict[str, list[tuple[int, str]]]]:
    """(pages opened, status → [(status, 'url (linked from page)')] for every answer that is not 200 or
    a redirect)."""
    seen, per_kind, bad = {"/", "/public/"}, {}, {}
    queue, opened = deque([("/", ""), ("/public/", "")]), 0
    while queue and opened < limit:
        url, origin = queue.popleft()
        opened += 1
        response = client.get(url)
        if response.status_code not in (200, 301, 302):
            bad.setdefault(str(response.status_code), []).append((response.status_code, f"{url} (from {origin})"))
            continue
        if response.status_code in (301, 302):
            target = urldefrag(response["Location"])[0]
            if target.startswith("/") and target not in seen and not SKIP.search(target):
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
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
    return opened, bad


# The links and who may follow them do not depend on the database engine; the demo takes 6 s to
# load on SQLite and 35 s on PostgreSQL, so the crawl runs in the SQLite pass of `make test`.
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass")
def test_every_link_each_person_is_shown_works(db):
    from django.contrib.auth import get_user_model

    call_command("load_demo", quiet=True)
    problems = []
    for username, language in [(u, "vi") for u in PEOPLE] + [(u, "en") for u in IN_ENGLISH]:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        opened, bad = crawl(client)
        assert opened >= (5 if username is None else 25), (username, opened)  # the crawl went somewhere
        problems += [f"{username or 'khách'} ({language}) · {status}: {where}" for answers in bad.values() for status, where in answers]
    assert problems == [], "\n".join(problems)
