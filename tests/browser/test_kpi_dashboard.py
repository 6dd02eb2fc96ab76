"""KPI monitoring in a real browser: an agency reports its month, its leader approves, it sends;
the province's dashboard then shows the KPI's card (sparkline, value against target), the
overview and the late agencies, and the KPI's own page its chart and table."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_user, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FRAMEWORK = Path(__file__).resolve().parents[2] / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml"


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from dti.engine.kpi import MONTH, period_containing
    from dti.kpi import services
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions import services as entry
    from dti.submissions.models import Submission

    today = timezone.localdate()
    province = create_unit(code="bd", name="UBND tỉnh Bình Định", level="tinh")
    vp = create_unit(code="vp-ubnd", name="Văn phòng UBND tỉnh", level="so", parent=province)
    gd = create_unit(code="so-gddt", name="Sở Giáo dục và Đào tạo", level="so", parent=province)
    tt = create_unit(code="so-tttt", name="Sở Thông tin và Truyền thông", level="so", parent=province)
    programme = services.create_programme(
        name="Giám sát KPI đô thị thông minh", framework=create_version(FRAMEWORK.read_text(encoding="utf-8")),
        owner=tt, first_year=today.year - 1,
        kpis={"7": {"frequency": "month", "agencies": [vp]}, "12": {"frequency": "quarter", "agencies": [gd]}})
    services.open_due_periods(programme, today=today)
    for code in ("7", "12"):
        setting = programme.settings.get(code=code)
        for year in (today.year - 1, today.year):
            services.set_target(setting, year=year, value=70, decision="Kế hoạch thử nghiệm 01/KH-TEST")
    reporter, leader = make_user("bientap.vp", "reporter", vp), make_user("lanhdao.vp", "leader", vp)
    make_user("lanhdao.tinh", "viewer", province, include_subtree=True)
    # Every month before this one sent by the Văn phòng; the Sở GD&ĐT has sent nothing (late).
    current = period_containing(MONTH, today)
    months = sorted(programme.periods.filter(frequency="month"), key=lambda p: p.period)
    for step, found in enumerate(m for m in months if m.period != str(current)):
        submission = Submission.objects.get(campaign=found.campaign, unit=vp)
        day = found.campaign.period_end
        entry.save_entry(submission, user=reporter, values={"7.a": str(40 + step), "7.b": "100"}, today=day)
        entry.approve_by_leader(submission, user=leader)
        entry.submit(submission, user=reporter, today=day)
    return {"programme": programme, "current": str(current), "months": len(months)}


def test_agency_reports_and_the_dashboard_follows(live_server, world, browser):
    base, pk, current = live_server.url, world["programme"].pk, world["current"]
    report = f"{base}/kpi/{pk}/reports/vp-ubnd/{current}/"

    page = signed_in_page(browser, base, "bientap.vp")
    page.goto(f"{base}/kpi/{pk}/")
    page.get_by_role("link", name=f"Tháng {current[5:]}/{current[:4]}").first.click()
    page.wait_for_url(report)
    page.fill("[name='f:7.a']", "90")
    page.fill("[name='f:7.b']", "100")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_test_id("value-7").inner_text() == "90%"

    page = signed_in_page(browser, base, "lanhdao.vp")
    page.goto(report)
    page.get_by_role("button", name="Lãnh đạo duyệt số liệu").click()
    assert page.get_by_test_id("state").inner_text() == "Lãnh đạo đã duyệt"

    page = signed_in_page(browser, base, "bientap.vp")
    page.goto(report)
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_test_id("state").inner_text() == "Đã gửi"

    page = signed_in_page(browser, base, "lanhdao.tinh")
    page.goto(f"{base}/kpi/{pk}/")
    card = page.locator("article[data-kpi='7']")
    assert card.locator("svg.spark polyline.value").count() >= 1
    assert "90%" in card.inner_text() and "Đạt" in card.inner_text()
    assert page.get_by_test_id("on-target").inner_text() == "1/2"
    assert "Sở Giáo dục và Đào tạo" in page.get_by_test_id("late-agencies").inner_text()
    assert "Văn phòng UBND tỉnh" not in page.get_by_test_id("late-agencies").inner_text()
    card.get_by_role("link").click()
    page.wait_for_url(f"{base}/kpi/{pk}/kpi/7/")
    assert page.locator("[data-testid=series-chart] svg circle").count() == world["months"]
    first_row = page.get_by_test_id("series-table").locator("tbody tr").first
    assert "90" in first_row.inner_text() and "Đạt" in first_row.inner_text()
    page.screenshot(path="/tmp/kpi-indicator.png", full_page=True)
    page.goto(f"{base}/kpi/{pk}/")
    page.screenshot(path="/tmp/kpi-dashboard.png", full_page=True)
