"""The recognition pages: who sees what (404 for what is not theirs), and each form's effect."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dti.recognition import services
from dti.recognition.models import CouncilFile, Decision, Registration

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub


def as_(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def assigned(send, council, mcampaign, people):
    send("x1", 2)
    send("x3", 1)
    return services.assign_files(council, [msub(mcampaign, "x1").unit], user=people["admin"])[0]


def test_unit_registers_through_the_page(client, mcampaign, people):
    url = reverse("recognition:register", args=[mcampaign.pk, "x1"])
    as_(client, people["rep.x1"]).post(url, {"action": "save", "target_level": "2", "note": "", "state": ""})
    reg = Registration.objects.get(unit__code="x1")
    response = client.post(url, {"action": "register", "state": "draft"}, follow=True)
    assert "Bạn không có quyền" in response.content.decode()  # the reporter prepares, the leader approves
    as_(client, people["lead.x1"]).post(url, {"action": "register", "state": "draft"})
    reg.refresh_from_db()
    assert reg.state == "registered"


def test_registration_of_another_unit_answers_404(client, mcampaign, people):
    url = reverse("recognition:register", args=[mcampaign.pk, "x1"])
    assert as_(client, people["rep.x2"]).get(url).status_code == 404
    assert as_(client, people["nobody"]).get(url).status_code == 404


def test_bad_level_keeps_the_page(client, mcampaign, people):
    url = reverse("recognition:register", args=[mcampaign.pk, "x1"])
    response = as_(client, people["rep.x1"]).post(url, {"action": "save", "target_level": "9", "note": "ghi chú"})
    assert response.status_code == 200 and "ghi chú" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_administrator_sees_registrations_by_district_and_extends(client, mcampaign, people, send):
    send("x1", 2)
    page = as_(client, people["admin"]).get(reverse("recognition:home", args=[mcampaign.pk])).content.decode()
    assert "UBND huyện Một" in page and "1 / 5" in page
    new = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    client.post(reverse("recognition:extend", args=[mcampaign.pk]),
                {"unit": msub(mcampaign, "x2").unit.pk, "new_deadline": new, "reason": "Lý do"})
    from dti.recognition.models import RegistrationExtension

    assert RegistrationExtension.objects.get().reason == "Lý do"


def test_only_the_administrator_extends_or_forms_councils(client, mcampaign, people):
    as_(client, people["r1"])
    assert client.post(reverse("recognition:extend", args=[mcampaign.pk]), {}).status_code == 403
    assert client.get(reverse("recognition:council_new", args=[mcampaign.pk])).status_code == 403


def test_forming_a_council_through_the_page(client, mcampaign, people):
    as_(client, people["admin"]).post(reverse("recognition:council_new", args=[mcampaign.pk]), {
        "name": "Hội đồng cấp tỉnh", "chair": people["r1"].pk, "secretary": people["r2"].pk,
        "members": [people["r3"].pk]})
    from dti.recognition.models import Council

    council = Council.objects.get(name="Hội đồng cấp tỉnh")
    assert sorted(council.members.values_list("user__username", "role")) == [
        ("r1", "chair"), ("r2", "secretary"), ("r3", "member")]


def test_a_member_sees_only_the_files_of_their_council(client, assigned, mcampaign, people):
    other = services.form_council(mcampaign, name="Hội đồng khác", chair=people["r4"], secretary=people["r3"],
                                  user=people["admin"])
    x3_file = services.assign_files(other, [msub(mcampaign, "x3").unit], user=people["admin"])[0]
    url = reverse("recognition:file", args=[assigned.pk])
    assert as_(client, people["r1"]).get(url).status_code == 200
    assert client.get(reverse("recognition:file", args=[x3_file.pk])).status_code == 404
    assert client.get(reverse("recognition:council", args=[other.pk])).status_code == 404
    assert as_(client, people["r4"]).get(url).status_code == 404
    assert as_(client, people["lead.x1"]).get(url).status_code == 404
    assert as_(client, people["admin"]).get(url).status_code == 200


def test_opinions_and_conclusion_through_the_page(client, assigned, people):
    url = reverse("recognition:file", args=[assigned.pk])
    as_(client, people["r1"]).post(url, {"action": "opinions", "state": "assigned", "met:xa.I.1": "1",
                                         "comment:xa.I.1": "Khớp Cổng DVC", "met:xa.I.2": "0"})
    page = as_(client, people["r2"]).get(url).content.decode()
    assert "Khớp Cổng DVC" in page and "Còn thành viên chưa cho ý kiến" in page  # the secretary is told first
    client.post(url, {"action": "conclude", "state": "assigned", "level": "1", "reasons": "Tiêu chí 2 không đạt"})
    assigned.refresh_from_db()
    assert (assigned.state, assigned.recognised_level) == ("concluded", 1)
    response = client.post(url, {"action": "conclude", "state": "assigned", "level": "2", "reasons": "x"}, follow=True)
    assert "sau khi bạn mở trang" in response.content.decode()


def test_a_member_cannot_conclude(client, assigned, people):
    url = reverse("recognition:file", args=[assigned.pk])
    as_(client, people["r3"]).post(url, {"action": "conclude", "state": "assigned", "level": "2", "reasons": "x"})
    assert CouncilFile.objects.get(pk=assigned.pk).state == "assigned"


def test_decision_pages_downloads_and_issue(client, assigned, mcampaign, people):
    services.conclude(assigned, user=people["r2"], level=2, reasons="Đạt")
    as_(client, people["admin"]).post(reverse("recognition:decision_new", args=[mcampaign.pk]),
                                      {"issuer": "UBND huyện Một", "signer": "", "level": "xa"})
    decision = Decision.objects.get()
    url = reverse("recognition:decision", args=[decision.pk])
    page = client.get(url).content.decode()
    assert "UBND xã Một" in page and "UBND xã Hai" in page  # concluded, and without a conclusion
    docx = client.get(reverse("recognition:decision_docx", args=[decision.pk]))
    assert docx["Content-Type"].endswith("wordprocessingml.document") and docx.content[:2] == b"PK"
    client.post(url, {"state": "draft", "number": "15/QĐ-UBND", "signed_on": "18/12/2026",
                      "signed_pdf": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 signed", "application/pdf")})
    client.post(url, {"action": "issue", "state": "draft"})
    decision.refresh_from_db()
    assert decision.state == "issued" and decision.number == "15/QĐ-UBND"
    signed = client.get(reverse("recognition:signed_pdf", args=[decision.pk]))
    assert b"".join(signed.streaming_content) == b"%PDF-1.4 signed"


def test_decisions_and_reports_are_for_administrators(client, mcampaign, people):
    decision = services.create_decision(mcampaign, issuer="UBND", user=people["admin"])
    as_(client, people["r1"])
    assert client.get(reverse("recognition:decision", args=[decision.pk])).status_code == 403
    assert client.get(reverse("recognition:report_xlsx", args=[mcampaign.pk])).status_code == 403
    as_(client, people["lead.x1"])
    assert client.get(reverse("recognition:signed_pdf", args=[decision.pk])).status_code in (403, 404)


def test_report_downloads(client, mcampaign, people):
    as_(client, people["admin"])
    assert client.get(reverse("recognition:report", args=[mcampaign.pk])).status_code == 200
    xlsx = client.get(reverse("recognition:report_xlsx", args=[mcampaign.pk]))
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet") and xlsx.content[:2] == b"PK"
    assert client.get(reverse("recognition:report_docx", args=[mcampaign.pk])).content[:2] == b"PK"


def test_campaign_page_links_the_process_for_maturity_frameworks(client, mcampaign, campaign, people):
    as_(client, people["admin"])
    assert reverse("recognition:home", args=[mcampaign.pk]) in client.get(
        reverse("campaigns:detail", args=[mcampaign.pk])).content.decode()
    assert client.get(reverse("recognition:home", args=[campaign.pk])).status_code == 404  # a points framework


def test_a_unit_sees_its_level_once_the_decision_is_issued(client, assigned, mcampaign, people):
    services.conclude(assigned, user=people["r2"], level=2, reasons="Đạt")
    home = reverse("recognition:home", args=[mcampaign.pk])
    assert "Mức 2 - Kết nối" not in as_(client, people["lead.x1"]).get(home).content.decode()
    decision = services.create_decision(mcampaign, issuer="UBND huyện Một", user=people["admin"])
    services.fill_decision(decision, user=people["admin"], number="1", signed_on=dt.date(2026, 12, 18),
                           signed_pdf=SimpleUploadedFile("q.pdf", b"%PDF-1.4", "application/pdf"))
    services.issue(decision, user=people["admin"], roles={"assessment_admin"})
    assert "Mức 2 - Kết nối" in client.get(home).content.decode()


def _pass(mcampaign, step):
    from dti.campaigns.models import CampaignStep

    CampaignStep.objects.filter(campaign=mcampaign, step=step).update(due=timezone.localdate() - dt.timedelta(days=1))


def test_a_late_council_is_told_before_concluding(client, assigned, mcampaign, people):
    url = reverse("recognition:file", args=[assigned.pk])
    assert "Đã quá hạn thẩm định" not in as_(client, people["r2"]).get(url).content.decode()
    _pass(mcampaign, "review")
    assert "Đã quá hạn thẩm định" in client.get(url).content.decode()
    client.post(url, {"action": "conclude", "state": "assigned", "level": "2", "reasons": "Đạt"})
    assert CouncilFile.objects.get(pk=assigned.pk).state == "concluded"  # said, not refused: the target is the document's


def test_late_recognition_and_report_are_said(client, mcampaign, people):
    decision = services.create_decision(mcampaign, issuer="UBND", user=people["admin"])
    as_(client, people["admin"])
    assert "Đã quá hạn công nhận" not in client.get(reverse("recognition:decision", args=[decision.pk])).content.decode()
    _pass(mcampaign, "recognition")
    _pass(mcampaign, "report")
    assert "Đã quá hạn công nhận" in client.get(reverse("recognition:decision", args=[decision.pk])).content.decode()
    assert "đã quá hạn" in client.get(reverse("recognition:report", args=[mcampaign.pk])).content.decode()
