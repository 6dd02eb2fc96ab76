import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.audit.models import AuditEvent
from dti.campaigns.selectors import entry_deadline
from dti.campaigns.services import add_units, create_campaign, grant_extension


def test_dates_must_be_in_order(framework):
    with pytest.raises(ValidationError) as exc:
        create_campaign(name="x", framework=framework, year=2024, period_start=dt.date(2024, 12, 1),
                        period_end=dt.date(2024, 1, 1), entry_deadline=dt.date(2025, 1, 10),
                        review_deadline=dt.date(2025, 1, 5))
    assert set(exc.value.message_dict) == {"period_end", "review_deadline"}


def test_units_of_another_level_cannot_join(campaign, units):
    with pytest.raises(ValidationError, match="không thuộc cấp"):
        add_units(campaign, [units["tn"]])


def test_extension_needs_reason_and_is_recorded(campaign, units, users, today):
    with pytest.raises(ValidationError):
        grant_extension(campaign, units["so-a"], new_deadline=today + dt.timedelta(days=30), reason="")
    grant_extension(campaign, units["so-a"], new_deadline=today + dt.timedelta(days=30), reason="Công văn 12",
                    user=users["assessment_admin"])
    assert entry_deadline(campaign, units["so-a"]) == today + dt.timedelta(days=30)
    assert entry_deadline(campaign, units["so-b"]) == campaign.entry_deadline
    assert AuditEvent.objects.filter(action="campaign.extension", unit_code="so-a", reason="Công văn 12").exists()


def test_admin_creates_campaign_from_form(client, users, framework):
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("campaigns:create"), {
        "name": "Đợt 2025", "framework": framework.pk, "year": "2025", "period_start": "01/01/2025",
        "period_end": "31/12/2025", "entry_deadline": "15/01/2026", "review_deadline": "15/02/2026",
        "levels": ["so"],
    })
    assert response.status_code == 302
    from dti.campaigns.models import Campaign

    created = Campaign.objects.get(name="Đợt 2025")
    assert created.entry_deadline == dt.date(2026, 1, 15)
    assert created.submissions.count() == 3


def test_campaign_form_error_in_vietnamese(client, users, framework):
    client.force_login(users["assessment_admin"])
    html = client.post(reverse("campaigns:create"), {"name": "x", "framework": framework.pk, "year": "2025",
                                                    "period_start": "32/01/2025"}).content.decode()
    assert "Ngày không hợp lệ (dd/mm/yyyy)" in html


def test_extension_view(client, users, campaign, units, today):
    client.force_login(users["assessment_admin"])
    new = (today + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    client.post(reverse("campaigns:extension", args=[campaign.pk]),
                {"unit": units["so-b"].pk, "new_deadline": new, "reason": "Sự cố kỹ thuật"})
    assert entry_deadline(campaign, units["so-b"]) == today + dt.timedelta(days=40)
