"""The draft plan in one step: agencies and deadlines from the framework, tasks from the gains list."""

import datetime as dt

import pytest
from django.urls import reverse

from dti.organisations.models import Unit
from dti.plans.models import Plan
from dti.plans.services import match_agencies, parse_deadline


@pytest.mark.parametrize("text,expected", [
    ("Quý IV năm 2024", dt.date(2024, 12, 31)),
    ("Quý II năm 2024", dt.date(2024, 6, 30)),
    ("Quý IV hằng năm", dt.date(2023, 12, 31)),
    ("Năm 2025", dt.date(2025, 12, 31)),
    ("Thường xuyên", None),
    ("Thống kê số liệu", None),
])
def test_deadlines_as_the_document_writes_them(text, expected):
    assert parse_deadline(text, 2023) == expected


def test_agencies_by_name_and_short_name(units):
    from dti.organisations.services import create_unit

    tttt = create_unit(code="so-tttt", name="Sở Thông tin và Truyền thông", level="so", parent=units["tn"])
    vp = create_unit(code="vp", name="Văn phòng UBND tỉnh", level="so", parent=units["tn"])
    everyone = list(Unit.objects.all())
    assert match_agencies("Sở TT &TT; Văn phòng UBND tỉnh", everyone) == [tttt, vp]
    assert match_agencies("Sở Thông tin và Truyền thông (Sở TT &TT)", everyone) == [tttt]
    assert match_agencies("Các sở, ban, ngành, UBND cấp huyện", everyone) == []


def test_draft_page_previews_without_creating(client, campaign, users, submitted):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("plans:draft", args=[campaign.pk, "so-a"]))
    page = response.content.decode()
    assert response.status_code == 200 and "Xác nhận lập kế hoạch" in page
    assert "Số cuộc họp có Giám đốc chủ trì (a) từ 3 lên 4" in page
    assert not Plan.objects.exists()


def test_confirmed_draft_creates_the_plan_with_its_tasks(client, campaign, units, users, submitted):
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("plans:draft", args=[campaign.pk, "so-a"]), {
        "name": "Kế hoạch nâng cao chỉ số", "owner": units["so-c"].pk, "minimum_gain": "0,5", "confirm": "1"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    task = plan.tasks.get(code="1.2")
    assert (task.points_now, task.target_score, task.lead) == (7.5, 10, units["so-c"])  # no agency named: the owner
    assert plan.baseline_total == 47.5


def test_draft_is_for_campaign_admins(client, campaign, users, submitted):
    client.force_login(users["reporter"])
    assert client.get(reverse("plans:draft", args=[campaign.pk, "so-a"])).status_code == 403


def test_dashboard_counts_by_status_and_agency_and_target_against_estimate(client, campaign, units, users, submitted):
    client.force_login(users["assessment_admin"])
    client.post(reverse("plans:draft", args=[campaign.pk, "so-a"]), {
        "name": "KH", "owner": units["so-c"].pk, "minimum_gain": "0", "confirm": "1"})
    plan = Plan.objects.get()
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="dashboard"' in page and "Chưa bắt đầu: 1" in page and "Quá hạn: 0" in page
    assert "Tổng điểm mục tiêu" in page and "Ước tính hiện tại" in page
