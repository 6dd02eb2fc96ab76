"""A small Kon Tum-like maturity framework (communes and districts, a calendar), units and people
for the recognition tests.  Import the fixtures with ``from .recognition_fixtures import *``."""

from __future__ import annotations

import datetime as dt

import pytest

MATURITY_YAML = """
code: test-muc-do
name: Bộ tiêu chí mức độ chuyển đổi số thử nghiệm
source: {document: "121/QĐ-UBND", date: 2025-03-10, issuer: Ủy ban nhân dân tỉnh Thử Nghiệm, title: Ban hành Bộ tiêu chí}
year: 2025
levels:
  - {code: xa, name: Cấp xã}
  - {code: huyen, name: Cấp huyện}
scored: false
maturity_levels:
  - {level: 1, name: Khởi động}
  - {level: 2, name: Kết nối}
  - {level: 3, name: Cơ bản}
calendar:
  - {step: registration, name: Đăng ký mức độ chuyển đổi số, date: "20/01"}
  - {step: self_assessment, name: "Tự đánh giá, gửi hồ sơ", date: "30/11"}
  - {step: review, name: Hội đồng thẩm định, date: "15/12"}
  - {step: recognition, name: Công nhận mức độ, date: "20/12"}
  - {step: report, name: Báo cáo Bộ Khoa học và Công nghệ, date: "25/12"}
indicators:
  - code: xa.I
    name: Chính quyền số
    levels: [xa]
    children:
      - code: xa.I.1
        name: Tỷ lệ thủ tục hành chính trực tuyến toàn trình
        unit: "%"
        inputs: [{var: ty_le, label: Tỷ lệ, type: percent}]
        maturity:
          field: ty_le
          levels: [{when: ">= 50", text: 50%}, {when: ">= 60", text: 60%}, {when: ">= 70", text: 70%}]
      - code: xa.I.2
        name: Có người làm công tác chuyển đổi số
        inputs: [{var: co, label: Có, type: yes_no}]
        maturity:
          field: co
          levels: [null, {when: "== 1", text: Có}, {when: "== 1", text: Có}]
  - code: huyen.I
    name: Chỉ tiêu chung
    levels: [huyen]
    children:
      - code: huyen.I.1
        name: Tỷ lệ xã đạt chuẩn chuyển đổi số
        unit: "%"
        maturity:
          child_level: xa
          children:
            - {all_at_least: 1, text: 100% xã đạt mức khởi động}
            - {all_at_least: 1, share_at_least: 2, min_share: 50, text: "100% xã từ mức 1, 50% đạt mức 2"}
            - {all_at_least: 2, share_at_least: 3, min_share: 50, text: "100% xã từ mức 2, 50% đạt mức 3"}
      - code: huyen.I.2
        name: Tỷ lệ xử lý văn bản trên môi trường mạng
        unit: "%"
        inputs: [{var: ty_le, label: Tỷ lệ, type: percent}]
        maturity:
          field: ty_le
          levels: [{when: ">= 50", text: 50%}, {when: ">= 60", text: 60%}, {when: ">= 70", text: 70%}]
"""

# Commune data → computed level: 65% + có = mức 2; 55% = mức 1; 75% + có = mức 3.
X1 = {"xa.I.1.ty_le": "65", "xa.I.2.co": "1"}
X2 = {"xa.I.1.ty_le": "55", "xa.I.2.co": "0"}
X3 = {"xa.I.1.ty_le": "75", "xa.I.2.co": "1"}
H = {"huyen.I.2.ty_le": "95"}


@pytest.fixture
def mfw(db):
    from dti.methodologies.services import create_version

    return create_version(MATURITY_YAML)


