"""The ranking as an XLSX for people: the decision's table, numbers as numbers, the ranking page's visibility."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import sub


def table(response):
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    return sheet, rows[0], [r for r in rows[1:] if r and isinstance(r[0], int)]


@pytest.fixture
def b_published(users, campaign, submitted):
    from dti.review.services import approve, publish_campaign

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    publish_campaign(campaign, user=users["assessment_admin"])


def test_layout_of_the_decisions_result_table(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("excel:ranking", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="xep-hang-so-ban-nganh-2024.xlsx"'
    sheet, header, rows = table(response)
    assert list(header) == ["STT", "Đơn vị", "Nhận thức số", "Dịch vụ công trực tuyến", "Tổng điểm", "Xếp hạng"]
    assert rows[0][:2] == (1, "Sở Alpha") and rows[0][4] == pytest.approx(47.5) and rows[0][5] == 1
    assert isinstance(rows[0][2], float)
    assert sheet["E5"].number_format == "#,##0.00"


def test_a_unit_reporter_sees_no_ranking_before_publication(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    assert client.get(reverse("excel:ranking", args=[campaign.pk])).status_code == 403


def test_after_publication_others_see_published_units_only_with_official_ranks(client, users, campaign, b_published):
    client.force_login(users["reporter"])
    _sheet, _header, rows = table(client.get(reverse("excel:ranking", args=[campaign.pk])))
    assert [(r[1], r[5]) for r in rows] == [("Sở Bêta", 1)]


def test_names_that_look_like_formulas_stay_text(client, users, campaign, submitted):
    from dti.organisations.models import Unit

    Unit.objects.filter(code="so-a").update(name='=HYPERLINK("http://x.example","Sở Alpha")')
    client.force_login(users["assessment_admin"])
    sheet, _header, _rows = table(client.get(reverse("excel:ranking", args=[campaign.pk])))
    assert sheet["B5"].data_type == "s" and sheet["B5"].value.startswith("=HYPERLINK")


def test_ranking_page_links_to_excel_and_csv_has_a_bom(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert reverse("excel:ranking", args=[campaign.pk]) in html
    assert client.get(reverse("results:ranking_csv", args=[campaign.pk])).content.startswith(b"\xef\xbb\xbf")


def test_scorecard_xlsx_for_the_unit_and_404_for_another_before_publication(client, users, campaign, submitted):
    client.force_login(users["reporter"])
    response = client.get(reverse("excel:scorecard", args=[campaign.pk, "so-a"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="phieu-diem-so-a-2024.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=4, values_only=True))
    assert rows[0][:3] == ("Mã", "Chỉ số", "Điểm tối đa")
    total = next(r for r in rows if r[1] == "Tổng điểm")
    assert total[2] == 50 and total[3] == pytest.approx(47.5)
    assert client.get(reverse("excel:scorecard", args=[campaign.pk, "so-b"])).status_code == 404
    html = client.get(reverse("results:scorecard", args=[campaign.pk, "so-a"])).content.decode()
    assert reverse("excel:scorecard", args=[campaign.pk, "so-a"]) in html
