"""Creating a programme on the web: the owner picks each KPI's frequency, direction and agencies."""

from django.urls import reverse

from dti.kpi.models import Programme

from .kpi_fixtures import *  # noqa: F403


def _post(client, framework, **extra):
    data = {"framework": framework.pk, "save": "1", "name": "Giám sát KPI 2025", "owner": "so-tttt", "first_year": "2025",
            "freq:7": "month", "dir:7": "higher", "ag:7": "vp-ubnd", "freq:1": "quarter", "dir:1": "higher",
            "ag:1": "h-a, h-b", **extra}
    return client.post(reverse("kpi:create"), data)


def test_admin_creates_a_programme_and_its_periods_open(client, kpi_units, kpi_framework, kpi_users):
    client.force_login(kpi_users["admin"])
    assert "Tình hình công khai thông tin đô thị" in client.get(reverse("kpi:create") + f"?framework={kpi_framework.pk}").content.decode()
    response = _post(client, kpi_framework)
    programme = Programme.objects.get(name="Giám sát KPI 2025")
    assert response.status_code == 302
    assert dict(programme.settings.values_list("code", "frequency")) == {"1": "quarter", "7": "month"}
    assert programme.periods.filter(period="2025-01").exists()


def test_unknown_agency_is_named_and_what_was_typed_is_kept(client, kpi_units, kpi_framework, kpi_users):
    client.force_login(kpi_users["admin"])
    response = _post(client, kpi_framework, **{"ag:7": "vp-ubnd, so-khong-co"})
    text = response.content.decode()
    assert response.status_code == 400 and "không có đơn vị mã so-khong-co" in text
    assert 'value="vp-ubnd, so-khong-co"' in text and 'value="Giám sát KPI 2025"' in text
    assert not Programme.objects.exists()


def test_reporter_cannot_create(client, kpi_units, kpi_framework, kpi_users):
    client.force_login(kpi_users["vp"])
    assert client.get(reverse("kpi:create")).status_code == 403
