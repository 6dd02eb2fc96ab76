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


BAD_TEXT = [
    ("Đợt\x00 2025", "ký tự rỗng (NUL)"),
    ("Đợt\x1b 2025", "ký tự điều khiển"),
    ("Đ" * 301, "vượt quá giới hạn 300 ký tự"),
]


@pytest.mark.parametrize("name, message", BAD_TEXT)
def test_campaign_name_bad_text_gets_a_message_beside_the_field_and_keeps_the_rest(client, users, framework, name,
                                                                                    message):
    from dti.campaigns.models import Campaign

    client.force_login(users["assessment_admin"])
    response = client.post(reverse("campaigns:create"), {
        "name": name, "framework": framework.pk, "year": "2025", "period_start": "01/01/2025",
        "period_end": "31/12/2025", "entry_deadline": "15/01/2026", "review_deadline": "15/02/2026",
    })
    assert response.status_code == 200 and not Campaign.objects.filter(year=2025).exists()
    assert response.context["form"].errors == {"name": [response.context["form"].errors["name"][0]]}
    assert message in response.context["form"].errors["name"][0]
    html = response.content.decode()
    assert 'value="15/02/2026"' in html and 'value="31/12/2025"' in html  # nothing else lost


@pytest.mark.parametrize("name, message", BAD_TEXT)
def test_create_campaign_service_refuses_bad_names(framework, name, message):
    with pytest.raises(ValidationError) as exc:
        create_campaign(name=name, framework=framework, year=2025, period_start=dt.date(2025, 1, 1),
                        period_end=dt.date(2025, 12, 31), entry_deadline=dt.date(2026, 1, 15),
                        review_deadline=dt.date(2026, 2, 15))
    assert message in exc.value.message_dict["name"][0]


@pytest.mark.parametrize("reason, message", [("Công\x00 văn", "ký tự rỗng (NUL)"), ("Công\x07 văn", "ký tự điều khiển"),
                                             ("x" * 2001, "vượt quá giới hạn 2.000 ký tự")])
def test_extension_reason_bad_text(client, campaign, units, users, today, reason, message):
    with pytest.raises(ValidationError) as exc:
        grant_extension(campaign, units["so-a"], new_deadline=today + dt.timedelta(days=30), reason=reason)
    assert message in exc.value.message_dict["reason"][0]
    client.force_login(users["assessment_admin"])
    new = (today + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    response = client.post(reverse("campaigns:extension", args=[campaign.pk]),
                           {"unit": units["so-b"].pk, "new_deadline": new, "reason": reason}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][1] == 302 and "Chưa gia hạn: xem lỗi ở mục Gia hạn nhập liệu." in html
    reason_field = html[html.index('id="id_reason"'):]
    assert reason_field.index(message) < reason_field.index("</div>")  # beside the field
    assert f'value="{new}"' in html and f'<option value="{units["so-b"].pk}" selected>' in html  # nothing lost
    assert entry_deadline(campaign, units["so-b"]) == campaign.entry_deadline
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert message not in html  # shown once


def test_extension_service_error_shows_beside_its_field(client, campaign, units, users):
    client.force_login(users["assessment_admin"])
    early = campaign.entry_deadline.strftime("%d/%m/%Y")
    response = client.post(reverse("campaigns:extension", args=[campaign.pk]),
                           {"unit": units["so-b"].pk, "new_deadline": early, "reason": "Công văn 7"}, follow=True)
    html = response.content.decode()
    deadline_field = html[html.index('id="id_new_deadline"'):]
    assert deadline_field.index("Hạn mới phải sau hạn nhập liệu chung") < deadline_field.index("</div>")
    assert "Công văn 7</textarea>" in html


def test_extension_reason_keeps_line_breaks(campaign, units, today):
    extension = grant_extension(campaign, units["so-a"], new_deadline=today + dt.timedelta(days=30),
                                reason="Công văn 12\r\nngày 3/5")
    assert extension.reason == "Công văn 12\r\nngày 3/5"


@pytest.mark.parametrize("query, message", [("so\x00", "ký tự rỗng (NUL)"), ("so\x07", "ký tự điều khiển"),
                                            ("s" * 201, "vượt quá giới hạn 200 ký tự")])
def test_campaign_search_bad_query_gets_a_message_not_a_500(client, users, campaign, query, message):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'id="q-error"' in html
    assert len(response.context["page"]) == 3  # the unfiltered list, rather than nothing


def test_campaign_search_finds_units(client, users, campaign):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("campaigns:detail", args=[campaign.pk]), {"q": "Bêta"})
    assert [s.unit.code for s in response.context["page"]] == ["so-b"]
    assert 'id="q-error"' not in response.content.decode()
