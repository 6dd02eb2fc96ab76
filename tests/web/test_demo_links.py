"""Every link a person is shown leads somewhere: on the demo's data, each kind of person follows the
links of every page they can reach from the dashboard (GET only) and meets no server error, no
missing page and no refusal.  This is where the pieces built apart meet (templates, URLs, roles)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.crawl import crawl

PEOPLE = ["admin", "quantri.so-tttt", "quantri.so-khcn", "thamdinh.so-tttt", "bientap.so-tttt", "bientap.so-yte",
          "lanhdao.so-tttt", "bientap.xa-anhoa", "xem.so-tttt", None]  # None: a visitor who has not signed in
IN_ENGLISH = ["quantri.so-tttt", "bientap.so-tttt"]  # the same pages in the second language


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
        found = crawl(client)
        assert found.opened >= (5 if username is None else 25), (username, found.opened)  # it went somewhere
        problems += [f"{username or 'khách'} ({language}) · {status}: {where}" for status, where in found.bad]
    assert problems == [], "\n".join(problems)
