"""From the Ministry's published result to a task marked done, in a real browser: the administrator
imports the published scores, sees the reconciliation and where the points are, drafts the plan
and confirms it; the lead agency starts its task, reports progress with evidence and marks it done."""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import accept, make_user, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLISHED = "code,score\n1,40\n1.1,10\n1.2,10\n1.3,20\n2,10\n2.1,10\n"


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions import services as entry
    from dti.submissions.models import Submission
    from tests.web.conftest import FRAMEWORK_YAML

    today = timezone.localdate()
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    so_a = create_unit(code="so-a", name="Sở Alpha", level="so", parent=province)
    so_b = create_unit(code="so-b", name="Sở Bêta", level="so", parent=province)
    tttt = create_unit(code="so-tttt", name="Sở Thông tin và Truyền thông", level="so", parent=province)
    campaign = create_campaign(name="Đánh giá thử nghiệm", framework=create_version(FRAMEWORK_YAML), year=2024,
                               period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                               entry_deadline=today + dt.timedelta(days=10), review_deadline=today + dt.timedelta(days=20),
                               lead_unit=tttt, units=[so_a, so_b])
    admin = make_user("quantri", "assessment_admin")
    make_user("bientap.so-tttt", "reporter", tttt)
    for unit, values in ((so_a, {"1.1.truong_ban": "pho_giam_doc", "1.2.a": "3", "1.2.b": "4", "1.3.co": "0",
                                 "2.1.a": "50"}),
                         (so_b, {"1.1.truong_ban": "giam_doc", "2.1.a": "100"})):
        entry.save_entry(Submission.objects.get(campaign=campaign, unit=unit), user=admin, values=values)
    return {"campaign": campaign}


def login(browser, base, username):
    return signed_in_page(browser, base, username, timeout=20000, on_dialog=accept)


def test_from_the_published_result_to_a_task_marked_done(live_server, world, browser, tmp_path):
    from dti.plans.models import Task
    from dti.site.demo import tiny_pdf

    base, pk = live_server.url, world["campaign"].pk
    csv_file = tmp_path / "cong-bo.csv"
    csv_file.write_text(PUBLISHED, encoding="utf-8")

    page = login(browser, base, "quantri")
    page.goto(f"{base}/campaigns/{pk}/")
    page.get_by_role("link", name="Kết quả Bộ công bố").click()
    page.get_by_role("link", name="Nhập kết quả công bố").click()
    page.set_input_files("#id_file", str(csv_file))
    page.select_option("#id_unit", label="Sở Alpha")
    page.get_by_role("button", name="Nhập").click()
    page.wait_for_url(f"{base}/campaigns/{pk}/published/so-a/")
    assert "1.3: công bố 20 điểm, lớn hơn điểm tối đa 10" in page.locator("#reconciliation").inner_text()
    assert "1.3: Đã ban hành kế hoạch (co) từ Không thành Có → +10 điểm" in page.locator("#gains").inner_text()
    page.screenshot(path="/tmp/plan-published.png", full_page=True)

    page.get_by_role("link", name="Lập kế hoạch nâng điểm").click()
    page.get_by_role("button", name="Xác nhận lập kế hoạch").click()
    page.wait_for_url(f"{base}/plans/*/")
    assert "Chưa bắt đầu: 4" in page.locator("#dashboard").inner_text()
    task = Task.objects.get(code="1.3")
    assert task.lead.code == "so-tttt"

    page = login(browser, base, "bientap.so-tttt")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name="Kế hoạch nâng cao Chỉ số chuyển đổi số của Sở Alpha năm 2025").click()
    page.get_by_role("link", name="Ban hành kế hoạch chuyển đổi số: Đã ban hành kế hoạch (co) từ Không thành Có").click()
    page.get_by_role("button", name="Bắt đầu thực hiện").click()
    assert page.locator("#task-status").inner_text() == "Đang thực hiện"
    evidence = tmp_path / "ke-hoach.pdf"
    evidence.write_bytes(tiny_pdf())
    page.fill("#progress-text", "Đã trình UBND tỉnh ban hành kế hoạch chuyển đổi số")
    page.set_input_files("#progress-files", str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_role("link", name="ke-hoach.pdf").count() == 1
    page.get_by_role("button", name="Đánh dấu hoàn thành").click()
    assert page.locator("#task-status").inner_text() == "Hoàn thành"
    page.screenshot(path="/tmp/plan-task-done.png", full_page=True)
    task.refresh_from_db()
    assert task.status == "done" and task.reports.get().evidence.count() == 1
