"""Importing the Ministry's published scores (services.import_published and its page)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.published.models import PublishedResult
from dti.published.services import ImportRefused, import_published

CSV = "code,score\n1,22.5\n1.1,10\n1.2,7.5\n1.3,5\n2,20\n2.1,20\n"


def upload(text, name="cong-bo.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_import_keeps_scores_and_total_beside_our_results(campaign, units, users):
    [result] = import_published(campaign, upload(CSV), user=users["assessment_admin"], unit=units["so-a"],
                                source="Bộ công bố")
    assert result.scores["1.2"] == 7.5 and result.total == 42.5


def test_import_again_replaces_the_units_result(campaign, units, users):
    import_published(campaign, upload(CSV), user=users["assessment_admin"], unit=units["so-a"])
    import_published(campaign, upload("code,score\n1,1\n"), user=users["assessment_admin"], unit=units["so-a"])
    assert PublishedResult.objects.get().scores == {"1": 1.0}


def test_file_with_unit_column_imports_several_units(campaign, users):
    text = "unit,code,score\nso-a,1,10\nso-b,1,20\n"
    results = import_published(campaign, upload(text), user=users["assessment_admin"])
    assert sorted(r.total for r in results) == [10, 20]


def test_xlsx_is_read_like_csv(campaign, units, users):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["code", "score"], ["1", 12.5], ["1.1", 10]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    [result] = import_published(campaign, SimpleUploadedFile("kq.xlsx", out.getvalue()), user=users["assessment_admin"],
                                unit=units["so-a"])
    assert result.scores == {"1": 12.5, "1.1": 10.0}


@pytest.mark.parametrize("text,message", [
    ("code,score\n9.9,1\n", "9.9"),
    ("code,score\n1,mười\n", "không phải là số"),
    ("unit,code,score\nso-x,1,1\n", "so-x"),
    ("ma,diem\n1,1\n", "code"),
])
def test_bad_files_are_refused_with_a_clear_message(campaign, units, users, text, message):
    with pytest.raises(ImportRefused, match=message):
        import_published(campaign, upload(text), user=users["assessment_admin"], unit=units["so-a"])
    assert not PublishedResult.objects.exists()


def test_import_page_is_for_campaign_admins(client, campaign, users):
    client.force_login(users["reporter"])
    assert client.get(reverse("published:import", args=[campaign.pk])).status_code == 403


def test_import_page_shows_the_error_and_imports_nothing(client, campaign, units, users):
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("published:import", args=[campaign.pk]),
                           {"file": upload("code,score\n9.9,1\n"), "unit": units["so-a"].pk})
    assert response.status_code == 200 and "9.9" in response.content.decode()
    assert not PublishedResult.objects.exists()


def test_import_page_leads_to_the_reconciliation(client, campaign, units, users):
    client.force_login(users["assessment_admin"])
    response = client.post(reverse("published:import", args=[campaign.pk]),
                           {"file": upload("code,score\n1,40\n1.1,10\n1.2,10\n1.3,20\n"), "unit": units["so-a"].pk},
                           follow=True)
    page = response.content.decode()
    assert 'id="reconciliation"' in page
    assert "1.3: công bố 20 điểm, lớn hơn điểm tối đa 10" in page
