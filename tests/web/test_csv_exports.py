"""The ranking CSV export writes text that a spreadsheet would run as a formula as plain text."""

import csv
import io

from django.urls import reverse

from dti.organisations.models import Unit


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_formula_like_unit_names_and_groups_are_neutralised(client, users, campaign, submitted):
    Unit.objects.filter(code="so-a").update(name='=HYPERLINK("http://x.example","Sở Alpha")')
    Unit.objects.filter(code="so-b").update(name="-Sở Bêta", ranking_group="@Nhóm")
    Unit.objects.filter(code="so-c").update(name="+Sở Gamma")
    client.force_login(users["assessment_admin"])
    table = rows(client.get(reverse("results:ranking_csv", args=[campaign.pk])))
    header, body = table[0], table[1:]
    by_code = {row[header.index("ma")]: row for row in body}
    name = header.index("don_vi")
    assert by_code["so-a"][name] == "'=HYPERLINK(\"http://x.example\",\"Sở Alpha\")"
    assert by_code["so-b"][name] == "'-Sở Bêta" and by_code["so-b"][header.index("nhom")] == "'@Nhóm"
    assert by_code["so-c"][name] == "'+Sở Gamma"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


def test_numbers_are_written_as_numbers(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    table = rows(client.get(reverse("results:ranking_csv", args=[campaign.pk])))
    header = table[0]
    so_a = next(row for row in table[1:] if row[header.index("ma")] == "so-a")
    assert so_a[header.index("tu_danh_gia")] == "47.5" and so_a[header.index("hang")] == "1"
