"""The whole cycle in a real browser (headless Chromium, pytest-django live_server):

reporter enters data and evidence → leader approves → reporter submits → reviewer
adjusts one value and returns another → unit answers and resubmits → reviewer accepts →
admin approves and publishes → the ranking shows the verified score.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright = pytest.importorskip("playwright.sync_api")

# Each test starts from the migrated data (the standard levels), not from a flushed database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

FRAMEWORK = """
code: cycle-so
name: Bộ chỉ số kiểm thử trình duyệt
source: {document: "02/QĐ-TEST"}
year: 2024
levels: [{code: so, name: "Sở, ban, ngành"}]
indicators:
  - code: "1"
    name: Nhận thức số
    children:
      - code: "1.1"
        name: Trưởng ban Ban chỉ đạo chuyển đổi số
        max_points: 10
        evidence: Quyết định thành lập Ban chỉ đạo
        inputs:
          - {var: truong_ban, label: Trưởng ban, type: choice, options: [{value: giam_doc, label: Giám đốc}, {value: khac, label: Khác}]}
        rule: {kind: choice, field: truong_ban, scores: [{option: giam_doc, share: 1}]}
      - code: "1.2"
        name: Người đứng đầu chủ trì các cuộc họp về chuyển đổi số
        max_points: 10
        inputs:
          - {var: a, label: Số cuộc họp có Giám đốc chủ trì, type: count}
          - {var: b, label: Tổng số cuộc họp, type: count}
        constraints: [{check: "a <= b"}]
        rule: {kind: ratio, value: "a / b"}
      - code: "1.3"
        name: Ban hành kế hoạch chuyển đổi số
        max_points: 10
        inputs: [{var: co, label: Đã ban hành kế hoạch, type: yes_no}]
        rule: {kind: yes_no, field: co}
