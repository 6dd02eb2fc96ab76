"""Kon Tum's recognition process in a real browser (headless Chromium, pytest-django live_server):

the reporter enters the target level → the leader approves the registration → (the unit sends its
self-assessment) → the administrator forms the council and assigns the file → a member records
opinions → the secretary concludes (asked first) → the administrator drafts the decision, fills
number and date, uploads the signed PDF and issues it (asked first) → the level is published.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.recognition_fixtures import MATURITY_YAML, X1

from .helpers import accept, make_user, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from dti.campaigns.models import CampaignStep
    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit

    today = timezone.localdate()
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    h1 = create_unit(code="h1", name="UBND huyện Một", level="huyen", parent=province)
    x1 = create_unit(code="x1", name="UBND xã Một", level="xa", parent=h1)
    campaign = create_campaign(name="Mức độ CĐS kiểm thử", framework=create_version(MATURITY_YAML), year=today.year,
                               entry_deadline=today + dt.timedelta(days=5), review_deadline=today + dt.timedelta(days=10),
                               approval_date=today + dt.timedelta(days=12), units=[h1, x1])
    CampaignStep.objects.filter(campaign=campaign, step="registration").update(due=today + dt.timedelta(days=2))
    people = {"reporter": make_user("bientap.x1", "reporter", x1), "leader": make_user("lanhdao.x1", "leader", x1),
              "admin": make_user("quantri", "assessment_admin")}
    for name, full in (("r1", "Chủ tịch A"), ("r2", "Thư ký B"), ("r3", "Thành viên C")):
        people[name] = make_user(name, "reviewer", full_name=full)
    return campaign, people


def _send_self_assessment(campaign, people):
    from dti.submissions.models import Submission
    from dti.submissions.services import approve_by_leader, save_entry, submit

    submission = Submission.objects.get(campaign=campaign, unit__code="x1")
    save_entry(submission, user=people["reporter"], values=X1)
    approve_by_leader(submission, user=people["leader"])
    submit(submission, user=people["reporter"])


def test_registration_to_issued_decision(live_server, world, browser, tmp_path):
    from dti.recognition.models import Decision
    from dti.site.demo import tiny_pdf

    campaign, people = world
    base = live_server.url
    home = f"{base}/recognition/campaign/{campaign.pk}/"

    # 1. The reporter enters the target level; the leader approves it: the unit is registered.
    page = signed_in_page(browser, base, "bientap.x1", on_dialog=accept)
    page.goto(home)
    page.get_by_role("link", name="Đăng ký mức độ").click()
    page.select_option("#id_target_level", "2")
    page.get_by_role("button", name="Lưu mức đăng ký").click()
    page.get_by_text("Đã lưu mức độ đăng ký").wait_for()
    page.context.close()
    page = signed_in_page(browser, base, "lanhdao.x1", on_dialog=accept)
    page.goto(f"{home}register/x1/")
    page.get_by_role("button", name="Lãnh đạo duyệt, đăng ký").click()
    page.get_by_text("đơn vị đã đăng ký mức độ").wait_for()
    assert "Đã đăng ký" in page.locator("#registration-state").inner_text()
    page.context.close()

    _send_self_assessment(campaign, people)

    # 2. The administrator forms the council from reviewers and assigns the file.
    page = signed_in_page(browser, base, "quantri", on_dialog=accept)
    page.goto(home)
    page.get_by_role("link", name="Thành lập hội đồng").click()
    page.fill("#id_name", "Hội đồng thẩm định cấp huyện")
    page.select_option("#id_chair", label="Chủ tịch A (r1)")
    page.select_option("#id_secretary", label="Thư ký B (r2)")
    page.select_option("#id_members", label="Thành viên C (r3)")
    page.get_by_role("button", name="Thành lập").click()
    page.get_by_text("Đã thành lập hội đồng").wait_for()
    page.select_option("#id_units", label="UBND xã Một")
    page.get_by_role("button", name="Giao hồ sơ").click()
    page.get_by_text("Đã giao 1 hồ sơ").wait_for()
    council_url = page.url
    page.context.close()

    # 3. A member records met / not met with a comment for each criterion at the claimed level.
    page = signed_in_page(browser, base, "r1", on_dialog=accept)
    page.goto(council_url)
    page.get_by_role("link", name="UBND xã Một").click()
    page.check("input[name='met:xa.I.1'][value='1']")
    page.fill("input[name='comment:xa.I.1']", "Khớp số liệu Cổng dịch vụ công")
    page.check("input[name='met:xa.I.2'][value='1']")
    page.get_by_role("button", name="Lưu ý kiến").click()
    page.get_by_text("Đã ghi ý kiến cho 2 tiêu chí").wait_for()
    file_url = page.url
    page.context.close()

    # 4. The secretary concludes (the page asks first, naming the members without an opinion).
    page = signed_in_page(browser, base, "r2", on_dialog=accept)
    page.goto(file_url)
    assert page.get_by_text("Khớp số liệu Cổng dịch vụ công").is_visible()
    page.select_option("#level", "2")
    page.fill("#reasons", "Đạt đủ các tiêu chí mức 2 (biên bản họp ngày 10/12)")
    page.get_by_role("button", name="Ghi kết luận").click()
    page.get_by_text("Đã ghi kết luận của hội đồng").wait_for()
    assert "Mức 2 - Kết nối" in page.locator("#conclusion").inner_text()
    page.context.close()

    # 5. The administrator drafts the decision, fills it, uploads the signed PDF and issues it.
    page = signed_in_page(browser, base, "quantri", on_dialog=accept)
    page.goto(home)
    page.fill("#id_issuer", "Ủy ban nhân dân huyện Một")
    page.get_by_role("button", name="Lập dự thảo quyết định").click()
    assert page.get_by_role("cell", name="Mức 2 - Kết nối").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.fill("#id_number", "15/QĐ-UBND")
    page.fill("#id_signed_on", "18/12/2026")
    signed = tmp_path / "qd-da-ky.pdf"
    signed.write_bytes(tiny_pdf("QD da ky"))
    page.set_input_files("#id_signed_pdf", str(signed))
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã lưu").first.wait_for()
    page.get_by_role("button", name="Ban hành quyết định").click()
    page.get_by_text("Đã ban hành quyết định").wait_for()
    assert page.locator("#decision-state").inner_text() == "Đã ban hành"
    page.context.close()

    decision = Decision.objects.get()
    assert (decision.state, decision.number, list(decision.lines.values_list("unit__code", "level"))) == (
        "issued", "15/QĐ-UBND", [("x1", 2)])
