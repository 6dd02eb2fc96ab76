"""At 390 px, no page of the demo scrolls sideways: every kind of page each person can reach (found by
following the links they are shown, tests/crawl.py), opened on a phone-sized window."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.crawl import crawl

from .helpers import new_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The administrators see the most kinds of page (campaigns, plans, people, frameworks, recognition,
# Excel, documents); a reporter and a reviewer see their own (entry, review queue).
PEOPLE = ["quantri.so-tttt", "quantri.so-khcn", "bientap.so-tttt", "thamdinh.so-tttt"]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", quiet=True)


def test_no_page_of_the_demo_scrolls_sideways_on_a_phone(live_server, demo, browser):
    from django.contrib.auth import get_user_model

    wide = []
    for username in PEOPLE:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        pages = crawl(client, limit=120).pages
        assert len(pages) >= 10, (username, len(pages))  # the crawl found pages to look at
        page = sign_in(new_page(browser, width=390, height=844), live_server.url, username, password="demo")
        for url in pages:
            page.goto(live_server.url + url)
            extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if extra > 1:
                wide.append(f"{username} · {url}: {extra} px wider than the window")
        page.context.close()
    assert wide == [], "\n".join(wide)
