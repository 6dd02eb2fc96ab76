"""Charts and rank changes on the signed-in results pages follow the ranking's visibility."""

import json

from django.urls import reverse

from .charts_fixtures import *  # noqa: F403


def charts_of(html: str) -> dict:
    return json.loads(html.split('id="dti-charts" type="application/json">')[1].split("</script>")[0])


def test_lead_agency_ranking_has_charts_and_working_rank_changes(client, users, two_years):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[two_years["current"].pk])).content.decode()
    assert "vendor/echarts.min.js" in html and "dti/charts.js" in html
    charts = charts_of(html)
    assert charts["heatmap"]["units"] == ["Sở Gamma", "Sở Bêta", "Sở Alpha"]
    assert charts["trend"]["units"] == [3, 3]
    assert "↑1" in html and "↓1" in html and 'rank-change same' in html


def test_unit_ranking_charts_show_published_peers_only(client, users, two_years):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:ranking", args=[two_years["current"].pk])).content.decode()
    charts = charts_of(html)
    assert "Sở Gamma" not in json.dumps(charts, ensure_ascii=False)
    assert sum(charts["distribution"]["counts"]) == 2 and charts["trend"]["units"] == [2, 2]
    assert "Sở Gamma" not in html


def test_own_scorecard_charts_include_self_assessment_and_previous(client, users, two_years):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[two_years["current"].pk, "so-a"])).content.decode()
    charts = charts_of(html)
    assert charts["pillars"]["with_self"] and charts["pillars"]["with_previous"]
    assert charts["trend"]["unit"][1] is not None
    assert 'class="chart-data"' in html and "Bảng số liệu của biểu đồ" in html


def test_published_peer_scorecard_charts_have_no_self_assessment(client, users, two_years):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[two_years["current"].pk, "so-b"])).content.decode()
    assert charts_of(html)["pillars"]["with_self"] is False


def test_numbers_in_chart_tables_are_vietnamese(client, users, two_years):
    client.force_login(users["reporter"])
    html = client.get(reverse("results:scorecard", args=[two_years["current"].pk, "so-a"])).content.decode()
    table = html.split('data-chart="pillars"')[1].split("</table>")[0]
    assert "27,5" in table  # pillar 1: 10 + 7,5 + 10