@pytest.fixture
def munits(db):
    from dti.organisations.services import create_unit

    kt = create_unit(code="kt", name="UBND tỉnh Thử Nghiệm", level="tinh")
    sokhcn = create_unit(code="so-khcn", name="Sở Khoa học và Công nghệ", level="so", parent=kt)
    h1 = create_unit(code="h1", name="UBND huyện Một", level="huyen", parent=kt, ranking_group="Cấp huyện")
    h2 = create_unit(code="h2", name="UBND huyện Hai", level="huyen", parent=kt, ranking_group="Cấp huyện")
    return {
        "kt": kt, "so-khcn": sokhcn, "h1": h1, "h2": h2,
        "x1": create_unit(code="x1", name="UBND xã Một", level="xa", parent=h1, ranking_group="Cấp xã"),
        "x2": create_unit(code="x2", name="UBND xã Hai", level="xa", parent=h1, ranking_group="Cấp xã"),
        "x3": create_unit(code="x3", name="UBND xã Ba", level="xa", parent=h2, ranking_group="Cấp xã"),
    }


@pytest.fixture
def mcampaign(db, mfw, munits):
    """This year's campaign from the calendar, with the entry deadline and registration still open."""
    from django.utils import timezone

    from dti.campaigns.models import CampaignStep
    from dti.campaigns.services import create_campaign

    today = timezone.localdate()
    campaign = create_campaign(name="Mức độ CĐS thử nghiệm", framework=mfw, year=today.year,
                               entry_deadline=today + dt.timedelta(days=10),
                               review_deadline=today + dt.timedelta(days=20),
                               approval_date=today + dt.timedelta(days=25),
                               lead_unit=munits["so-khcn"],
                               units=[munits[c] for c in ("h1", "h2", "x1", "x2", "x3")])
    CampaignStep.objects.filter(campaign=campaign, step="registration").update(due=today + dt.timedelta(days=5))
    return campaign


@pytest.fixture
def people(make_user, munits):
    """An administrator, four reviewers, a reporter and a leader per unit, a stranger."""
    made = {"admin": make_user("quantri", "assessment_admin"), "nobody": make_user("khach"),
            "viewer": make_user("xem", "viewer", munits["kt"], subtree=True)}
    for name in ("r1", "r2", "r3", "r4"):
        made[name] = make_user(name, "reviewer")
    for code in ("h1", "h2", "x1", "x2", "x3"):
        made[f"rep.{code}"] = make_user(f"bientap.{code}", "reporter", munits[code])
        made[f"lead.{code}"] = make_user(f"lanhdao.{code}", "leader", munits[code])
    return made


def msub(campaign, code):
    from dti.submissions.models import Submission

    return Submission.objects.select_related("unit", "campaign__framework").get(campaign=campaign, unit__code=code)


DATA = {"h1": H, "h2": H, "x1": X1, "x2": X2, "x3": X3}


@pytest.fixture
def send(mcampaign, people):
    """Register ``code`` at ``level`` (leader's approval) and submit its self-assessment."""
    from dti.recognition import services, workflow
    from dti.submissions.services import approve_by_leader, save_entry, submit

    def do(code, level):
        unit = msub(mcampaign, code).unit
        registration = services.save_registration(mcampaign, unit, target_level=level, user=people[f"rep.{code}"])
        workflow.run(registration, "register", user=people[f"lead.{code}"], roles={"leader"})
        submission = msub(mcampaign, code)
        save_entry(submission, user=people[f"rep.{code}"], values=DATA[code])
        approve_by_leader(submission, user=people[f"lead.{code}"])
        submit(submission, user=people[f"rep.{code}"])
        return registration

    return do


@pytest.fixture
def council(mcampaign, people):
    from dti.recognition.services import form_council

    return form_council(mcampaign, name="Hội đồng thẩm định cấp huyện", chair=people["r1"], secretary=people["r2"],
                        members=[people["r3"]], user=people["admin"])


__all__ = ["DATA", "H", "MATURITY_YAML", "X1", "X2", "X3", "council", "mcampaign", "mfw", "msub", "munits",
           "people", "send"]
