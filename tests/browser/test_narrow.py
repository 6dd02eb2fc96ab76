"""At 390 px (a phone): the menu collapses behind a button, tables scroll inside their box, and no
page scrolls sideways; in English the explanations are English with English numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import FRAMEWORK, make_user, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = "Sở Thông tin và Truyền thông tỉnh Thử Nghiệm (Trung tâm Công nghệ thông tin và Truyền thông)"


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
    so_a = create_unit(code="so-a", name=LONG, level="so", parent=province)
    so_b = create_unit(code="so-b", name="Sở Tư pháp", level="so", parent=province)
    so_c = create_unit(code="so-c", name="Sở Y tế", level="so", parent=province)  # stays a draft
    campaign = create_campaign(
        name="Đợt kiểm thử màn hình hẹp", framework=create_version(FRAMEWORK), year=2024,
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31), entry_deadline=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10), units=[so_a, so_b, so_c],
    )
    admin = make_user("quantri", "assessment_admin")
    make_user("thamdinh", "reviewer")
    make_user("bientap.so-a", "reporter", so_a)
    make_user("bientap.so-c", "reporter", so_c)
    for unit, values in ((so_a, {"1.1.truong_ban": "giam_doc", "1.2.a": "13", "1.2.b": "14", "1.3.co": "1"}),
                         (so_b, {"1.1.truong_ban": "khac", "1.2.a": "1", "1.2.b": "2", "1.3.co": "0"})):
        submission = Submission.objects.get(campaign=campaign, unit=unit)
        save_entry(submission, user=admin, values=values)
        approve_by_leader(submission, user=admin)
        submit(submission, user=admin)
    return campaign


def open_as(browser, base, username, width=390):
    """Signed in on a phone (390 × 844), or as wide as asked."""
    return signed_in_page(browser, base, username, width=width, height=844)


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_scrolls_sideways_at_390_px(live_server, world, browser):
    base, campaign = live_server.url, world
    unit = f"{base}/campaigns/{campaign.pk}/units/so-a/"
    pages = {
        "quantri": [f"{base}/", f"{base}/campaigns/{campaign.pk}/", f"{base}/campaigns/{campaign.pk}/results/",
                    f"{base}/campaigns/{campaign.pk}/results/so-a/"],
        "thamdinh": [f"{unit}review/"],
        "bientap.so-a": [f"{base}/", unit],
        "bientap.so-c": [f"{base}/campaigns/{campaign.pk}/units/so-c/"],
    }
    for username, urls in pages.items():
        page = open_as(browser, base, username)
        for url in urls:
            page.goto(url)
            assert page.locator("main h1").first.is_visible(), url
            assert overflow(page) <= 0, (url, overflow(page))
        page.context.close()


def test_menu_collapses_and_opens_at_390_px(live_server, world, browser):
    base = live_server.url
    page = open_as(browser, base, "quantri")
    nav = page.locator("header.top nav")
    assert not nav.is_visible()
    page.locator(".menu-button").click()
    assert nav.is_visible()
    # each menu entry on one line, not broken word by word
    heights = page.locator("header.top nav a").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    assert max(heights) < 2 * min(heights)
    assert overflow(page) <= 0
    page.context.close()


def test_menu_is_open_on_a_wide_screen(live_server, world, browser):
    page = open_as(browser, live_server.url, "quantri", width=1280)
    assert page.locator("header.top nav").is_visible() and not page.locator(".menu-button").is_visible()
    page.context.close()


def test_ranking_table_scrolls_inside_its_box_and_names_do_not_wrap_word_by_word(live_server, world, browser):
    base, campaign = live_server.url, world
    page = open_as(browser, base, "quantri")
    page.goto(f"{base}/campaigns/{campaign.pk}/results/")
    box = page.locator(".table-wrap").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the phone: it scrolls, the page not
    assert overflow(page) <= 0
    name = page.locator("td.unit-name a", has_text="Sở Thông tin").first
    line = float(name.evaluate("a => parseFloat(getComputedStyle(a).lineHeight) || 20"))
    words = len(LONG.split())
    assert name.evaluate("a => a.getBoundingClientRect().height") < line * words / 2
    page.context.close()


def test_save_bar_is_opaque_and_fields_full_width(live_server, world, browser):
    base, campaign = live_server.url, world
    page = open_as(browser, base, "bientap.so-c")
    page.goto(f"{base}/campaigns/{campaign.pk}/units/so-c/")
    colour = page.locator(".savebar").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert "rgba" not in colour or colour.endswith(", 1)"), colour
    field = page.locator("main .indicator select, main .indicator input[type=text]").first
    width = field.evaluate("el => el.getBoundingClientRect().width")
    assert width > 300  # full width on a 390 px phone
    page.context.close()


def test_english_scorecard_explains_in_english(live_server, world, browser):
    base, campaign = live_server.url, world
    page = open_as(browser, base, "quantri", width=1280)
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    page.goto(f"{base}/campaigns/{campaign.pk}/results/so-a/")
    explanation = page.locator("td.explain", has_text="92.86%").first.inner_text()
    assert "ratio = 92.86% → 9.29/10 points" in explanation, explanation
    assert "tỷ lệ" not in page.content()
    page.context.close()
