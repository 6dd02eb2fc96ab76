"""The whole cycle in a real browser (headless Chromium, pytest-django live_server):

reporter enters data and evidence → leader approves → reporter submits → reviewer
adjusts one value and returns another → unit answers and resubmits → reviewer accepts →
admin approves and publishes → the ranking shows the verified score.
"""

from __future__ import annotations

import pytest

from .helpers import accept, signed_in_page

# Each test starts from the migrated data (the standard levels), not from a flushed database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def login(browser, base, username):
    return signed_in_page(browser, base, username, on_dialog=accept)


def test_full_assessment_cycle(live_server, cycle_world, browser, tmp_path):
    from dti.site.demo import tiny_pdf

    base = live_server.url
    campaign = cycle_world
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


def test_two_people_on_one_form_see_the_conflict_and_choose(live_server, cycle_world, browser):
    """The reporter and the leader have the form open; both change 1.2.a; the second is shown both values."""
    base = live_server.url
    entry = f"{base}/campaigns/{cycle_world.pk}/units/so-a/"
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
