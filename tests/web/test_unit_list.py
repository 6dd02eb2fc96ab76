"""The unit list: filter by level, search by name or code; a bad query string gets a message, not a 500."""

import pytest
from django.urls import reverse


@pytest.fixture
def admin(client, users):
    client.force_login(users["assessment_admin"])
    return client


def test_search_by_name_or_code(admin, units):
    html = admin.get(reverse("organisations:list"), {"q": "gamma"}).content.decode()
    assert "Sở Gamma" in html and "Sở Alpha" not in html
    html = admin.get(reverse("organisations:list"), {"q": "so-b"}).content.decode()
    assert "Sở Bêta" in html and "Sở Gamma" not in html


@pytest.mark.parametrize("query, message", [("so\x00", "ký tự rỗng (NUL)"), ("s\x1fo", "ký tự điều khiển"),
                                            ("s" * 201, "vượt quá giới hạn 200 ký tự")])
def test_bad_query_gets_a_vietnamese_message_beside_the_field(admin, units, query, message):
    response = admin.get(reverse("organisations:list"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'aria-describedby="q-error"' in html and "Sở Alpha" in html


def test_bad_level_parameter_lists_every_level(admin, units):
    response = admin.get(reverse("organisations:list"), {"level": "so\x00"})
    assert response.status_code == 200 and "Sở Alpha" in response.content.decode()
