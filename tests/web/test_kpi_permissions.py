"""Who sees what: a source agency sees its own reports only; another agency's report answers 404."""

import pytest
from django.urls import reverse

from .kpi_fixtures import *  # noqa: F403


@pytest.mark.parametrize("who,unit,period,status", [
    ("vp", "vp-ubnd", "2024-07", 200),
    ("vp", "so-gddt", "2024-Q3", 404),  # another agency's report
    ("gd", "vp-ubnd", "2024-07", 404),
    ("gd", "so-gddt", "2024-Q3", 200),
    ("vp", "vp-ubnd", "2024-Q3", 404),  # the agency reports nothing quarterly
    ("nobody", "vp-ubnd", "2024-07", 404),
    ("tinh", "so-gddt", "2024-Q3", 200),  # the province's leader sees every agency
    ("admin", "so-gddt", "2024-Q3", 200),
])
def test_report_visibility(client, programme, kpi_users, who, unit, period, status):
    client.force_login(kpi_users[who])
    assert client.get(reverse("kpi:report", args=[programme.pk, unit, period])).status_code == status


def test_agency_cannot_post_figures_into_another_agencys_report(client, programme, kpi_users):
    client.force_login(kpi_users["vp"])
    url = reverse("kpi:report", args=[programme.pk, "so-gddt", "2024-Q3"])
    assert client.post(url, {"f:12.a": "1", "f:12.b": "2"}).status_code == 404
    action = reverse("kpi:report_action", args=[programme.pk, "so-gddt", "2024-Q3", "submit"])
    assert client.post(action).status_code == 404


def test_viewer_sees_the_report_but_cannot_save(client, programme, kpi_users):
    client.force_login(kpi_users["tinh"])
    assert client.post(reverse("kpi:report", args=[programme.pk, "so-gddt", "2024-Q3"]), {"f:12.a": "1"}).status_code == 403


def test_agency_cannot_approve_as_leader_without_the_role(client, programme, kpi_users):
    client.force_login(kpi_users["vp"])
    action = reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", "2024-07", "leader_approve"])
    assert client.post(action).status_code == 403


def test_unknown_transition_answers_404(client, programme, kpi_users):
    client.force_login(kpi_users["admin"])
    assert client.post(reverse("kpi:report_action", args=[programme.pk, "vp-ubnd", "2024-07", "publish"])).status_code == 404


def test_report_list_shows_only_the_agencys_own(client, programme, kpi_users):
    client.force_login(kpi_users["gd"])
    text = client.get(reverse("kpi:reports", args=[programme.pk])).content.decode()
    assert "Sở Giáo dục và Đào tạo" in text and "Văn phòng UBND tỉnh" not in text


def test_person_without_a_role_in_the_programme_gets_404(client, programme, kpi_users):
    client.force_login(kpi_users["nobody"])
    assert client.get(reverse("kpi:dashboard", args=[programme.pk])).status_code == 404
    assert client.get(reverse("kpi:indicator", args=[programme.pk, "7"])).status_code == 404
    assert client.get(reverse("kpi:export", args=[programme.pk])).status_code == 404
    assert "Giám sát KPI đô thị thông minh" not in client.get(reverse("kpi:list")).content.decode()


def test_only_the_owner_imports(client, programme, kpi_users):
    client.force_login(kpi_users["tinh"])
    assert client.get(reverse("kpi:import", args=[programme.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, programme):
    assert client.get(reverse("kpi:dashboard", args=[programme.pk])).status_code == 302
