"""Charts and the public results page in a real browser (headless Chromium, pytest-django live_server):
every chart draws an SVG of non-zero size without a script error, the public page shows published units
only, and at a phone's width (390 px) nothing overflows the page sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .helpers import make_user, new_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VENDORED = Path(__file__).resolve().parents[2] / "dti" / "site" / "static" / "vendor" / "echarts.min.js"

# The web tests' framework with a third pillar, so that the scorecard draws its radar too.
THIRD_PILLAR = """
  - code: "3"
    name: Hạ tầng số
    max_points: 10
    children:
      - code: "3.1"
        name: Có mạng nội bộ kết nối mạng truyền số liệu chuyên dùng
        max_points: 10
        inputs:
          - {var: co, label: Đã kết nối, type: yes_no}
        rule: {kind: yes_no, field: co}
"""


@pytest.fixture
def world(transactional_db):
    from django.core.cache import caches
    from django.utils import timezone

    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.public import services as public
    from tests.web.charts_fixtures import VALUES_2024, VALUES_2025, _run
    from tests.web.conftest import FRAMEWORK_YAML

    assert VENDORED.exists(), "the chart library is fetched by `make setup` (Makefile target $(ECHARTS))"
    caches["scores"].clear()
    caches["default"].clear()
    today = timezone.localdate()
    framework = create_version(FRAMEWORK_YAML.rstrip() + "\n" + THIRD_PILLAR)
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    units = [create_unit(code=c, name=n, level="so", parent=province, ranking_group="Sở")
             for c, n in (("so-a", "Sở Alpha"), ("so-b", "Sở Bêta"), ("so-c", "Sở Gamma"))]
    admin = make_user("quantri", "assessment_admin")
    reporters = {u.code: make_user(f"bientap.{u.code}", "reporter", u) for u in units}
    campaigns = []
    for year, values in ((2024, VALUES_2024), (2025, VALUES_2025)):
        campaign = create_campaign(
            name=f"Đánh giá thử nghiệm {year}", framework=framework, year=year,
            period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
            entry_deadline=today + dt.timedelta(days=10), review_deadline=today + dt.timedelta(days=20),
            previous=campaigns[-1] if campaigns else None, units=units)
        submitted = {"so-a", "so-b", "so-c"} if year == 2024 else {"so-a", "so-b"}
        _run(campaign, {c: {**v, "3.1.co": "1"} for c, v in values.items()}, submit_codes=submitted,
             publish_codes=["so-a", "so-b"], reporters=reporters, admin=admin)
        public.run(campaign, "make_public", user=admin)
        campaigns.append(campaign)
    public.run(campaigns[0], "withdraw", user=admin)  # 2024: published, no longer public
    return {"previous": campaigns[0], "current": campaigns[1]}


def open_page(browser, width=1280):
    page = new_page(browser, width=width)
    errors: list[str] = []
    # Script errors and failed loads (a missing chart library), but not the browser's own favicon request.
    page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url', '')}")
            if m.type == "error" and "favicon" not in m.location.get("url", "") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def drawn(page, kind):
    """The chart's SVG, once ECharts has drawn it: its size."""
    svg = page.locator(f"[data-chart='{kind}'] svg").first
    svg.wait_for()
    box = svg.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, (kind, box)
    assert page.locator(f"[data-chart='{kind}'] svg path").count() > 0, kind
    return box


def no_sideways_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, (page.url, width, inner)


def test_public_page_shows_published_results_with_charts(live_server, world, browser):
    base = live_server.url
    page, errors = open_page(browser)
    page.goto(f"{base}/public/")
    assert "Đánh giá thử nghiệm 2024" not in page.content()
    page.get_by_role("link", name="Đánh giá thử nghiệm 2025").click()
    page.wait_for_url(f"{base}/public/{world['current'].pk}/")
    table = page.get_by_test_id("public-ranking").inner_text()
    assert "Sở Alpha" in table and "Sở Bêta" in table
    assert "Sở Gamma" not in page.content()  # nor in the charts' data
    for kind in ("distribution", "heatmap"):
        drawn(page, kind)
    assert page.locator("[data-chart='heatmap'] svg text", has_text="Sở Bêta").count() == 1
    page.get_by_role("link", name="Sở Alpha").click()
    page.wait_for_url(f"{base}/public/{world['current'].pk}/so-a/")
    for kind in ("pillars", "radar"):
        drawn(page, kind)
    # Vietnamese numbers in the chart's labels and its table: pillar 1 is 27,5 of 30.
    page.locator("[data-chart='pillars']").hover(position={"x": 120, "y": 150})
    details = page.locator("details.chart-data").first
    details.locator("summary").click()
    assert "27,5" in details.inner_text()
    assert "Tự đánh giá" not in page.content()
    page.screenshot(path="/tmp/public-scorecard.png", full_page=True)
    assert page.goto(f"{base}/public/{world['current'].pk}/so-c/").status == 404
    assert page.goto(f"{base}/public/{world['previous'].pk}/").status == 404
    assert not [e for e in errors if "/so-c/" not in e and f"/public/{world['previous'].pk}/" not in e], errors


def test_signed_in_ranking_and_scorecard_charts(live_server, world, browser):
    base = live_server.url
    page, errors = open_page(browser)
    sign_in(page, base, "quantri")
    page.goto(f"{base}/campaigns/{world['current'].pk}/results/")
    for kind in ("distribution", "heatmap", "trend"):
        drawn(page, kind)
    ranks = page.locator("table .rank").all_inner_texts()
    assert any("↑1" in r for r in ranks) and any("↓1" in r for r in ranks)
    page.screenshot(path="/tmp/ranking-charts.png", full_page=True)
    page.goto(f"{base}/campaigns/{world['current'].pk}/results/so-a/")
    for kind in ("pillars", "radar", "trend"):
        drawn(page, kind)
    # Printed, the data tables are open beside the charts.
    page.emulate_media(media="print")
    assert page.locator("details.chart-data table").first.is_visible()
    page.emulate_media(media="screen")
    assert not errors, errors


def test_phone_width_has_no_sideways_overflow_and_charts_fit(live_server, world, browser):
    base = live_server.url
    page, errors = open_page(browser, width=390)
    for url in (f"/public/{world['current'].pk}/", f"/public/{world['current'].pk}/so-a/"):
        page.goto(base + url)
        for kind in page.locator("[data-chart]").evaluate_all("els => els.map(e => e.dataset.chart)"):
            box = drawn(page, kind)
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, kind, box)
        no_sideways_overflow(page)
        page.screenshot(path=f"/tmp/phone-{url.count('/')}.png", full_page=True)
    # A chart drawn wide follows its box when the window narrows.
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{base}/public/{world['current'].pk}/")
    wide = drawn(page, "distribution")["width"]
    page.set_viewport_size({"width": 390, "height": 900})
    page.wait_for_function("document.querySelector(\"[data-chart='distribution'] svg\").getBoundingClientRect().width < 390")
    assert drawn(page, "distribution")["width"] < wide
    no_sideways_overflow(page)
    assert not errors, errors
