"""The scorecard as people read it: printed codes, input labels, English explanations in English
number format, fixed decimals in score columns, and what holds a unit below the next maturity level."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import GOOD, sub

MATURITY_YAML = """
code: test-muc-do
name: Bộ tiêu chí mức độ chuyển đổi số thử nghiệm
source: {document: "02/QĐ-TEST", date: 2025-03-10, issuer: UBND tỉnh Thử Nghiệm}
year: 2025
version: "1"
levels:
  - {code: xa, name: Cấp xã}
scored: false
maturity_levels:
  - {level: 1, name: Khởi động}
  - {level: 2, name: Kết nối}
indicators:
  - code: xa.I
    name: Chính quyền số
    levels: [xa]
    meta: {stt: I}
    children:
      - code: xa.I.1
        name: Tỷ lệ hồ sơ trực tuyến toàn trình
        unit: "%"
        meta: {stt: "1"}
        inputs:
          - {var: ty_le, label: Tỷ lệ hồ sơ xử lý trực tuyến toàn trình, type: percent, unit: "%"}
        maturity:
          field: ty_le
          levels:
            - {when: ">= 50", text: 50%}
            - {when: ">= 80", text: 80%}
      - code: xa.I.2
        name: Sử dụng hệ thống báo cáo
        meta: {stt: "2"}
        inputs:
          - {var: co, label: Có sử dụng hệ thống báo cáo, type: yes_no}
        maturity:
          field: co
          levels:
            - {when: "== 1", text: Có}
            - {when: "== 1", text: Có}
"""


@pytest.fixture
def commune(db, make_user):
    """A commune at level 1 of a two-level maturity framework: xa.I.1 holds it below level 2."""
    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions.services import save_entry

    framework = create_version(MATURITY_YAML)
    unit = create_unit(code="xa-a", name="Xã An Hòa", level="xa")
    campaign = create_campaign(name="Mức độ 2025", framework=framework, year=2025, period_start=dt.date(2025, 1, 1),
                               period_end=dt.date(2025, 12, 31), entry_deadline=dt.date(2099, 1, 1),
                               review_deadline=dt.date(2099, 2, 1), units=[unit])
    reporter = make_user("bientap.xa-a", "reporter", unit)
    save_entry(sub(campaign, "xa-a"), user=reporter, values={"xa.I.1.ty_le": "60", "xa.I.2.co": "1"})
    return campaign, reporter


def test_scorecard_in_english_explains_in_english_with_english_numbers(client, users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "13", "1.2.b": "14"})
    client.force_login(users["reporter"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert "Tổng số cuộc họp = 14, ratio = 92.86% → 9.29/10 points" in html
    assert "tỷ lệ" not in html and "9,29" not in html


def test_scorecard_in_vietnamese_keeps_vietnamese_explanations(client, users, campaign, submission, fill):
    fill(submission, {**GOOD, "1.2.a": "13", "1.2.b": "14"})
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert "Số cuộc họp có Giám đốc chủ trì = 13, Tổng số cuộc họp = 14, tỷ lệ = 92,86% → 9,29/10 điểm" in html


def test_score_columns_have_fixed_decimals(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert '<td class="num">10,00</td>' in html and "<strong>7,50</strong>" in html


def test_english_status_labels(client, users, campaign, submitted):
    client.force_login(users["reporter_b"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    card = client.get(reverse("results:scorecard", args=[campaign.pk, "so-b"])).content.decode()
    assert "Không có dữ liệu" not in card and "Đã chấm" not in card


def test_maturity_scorecard_prints_document_codes_and_names_what_holds_the_unit(client, commune):
    campaign, reporter = commune
    client.force_login(reporter)
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "xa-a"])).content.decode()
    assert "xa.I" not in html
    assert '<span class="code">I.1</span>' in html and '<span class="code">I</span>' in html
    assert "Chưa đạt mức 2 (Kết nối) vì các tiêu chí:" in html
    holding = html.split('data-testid="holding"')[1].split("</div>")[0]
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình" in holding and "Sử dụng hệ thống báo cáo" not in holding
    # the explanation names the input by its label
    assert "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình: 60%" in html or "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình = 60" in html


def test_maturity_scorecard_in_english_names_the_level_it_misses(client, commune):
    campaign, reporter = commune
    client.force_login(reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "xa-a"])).content.decode()
    assert "Not at level 2 (Kết nối) because of these criteria:" in html
    assert "meets the threshold of level 1 (Khởi động)" in html


def test_entry_form_prints_document_codes(client, commune):
    campaign, reporter = commune
    client.force_login(reporter)
    html = client.get(reverse("submissions:entry", args=[campaign.pk, "xa-a"])).content.decode()
    assert '<span class="code">I.2</span>' in html and ">I. Chính quyền số<" in html
    assert '<span class="code">xa.I' not in html and ">xa.I." not in html


def test_ranking_headers_name_the_pillars(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert '<abbr title="Dịch vụ công trực tuyến">Dịch vụ công trực tuyến</abbr>' in html
    assert '<abbr title="Nhận thức số">Nhận thức số</abbr>' in html


def test_pillar_short_name_drops_the_common_prefix():
    from dti.site.templatetags.dti import pillar_short

    assert pillar_short("Hoạt động chính quyền số") == "Chính quyền số"
    assert pillar_short("Dịch vụ công trực tuyến") == "Dịch vụ công trực tuyến"
