"""Recognition races on PostgreSQL: parallel requests make one transition, one registration, one issue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from dti.audit.models import AuditEvent
from dti.recognition import services, workflow
from dti.recognition.models import CouncilFile, Decision, DecisionLine, Registration

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub
from .test_concurrency import in_parallel

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL"),
]


def test_first_saves_of_a_registration_make_one_row(mcampaign, people):
    unit = msub(mcampaign, "x1").unit
    outcomes = in_parallel(*[lambda lv=lv: services.save_registration(mcampaign, unit, target_level=lv,
                                                                      user=people["rep.x1"]) for lv in (1, 2, 3)])
    assert all(kind == "ok" for kind, _ in outcomes)
    assert Registration.objects.filter(unit=unit).count() == 1


def test_two_leaders_registering_make_one_transition(mcampaign, people):
    unit = msub(mcampaign, "x1").unit
    reg = services.save_registration(mcampaign, unit, target_level=2, user=people["rep.x1"])
    outcomes = in_parallel(*[lambda: workflow.run(Registration.objects.get(pk=reg.pk), "register",
                                                  user=people["lead.x1"], roles={"leader"}, expected_state="draft")
                             for _ in range(3)])
    assert sorted(kind for kind, _ in outcomes) == ["error", "error", "ok"]
    assert AuditEvent.objects.filter(action="recognition.registration.register").count() == 1


def test_two_conclusions_at_once_keep_one(send, council, mcampaign, people):
    send("x1", 2)
    file = services.assign_files(council, [msub(mcampaign, "x1").unit], user=people["admin"])[0]
    outcomes = in_parallel(*[lambda lv=lv: services.conclude(CouncilFile.objects.get(pk=file.pk), user=people["r2"],
                                                             level=lv, reasons="x", expected_state="assigned")
                             for lv in (1, 2)])
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    won = 1 if outcomes[0][0] == "ok" else 2
    assert CouncilFile.objects.get(pk=file.pk).recognised_level == won


def test_double_issue_freezes_the_lines_once(send, council, mcampaign, people):
    send("x1", 2)
    file = services.assign_files(council, [msub(mcampaign, "x1").unit], user=people["admin"])[0]
    services.conclude(file, user=people["r2"], level=2, reasons="Đạt")
    decision = services.create_decision(mcampaign, issuer="UBND", user=people["admin"])
    services.fill_decision(decision, user=people["admin"], number="1", signed_on=dt.date(2026, 12, 18),
                           signed_pdf=SimpleUploadedFile("q.pdf", b"%PDF-1.4", "application/pdf"))
    outcomes = in_parallel(*[lambda: services.issue(Decision.objects.get(pk=decision.pk), user=people["admin"],
                                                    roles={"assessment_admin"}) for _ in range(2)])
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert DecisionLine.objects.count() == 1
