"""Registration of a target level: the unit's draft, the leader's approval, the deadline, extensions."""

import datetime as dt

import pytest
from django.utils import timezone

from dti.audit.models import AuditEvent
from dti.campaigns.models import CampaignStep
from dti.recognition import selectors, services, workflow
from dti.recognition.models import RegistrationState
from dti.recognition.workflow import RecognitionError, StaleState

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub


@pytest.fixture
def x1(mcampaign):
    return msub(mcampaign, "x1").unit


def _late(mcampaign):
    CampaignStep.objects.filter(campaign=mcampaign, step="registration").update(
        due=timezone.localdate() - dt.timedelta(days=1))


def test_leader_approval_registers_the_target_level(mcampaign, people, x1):
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    assert reg.state == RegistrationState.DRAFT
    workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"}, expected_state="draft")
    reg.refresh_from_db()
    assert (reg.state, reg.approved_by) == (RegistrationState.REGISTERED, people["lead.x1"])
    assert AuditEvent.objects.filter(action="recognition.registration.register").count() == 1


def test_reporter_cannot_register_for_the_leader(mcampaign, people, x1):
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    with pytest.raises(RecognitionError):
        workflow.run(reg, "register", user=people["rep.x1"], roles={"reporter"})


def test_registration_after_the_deadline_is_refused(mcampaign, people, x1):
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    _late(mcampaign)
    with pytest.raises(RecognitionError, match="quá hạn đăng ký"):
        workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"})
    with pytest.raises(RecognitionError, match="quá hạn đăng ký"):
        services.save_registration(mcampaign, x1, target_level=3, user=people["rep.x1"])
    reg.refresh_from_db()
    assert (reg.state, reg.target_level) == ("draft", 2)


def test_the_deadline_day_itself_is_still_open(mcampaign, people, x1):
    due = selectors.registration_deadline(mcampaign, x1)
    reg = services.save_registration(mcampaign, x1, target_level=1, user=people["rep.x1"], today=due)
    workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"}, today=due)
    with pytest.raises(RecognitionError):
        workflow.run(reg, "withdraw", user=people["lead.x1"], roles={"leader"}, today=due + dt.timedelta(days=1))


def test_an_extension_allows_late_registration_and_is_recorded(mcampaign, people, x1):
    _late(mcampaign)
    new = timezone.localdate() + dt.timedelta(days=3)
    services.grant_registration_extension(mcampaign, x1, new_deadline=new, reason="Đơn vị mới sáp nhập",
                                          user=people["admin"])
    assert selectors.registration_deadline(mcampaign, x1) == new
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"})
    event = AuditEvent.objects.get(action="recognition.registration.extend")
    assert (event.unit_code, event.reason) == ("x1", "Đơn vị mới sáp nhập")
    # the other communes are still refused
    with pytest.raises(RecognitionError):
        services.save_registration(mcampaign, msub(mcampaign, "x2").unit, target_level=1, user=people["rep.x2"])


def test_a_registered_level_cannot_be_edited_until_withdrawn(mcampaign, people, x1):
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"})
    with pytest.raises(RecognitionError, match="rút đăng ký"):
        services.save_registration(mcampaign, x1, target_level=3, user=people["rep.x1"])
    workflow.run(reg, "withdraw", user=people["lead.x1"], roles={"leader"}, expected_state="registered")
    assert services.save_registration(mcampaign, x1, target_level=3, user=people["rep.x1"]).target_level == 3


def test_a_stale_page_changes_nothing(mcampaign, people, x1):
    reg = services.save_registration(mcampaign, x1, target_level=2, user=people["rep.x1"])
    workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"})
    with pytest.raises(StaleState):
        services.save_registration(mcampaign, x1, target_level=3, user=people["rep.x1"], expected_state="draft")
    with pytest.raises(RecognitionError, match="đã được thực hiện"):
        workflow.run(reg, "register", user=people["lead.x1"], roles={"leader"})


@pytest.mark.parametrize("level", [0, 4])
def test_level_outside_the_framework_is_refused(mcampaign, people, x1, level):
    with pytest.raises(RecognitionError, match="từ 1 đến 3"):
        services.save_registration(mcampaign, x1, target_level=level, user=people["rep.x1"])


def test_registrations_by_level_and_district(mcampaign, people, send):
    send("x1", 2)
    send("x2", 1)
    send("h1", 2)
    services.save_registration(mcampaign, msub(mcampaign, "x3").unit, target_level=3, user=people["rep.x3"])  # draft
    regs = selectors.registrations_by(mcampaign)
    assert regs["by_level"] == [1, 2, 0] and regs["registered"] == 3 and regs["units"] == 5
    by_district = {d["unit"].code: (d["units"], d["registered"], d["counts"]) for d in regs["districts"]}
    assert by_district == {"h1": (3, 3, [1, 2, 0]), "h2": (2, 0, [0, 0, 0])}
