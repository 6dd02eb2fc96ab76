"""The daily experience in a real browser (headless Chromium): a long entry form and a reviewer's page.

Entry: saving keeps the person's place, leaving with unsaved changes asks first (not after a
save, not when saving), each error in the summary moves the focus to its field, the contents'
filters and "next empty field". Review: what the reviewer typed survives a refused action, the
status filter, "accept all remaining" with its confirmation.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import make_user, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _framework() -> str:
    """Three pillars of four count indicators each: long enough to scroll."""
    lines = ["code: daily-so", "name: Bộ chỉ số kiểm thử hằng ngày", 'source: {document: "03/QĐ-TEST"}', "year: 2024",
             'levels: [{code: so, name: "Sở, ban, ngành"}]', "indicators:"]
    for p, pillar in enumerate(("Nhận thức số", "Thể chế số", "Hạ tầng số"), start=1):
        lines += [f'  - code: "{p}"', f"    name: {pillar}", "    children:"]
        for i in range(1, 5):
            lines += [f'      - code: "{p}.{i}"', f"        name: Chỉ số {p}.{i} của trụ cột {pillar}",
                      "        max_points: 10", "        evidence: Văn bản kèm theo",
                      f"        inputs: [{{var: a, label: Số văn bản {p}.{i}, type: count}}, "
                      f"{{var: b, label: Tổng số {p}.{i}, type: count}}]",
                      '        rule: {kind: ratio, value: "a / b"}']
    return "\n".join(lines) + "\n"


@pytest.fixture
def world(transactional_db):
    from django.utils import timezone

    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions.models import Submission
    from dti.submissions.services import approve_by_leader, save_entry, submit

    today = timezone.localdate()
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    so_a = create_unit(code="so-a", name="Sở Alpha", level="so", parent=province)
    so_b = create_unit(code="so-b", name="Sở Bêta", level="so", parent=province)
    campaign = create_campaign(
        name="Đợt kiểm thử", framework=create_version(_framework()), year=2024, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31), entry_deadline=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10), units=[so_a, so_b],
    )
    make_user("bientap.so-a", "reporter", so_a)
    make_user("thamdinh", "reviewer")
    admin = make_user("quantri", "assessment_admin")
    save_entry(Submission.objects.get(campaign=campaign, unit=so_a), user=admin,
               values={"1.1.a": "1", "1.1.b": "2", "2.1.a": "3", "2.1.b": "4"})
    other = Submission.objects.get(campaign=campaign, unit=so_b)
    save_entry(other, user=admin, values={f"{p}.{i}.{v}": "2" for p in (1, 2, 3) for i in range(1, 5) for v in "ab"})
    approve_by_leader(other, user=admin)
    submit(other, user=admin)
    return campaign


def login(browser, base, username, dialogs):
    """Signed in; the type of every dialog is recorded in dialogs."""

    def answer(dialog):
        dialogs.append(dialog.type)
        # "Leave the page?" is answered "stay"; an irreversible step's question "yes".
        dialog.dismiss() if dialog.type == "beforeunload" else dialog.accept()

    return signed_in_page(browser, base, username, height=720, on_dialog=answer)


def top_of(page, selector: str) -> float:
    return page.evaluate("s => document.querySelector(s).getBoundingClientRect().top", selector)


def test_entry_form_keeps_the_place_warns_and_finds_its_way(live_server, world, browser):
    base, dialogs = live_server.url, []
    entry = f"{base}/campaigns/{world.pk}/units/so-a/"
    page = login(browser, base, "bientap.so-a", dialogs)
    page.goto(entry)

    # Contents by pillar with completion counts; a jump to a pillar.
    toc = page.locator("nav.toc")
    assert toc.get_by_role("link", name="2. Thể chế số").inner_text().split()[-1] == "1/4"
    toc.get_by_role("link", name="3. Hạ tầng số").click()
    page.wait_for_function("Math.abs(document.getElementById('p-3').getBoundingClientRect().top) < 30")

    # Type low on the page and save: the page comes back at the same place, not at the top.
    page.fill("#f-3-2-a", "5")
    page.fill("#f-3-2-b", "abc")
    before = top_of(page, "#i-3-2")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_url(f"{entry}#i-3-2")
    page.locator(".savebar-msg").get_by_text("Đã lưu").wait_for()
    assert page.evaluate("window.scrollY") > 500
    assert abs(top_of(page, "#i-3-2") - before) < 30
    assert dialogs == []  # saving the form itself never asks

    # The error summary links the field; following the link puts the focus in it.
    page.locator(".savebar-msg").get_by_role("link", name="Xem danh sách lỗi").click()
    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name="3.2 · Tổng số 3.2").click()
    assert page.evaluate("document.activeElement.id") == "f-3-2-b"

    # Nothing changed since the save: leaving does not ask.
    page.get_by_role("link", name="Xem phiếu điểm").click()
    page.wait_for_url(f"{entry[:-1].rsplit('/units', 1)[0]}/results/**")
    assert dialogs == []
    page.go_back()
    page.wait_for_url(entry + "**")

    # A change not saved: leaving asks, and "stay" keeps what was typed.
    page.locator("#f-1-2-a").press_sequentially("7")
    page.get_by_role("link", name="Xem phiếu điểm").click()
    page.wait_for_function("true")
    assert dialogs == ["beforeunload"]
    assert page.url.startswith(entry) and page.input_value("#f-1-2-a") == "7"
    # Typing it away again is no change.
    page.fill("#f-1-2-a", "")
    page.get_by_role("link", name="Xem phiếu điểm").click()
    page.wait_for_url("**/results/**")
    assert dialogs == ["beforeunload"]
    page.go_back()
    page.wait_for_url(entry + "**")

    # Filters over the indicators; "next empty" walks through the empty inputs.
    filters = page.locator("[data-filter-bar]")
    filters.get_by_role("button", name="Có lỗi").click()
    assert page.locator("article.indicator:visible").count() == 1 and page.locator("#i-3-2").is_visible()
    filters.get_by_role("button", name="Chưa nhập").click()
    visible = page.locator("article.indicator:visible")
    assert visible.count() == 10  # 1.1 and 2.1 are filled; 3.2 has an error
    assert not page.locator("#p-2").is_hidden() and page.locator("#i-1-1").is_hidden()
    filters.get_by_role("button", name="Chưa có tài liệu").click()
    assert page.locator("article.indicator:visible").count() == 12
    filters.get_by_role("button", name="Tất cả").click()
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="Ô trống tiếp theo").click()
    assert page.evaluate("document.activeElement.id") == "f-1-2-a"
    page.get_by_role("button", name="Ô trống tiếp theo").click()
    assert page.evaluate("document.activeElement.id") == "f-1-2-b"
    page.context.close()


def test_reviewer_keeps_input_filters_and_accepts_the_rest(live_server, world, browser):
    from dti.review.models import ReviewItem

    base, dialogs = live_server.url, []
    review = f"{base}/campaigns/{world.pk}/units/so-b/review/"
    page = login(browser, base, "thamdinh", dialogs)
    page.goto(review)

    # An adjustment without its reason: refused in place, the typed value and comment kept.
    card = page.locator("#r-1-2")
    card.locator("input[name='v:1.2.a']").fill("1")
    card.locator("textarea[name=comment]").fill("Chỉ có một văn bản")
    card.locator("button[value=adjust]").click()
    page.locator("#r-1-2").get_by_text("Cần ghi lý do điều chỉnh").wait_for()
    card = page.locator("#r-1-2")
    assert card.locator("input[name='v:1.2.a']").input_value() == "1"
    assert card.locator("textarea[name=comment]").input_value() == "Chỉ có một văn bản"
    card.locator("textarea[name=reason]").fill("Chỉ có một văn bản hợp lệ")
    card.locator("button[value=adjust]").click()
    page.locator("#r-1-2 .badge.adjusted").wait_for()
    page.locator("#r-2-3 textarea[name=comment]").fill("Bổ sung văn bản")
    page.locator("#r-2-3 button[value=return]").click()
    page.locator("#r-2-3 .badge.returned").wait_for()

    # Accept all remaining: asked first, then told how many.
    page.get_by_role("button", name="Chấp nhận 10 chỉ số còn lại").click()
    page.get_by_text("Đã chấp nhận 10 chỉ số còn lại.").wait_for()
    assert dialogs == ["confirm"]
    statuses = dict(ReviewItem.objects.filter(submission__unit__code="so-b").values_list("indicator", "status"))
    assert statuses["1.2"] == "adjusted" and statuses["2.3"] == "returned"
    assert sum(1 for s in statuses.values() if s == "accepted") == 10

    # A comment typed but not applied: leaving the page asks first.
    page.locator("#r-3-1 textarea[name=comment]").fill("Chưa rõ")
    page.get_by_role("link", name="Phiếu điểm").click()
    page.wait_for_function("true")
    assert dialogs == ["confirm", "beforeunload"] and page.url.startswith(review)
    page.locator("#r-3-1 textarea[name=comment]").fill("")

    # The status filter.
    page.locator(".status-filter").get_by_role("link", name="Trả lại (1)").click()
    assert page.locator("article.indicator").count() == 1 and page.locator("#r-2-3").is_visible()
    page.context.close()