"""


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dti.accounts.models import RoleAssignment
    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions.models import Submission
    from dti.submissions.services import approve_by_leader, save_entry, submit

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = timezone.localdate()
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    so_a = create_unit(code="so-a", name="Sở Alpha", level="so", parent=province)
    so_b = create_unit(code="so-b", name="Sở Bêta", level="so", parent=province)
    campaign = create_campaign(
        name="Đợt kiểm thử", framework=create_version(FRAMEWORK), year=2024, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31), entry_deadline=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10), units=[so_a, so_b],
    )
    User = get_user_model()

    def user(name, role, unit=None):
        account = User.objects.create_user(name, password="pw")
        RoleAssignment.objects.create(user=account, role=role, unit=unit)
        return account

    users = {
        "reporter": user("bientap.so-a", "reporter", so_a),
        "leader": user("lanhdao.so-a", "leader", so_a),
        "reviewer": user("thamdinh", "reviewer"),
        "admin": user("quantri", "assessment_admin"),
    }
    other = Submission.objects.get(campaign=campaign, unit=so_b)
    save_entry(other, user=users["admin"], values={"1.1.truong_ban": "khac", "1.2.a": "1", "1.2.b": "2", "1.3.co": "1"})
    approve_by_leader(other, user=users["admin"])
    submit(other, user=users["admin"])
    return campaign


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def login(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first; the person says yes
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_full_assessment_cycle(live_server, world, browser, tmp_path):
    from dti.site.demo import tiny_pdf

    base = live_server.url
    campaign = world
    entry = f"{base}/campaigns/{campaign.pk}/units/so-a/"
    review = f"{entry}review/"

    # 1. The reporter types the figures (live preview), attaches evidence, saves the draft.
    page = login(browser, base, "bientap.so-a")
    page.goto(entry)
    page.select_option("#f-1-1-truong_ban", "giam_doc")
    page.fill("#f-1-2-a", "3")
    page.fill("#f-1-2-b", "4")
    page.locator("#pv-i-1-2").get_by_text("7,5 / 10").wait_for()
    page.check("input[name='f:1.3.co'][value='1']")
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(tiny_pdf("Quyet dinh"))
    page.set_input_files("#ev-i-1-1", str(pdf))
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu").first.wait_for()
    assert page.locator("#i-1-1 .evidence-list").get_by_text("quyet-dinh.pdf").is_visible()
    assert page.locator("#pv-i-1-2").inner_text().startswith("7,5 / 10")
    page.context.close()

    # 2. The leader approves; 3. the reporter submits (the form is then locked).
    page = login(browser, base, "lanhdao.so-a")
    page.goto(entry)
    page.get_by_role("button", name="Lãnh đạo duyệt").click()
    page.get_by_text("Lãnh đạo đã duyệt số liệu").wait_for()
    page.context.close()
    page = login(browser, base, "bientap.so-a")
    page.goto(entry)
    page.get_by_role("button", name="Gửi hồ sơ").click()
    page.get_by_text("Hồ sơ đã khóa").wait_for()
    assert page.locator("#f-1-2-a").is_disabled()
    page.context.close()

    # 4. The reviewer adjusts 1.2 (reason required) and returns 1.3 with a comment.
    page = login(browser, base, "thamdinh")
    page.goto(review)
    card = page.locator("#r-1-2")
    card.locator("input[name='v:1.2.a']").fill("1")
    card.locator("textarea[name=reason]").fill("Chỉ có 1 biên bản họp do Giám đốc chủ trì")
    card.locator("button[value=adjust]").click()
    page.locator("#r-1-2 .badge.adjusted").wait_for()
    card = page.locator("#r-1-3")
    card.locator("textarea[name=comment]").fill("Đề nghị bổ sung kế hoạch đã ký")
    card.locator("button[value=return]").click()
    page.locator("#r-1-3 .badge.returned").wait_for()
    page.locator("#r-1-1 button[value=accept]").click()
    page.locator("#r-1-1 .badge.accepted").wait_for()
    page.get_by_role("button", name="Trả hồ sơ cho đơn vị").click()
    page.get_by_text("Đã trả hồ sơ cho đơn vị").wait_for()
    page.context.close()

    # 5. The unit answers the returned item, attaches the plan and resubmits.
    page = login(browser, base, "bientap.so-a")
    page.goto(entry)
    assert page.get_by_text("Đề nghị bổ sung kế hoạch đã ký").is_visible()
    assert page.locator("#f-1-2-a").is_disabled()  # not returned: stays locked
    page.fill("#ans-i-1-3", "Đã bổ sung Kế hoạch số 15/KH đã ký")
    page.set_input_files("#ev-i-1-3", str(pdf))
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu").first.wait_for()
    page.get_by_role("button", name="Gửi lại").click()
    page.get_by_text("Đã gửi lại hồ sơ").wait_for()
    page.context.close()

    # 6. The reviewer accepts the answer; the assessment admin approves and publishes.
    page = login(browser, base, "thamdinh")
    page.goto(review)
    page.locator("#r-1-3 button[value=accept]").click()
    page.locator("#r-1-3 .badge.accepted").wait_for()
    page.context.close()
    page = login(browser, base, "quantri")
    page.goto(review)
    page.get_by_role("button", name="Phê duyệt kết quả").click()
    page.get_by_text("Đã phê duyệt kết quả").wait_for()
    page.goto(f"{base}/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Công bố kết quả…").click()
    page.get_by_text("1 đơn vị chưa được phê duyệt").wait_for()  # so-b is still submitted: listed, not published
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_text("Đã công bố kết quả").first.wait_for()

    # 7. The ranking shows the verified score beside the self-assessment.
    page.goto(f"{base}/campaigns/{campaign.pk}/results/")
    row = page.locator("tr", has_text="Sở Alpha")
    cells = row.locator("td").all_inner_texts()
    # self-assessment: 10 + 7,5 + 10 = 27,5 ; verified: 10 + 2,5 + 10 = 22,5 (score columns: two decimals)
    assert "27,50" in cells and "22,50" in cells
    assert cells[0].startswith("1")
    page.context.close()


def test_two_people_on_one_form_see_the_conflict_and_choose(live_server, world, browser):
    """The reporter and the leader have the form open; both change 1.2.a; the second is shown both values."""
    base = live_server.url
    entry = f"{base}/campaigns/{world.pk}/units/so-a/"
    reporter, leader = login(browser, base, "bientap.so-a"), login(browser, base, "lanhdao.so-a")
    for page in (reporter, leader):
        page.goto(entry)
    reporter.fill("#f-1-2-a", "2")
    reporter.get_by_role("button", name="Lưu nháp").click()
    reporter.get_by_text("Đã lưu").first.wait_for()
    leader.fill("#f-1-2-a", "5")
    leader.fill("#f-1-2-b", "6")
    leader.get_by_role("button", name="Lưu nháp").click()
    box = leader.locator("#i-1-2 .conflict")
    box.wait_for()
    assert "bientap.so-a" in box.inner_text() and "“2”" in box.inner_text()
    assert leader.locator("#f-1-2-a").input_value() == "5"  # what the leader typed is kept
    box.get_by_role("button").click()  # "use the other value"
    assert leader.locator("#f-1-2-a").input_value() == "2"
    leader.get_by_role("button", name="Lưu nháp").click()
    leader.get_by_text("Đã lưu").first.wait_for()
    from dti.submissions.models import Value

    assert dict(Value.objects.filter(submission__unit__code="so-a", field__in=["1.2.a", "1.2.b"])
                .values_list("field", "raw")) == {"1.2.a": "2", "1.2.b": "6"}
    reporter.context.close()
    leader.context.close()
