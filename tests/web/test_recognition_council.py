"""The appraisal council: formed from reviewers, files assigned, members' opinions, the secretary's conclusion."""

import pytest
from django.core.exceptions import ValidationError

from dti.recognition import selectors, services, workflow
from dti.recognition.models import CouncilFile, FileState, Opinion
from dti.recognition.workflow import RecognitionError, StaleState

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub


@pytest.fixture
def x1_file(send, council, mcampaign, people):
    send("x1", 2)
    return services.assign_files(council, [msub(mcampaign, "x1").unit], user=people["admin"])[0]


def test_only_reviewers_sit_on_a_council(mcampaign, people):
    with pytest.raises(ValidationError, match="cán bộ thẩm định"):
        services.form_council(mcampaign, name="HĐ", chair=people["r1"], secretary=people["lead.x1"],
                              user=people["admin"])
    with pytest.raises(ValidationError, match="một vai trò"):
        services.form_council(mcampaign, name="HĐ", chair=people["r1"], secretary=people["r1"], user=people["admin"])


def test_a_file_needs_a_registration_and_a_sent_self_assessment(council, mcampaign, people, send):
    x2 = msub(mcampaign, "x2").unit
    with pytest.raises(RecognitionError, match="chưa đăng ký"):
        services.assign_files(council, [x2], user=people["admin"])
    reg = services.save_registration(mcampaign, x2, target_level=1, user=people["rep.x2"])
    workflow.run(reg, "register", user=people["lead.x2"], roles={"leader"})
    with pytest.raises(RecognitionError, match="chưa gửi hồ sơ"):
        services.assign_files(council, [x2], user=people["admin"])
    send("x1", 2)
    x1 = msub(mcampaign, "x1").unit
    services.assign_files(council, [x1], user=people["admin"])
    with pytest.raises(RecognitionError, match="đã được giao"):
        services.assign_files(council, [x1], user=people["admin"])
    assert CouncilFile.objects.get(unit=x1).claimed_level == 2


def test_members_opinions_and_disagreement_stay_visible(x1_file, people):
    services.record_opinions(x1_file, user=people["r1"], opinions={"xa.I.1": (True, "Đủ"), "xa.I.2": (True, "")})
    services.record_opinions(x1_file, user=people["r3"], opinions={"xa.I.1": (False, "Số liệu Cổng DVC thấp hơn")})
    view = selectors.file_view(x1_file, people["r1"])
    rows = {row.code: row for row in view["rows"]}
    assert rows["xa.I.1"].disagree and not rows["xa.I.2"].disagree
    assert ("r3", False, "Số liệu Cổng DVC thấp hơn") in rows["xa.I.1"].opinions
    assert rows["xa.I.1"].self_met is True  # 65% ≥ 60% at mức 2
    assert dict(view["missing"]) == {"r2": 2, "r3": 1}


def test_criterion_not_applying_at_the_claimed_level_is_refused(send, council, mcampaign, people):
    send("x2", 1)
    file = services.assign_files(council, [msub(mcampaign, "x2").unit], user=people["admin"])[0]
    with pytest.raises(RecognitionError, match="không áp dụng"):
        services.record_opinions(file, user=people["r1"], opinions={"xa.I.2": (True, "")})  # Không áp dụng at mức 1


def test_only_members_give_opinions(x1_file, people):
    with pytest.raises(RecognitionError, match="không phải thành viên"):
        services.record_opinions(x1_file, user=people["r4"], opinions={"xa.I.1": (True, "")})


def test_only_the_secretary_concludes(x1_file, people):
    with pytest.raises(RecognitionError, match="không có quyền"):
        services.conclude(x1_file, user=people["r1"], level=2, reasons="Đạt")
    services.conclude(x1_file, user=people["r2"], level=1, reasons="Tiêu chí 2 chưa có quyết định phân công",
                      expected_state="assigned")
    x1_file.refresh_from_db()
    assert (x1_file.state, x1_file.recognised_level) == (FileState.CONCLUDED, 1)
    assert selectors.recognised_levels(x1_file.campaign_id) == {"x1": 1}


def test_a_conclusion_needs_a_level_and_reasons(x1_file, people):
    with pytest.raises(RecognitionError, match="lý do"):
        services.conclude(x1_file, user=people["r2"], level=2, reasons="  ")
    with pytest.raises(RecognitionError, match="Chọn mức"):
        services.conclude(x1_file, user=people["r2"], level=9, reasons="x")


def test_no_opinion_after_the_conclusion_and_a_stale_page_is_refused(x1_file, people):
    services.conclude(x1_file, user=people["r2"], level=2, reasons="Đạt")
    with pytest.raises(RecognitionError, match="đã kết luận"):
        services.record_opinions(x1_file, user=people["r1"], opinions={"xa.I.1": (True, "")})
    with pytest.raises(StaleState):
        services.conclude(x1_file, user=people["r2"], level=1, reasons="x", expected_state="assigned")
    assert not Opinion.objects.exists()


def test_the_administrator_reopens_a_conclusion(x1_file, people):
    services.conclude(x1_file, user=people["r2"], level=2, reasons="Đạt")
    workflow.run(x1_file, "reopen", user=people["admin"], roles={"assessment_admin"}, expected_state="concluded")
    x1_file.refresh_from_db()
    assert (x1_file.state, x1_file.recognised_level) == (FileState.ASSIGNED, None)
    assert selectors.recognised_levels(x1_file.campaign_id) == {}


def test_a_reviewer_of_another_campaign_cannot_sit(mcampaign, people, make_user, campaign):
    other = make_user("r-khac", "reviewer", campaign=campaign)  # a reviewer of another campaign only
    from dti.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=other, role="viewer", unit=None)
    with pytest.raises(ValidationError, match="r-khac"):
        services.form_council(mcampaign, name="HĐ", chair=people["r1"], secretary=other, user=people["admin"])
