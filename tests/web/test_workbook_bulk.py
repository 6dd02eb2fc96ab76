"""One workbook for many units, by the assessment administrator: per-unit outcome, locked files reported."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from dti.submissions.models import Value
from tests.engine.workbook_helpers import fill as type_in

from .conftest import sub


def bulk(campaign):
    return reverse("excel:bulk", args=[campaign.pk])


def download(client, campaign) -> bytes:
    response = client.get(reverse("excel:bulk_template", args=[campaign.pk]) + "?level=so")
    assert response.status_code == 200
    return response.content


def upload(client, campaign, content):
    file = io.BytesIO(content)
    file.name = "nhieu-don-vi.xlsx"
    return client.post(bulk(campaign), {"file": file})


def stored(campaign, code) -> dict[str, str]:
    return dict(Value.objects.filter(submission=sub(campaign, code)).values_list("field", "raw"))


def test_admin_fills_many_units_and_a_locked_one_is_reported_not_changed(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    content = download(client, campaign)
    sheet = load_workbook(io.BytesIO(content))["Trụ cột 1"]
    assert [sheet.cell(2, c).value for c in (6, 7, 8)] == ["so-a", "so-b", "so-c"]
    before_a = stored(campaign, "so-a")
    filled = type_in(content, {("so-c", "1.2.a"): 1, ("so-c", "1.2.b"): 2, ("so-a", "1.2.a"): 4})
    response = upload(client, campaign, filled)
    assert response.status_code == 200
    result = response.context["preview"]
    by_code = {u.code: u for u in result.units}
    assert by_code["so-a"].refused and "khóa" in by_code["so-a"].refused
    assert [c.new for c in by_code["so-c"].changes] == ["1", "2"]
    done = client.post(bulk(campaign), {"token": response.context["token"], "digest": result.digest})
    outcomes = {o.code: o for o in done.context["outcomes"]}
    assert outcomes["so-c"].changed == 2 and outcomes["so-a"].refused
    assert stored(campaign, "so-c") == {"1.2.a": "1", "1.2.b": "2"}
    assert stored(campaign, "so-a") == before_a


def test_a_file_locked_between_preview_and_confirmation_is_shown_again(client, users, campaign, fill):
    from dti.submissions.services import approve_by_leader

    client.force_login(users["assessment_admin"])
    response = upload(client, campaign, type_in(download(client, campaign), {("so-a", "1.2.a"): 3}))
    fill(sub(campaign, "so-a"), {"1.2.b": "4"})
    approve_by_leader(sub(campaign, "so-a"), user=users["leader"])
    done = client.post(bulk(campaign), {"token": response.context["token"],
                                        "digest": response.context["preview"].digest})
    assert done.status_code == 409 and "đã thay đổi từ khi bạn xem trước" in done.content.decode()
    assert stored(campaign, "so-a") == {"1.2.b": "4"}


def test_unit_people_cannot_use_the_bulk_workbook(client, users, campaign):
    client.force_login(users["reporter"])
    assert client.get(bulk(campaign)).status_code == 403
    assert client.get(reverse("excel:bulk_template", args=[campaign.pk])).status_code == 403


def test_a_unit_outside_the_persons_units_is_an_error_and_blocks_the_save(campaign, users, fill):
    from dti.excel import services

    content = services.workbook(campaign, "so", [sub(campaign, "so-a"), sub(campaign, "so-b")], title="Mẫu")
    result = services.preview(type_in(content, {("so-a", "1.2.a"): 1, ("so-b", "1.2.a"): 1}), campaign,
                              {"so-a": sub(campaign, "so-a")})
    assert any("“so-b”" in message for _where, message in result.errors)
    assert not result.can_confirm
