"""Writes of the recognition process; lifecycle moves go through ``workflow.run``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.campaigns.models import Campaign
from dti.campaigns.selectors import today as local_today
from dti.site.text import VALUE_MAX, check_text
from dti.submissions.models import State, Submission

from . import workflow
from .models import (
    Council,
    CouncilFile,
    CouncilMember,
    Decision,
    DecisionState,
    FileState,
    MemberRole,
    Opinion,
    Registration,
    RegistrationExtension,
    RegistrationState,
)
from .selectors import criteria_at, eligible_members, max_level, registration_deadline
from .workflow import RecognitionError


def _participates(campaign: Campaign, unit) -> None:
    if not Submission.objects.filter(campaign=campaign, unit=unit).exists():
        raise RecognitionError(_("Đơn vị không tham gia đợt đánh giá này."))


# ----------------------------------------------------------------- registration


def save_registration(campaign: Campaign, unit, *, target_level: int, note: str = "", user,
                      expected_state: str | None = None, today: dt.date | None = None) -> Registration:
    """The unit's draft registration (created on first save); refused once registered or after the deadline."""
    _participates(campaign, unit)
    top = max_level(campaign)
    if not 1 <= target_level <= top:
        raise RecognitionError(_("Mức độ đăng ký phải từ 1 đến %(n)d.") % {"n": top})
    note = check_text(note, max_length=VALUE_MAX, multiline=True, field="note")
    deadline = registration_deadline(campaign, unit)
    if deadline is not None and (today or local_today()) > deadline:
        raise RecognitionError(_("Đã quá hạn đăng ký mức độ (%(d)s). Đăng ký muộn cần được cơ quan chủ trì gia hạn.")
                               % {"d": deadline.strftime("%d/%m/%Y")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                registration, created = Registration.objects.get_or_create(
                    campaign=campaign, unit=unit,
                    defaults={"target_level": target_level, "note": note, "prepared_by": user})
        except IntegrityError:  # somebody created it at the same moment
            registration, created = Registration.objects.get(campaign=campaign, unit=unit), False
        if created:
            record(user, "recognition.registration.save", registration, campaign_id=campaign.pk, unit_code=unit.code,
                   field="target_level", new=target_level)
            return registration
        locked = workflow.lock(registration)
        workflow.check_expected(locked, expected_state)
        if locked.state != RegistrationState.DRAFT:
            raise RecognitionError(_("Đơn vị đã đăng ký; lãnh đạo cần rút đăng ký trước khi sửa."))
        old = locked.target_level
        Registration.objects.filter(pk=locked.pk).update(target_level=target_level, note=note, prepared_by=user)
        if old != target_level:
            record(user, "recognition.registration.save", locked, campaign_id=campaign.pk, unit_code=unit.code,
                   field="target_level", old=old, new=target_level)
        locked.refresh_from_db()
        return locked


def grant_registration_extension(campaign: Campaign, unit, *, new_deadline: dt.date, reason: str,
                                 user) -> RegistrationExtension:
    _participates(campaign, unit)
    reason = check_text(reason, max_length=VALUE_MAX, multiline=True, field="reason")
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do gia hạn.")})
    extension = RegistrationExtension.objects.create(campaign=campaign, unit=unit, new_deadline=new_deadline,
                                                     reason=reason, granted_by=user)
    record(user, "recognition.registration.extend", extension, campaign_id=campaign.pk, unit_code=unit.code,
           field="deadline", new=new_deadline.strftime("%d/%m/%Y"), reason=reason)
    return extension


# ----------------------------------------------------------------- council


@transaction.atomic
def form_council(campaign: Campaign, *, name: str, chair, secretary, members=(), user) -> Council:
    """A council with a chair, a secretary and members, each a holder of the reviewer role."""
    name = check_text(name, max_length=300, multiline=False, field="name")
    people = [chair, secretary, *members]
    if not name.strip():
        raise ValidationError({"name": _("Cần đặt tên hội đồng.")})
    if len({p.pk for p in people}) != len(people):
        raise ValidationError({"members": _("Mỗi người chỉ giữ một vai trò trong hội đồng.")})
    allowed = set(eligible_members(campaign).values_list("pk", flat=True))
    outside = [p.get_username() for p in people if p.pk not in allowed]
    if outside:
        raise ValidationError({"members": _("Chỉ người có vai trò cán bộ thẩm định mới vào hội đồng: %(who)s")
                               % {"who": ", ".join(outside)}})
    council = Council.objects.create(campaign=campaign, name=name, formed_by=user)
    CouncilMember.objects.bulk_create(
        [CouncilMember(council=council, user=chair, role=MemberRole.CHAIR),
         CouncilMember(council=council, user=secretary, role=MemberRole.SECRETARY)]
        + [CouncilMember(council=council, user=m, role=MemberRole.MEMBER) for m in members])
    record(user, "recognition.council.form", council, campaign_id=campaign.pk, new=name,
           reason=", ".join(p.get_username() for p in people))
    return council


SENT = {State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.RESUBMITTED, State.APPROVED, State.PUBLISHED}


@transaction.atomic
def assign_files(council: Council, units, *, user) -> list[CouncilFile]:
    """Put the units' files before the council, at the level each registered."""
    campaign = council.campaign
    made = []
    problems = []
    for unit in units:
        registration = Registration.objects.filter(campaign=campaign, unit=unit,
                                                   state=RegistrationState.REGISTERED).first()
        submission = Submission.objects.filter(campaign=campaign, unit=unit).first()
        if registration is None:
            problems.append(_("%(u)s chưa đăng ký mức độ") % {"u": unit.name})
        elif submission is None or submission.state not in SENT:
            problems.append(_("%(u)s chưa gửi hồ sơ tự đánh giá") % {"u": unit.name})
        elif CouncilFile.objects.filter(campaign=campaign, unit=unit).exists():
            problems.append(_("%(u)s đã được giao cho một hội đồng") % {"u": unit.name})
        else:
            made.append(CouncilFile(council=council, campaign=campaign, unit=unit,
                                    claimed_level=registration.target_level))
    if problems:
        raise RecognitionError(_("Chưa giao được hồ sơ: %(p)s.") % {"p": "; ".join(problems)})
    CouncilFile.objects.bulk_create(made)
    for file in made:
        record(user, "recognition.file.assign", council, campaign_id=campaign.pk, unit_code=file.unit.code,
               new=council.name)
    return made


def record_opinions(file: CouncilFile, *, user, opinions: dict[str, tuple[bool, str]],
                    expected_state: str | None = None) -> int:
    """A member's met / not met (with a comment) per criterion at the claimed level; only while under review."""
    with transaction.atomic():
        locked = workflow.lock(file)
        workflow.check_expected(locked, expected_state)
        if not CouncilMember.objects.filter(council_id=locked.council_id, user=user).exists():
            raise RecognitionError(_("Bạn không phải thành viên hội đồng thẩm định hồ sơ này."))
        if locked.state != FileState.ASSIGNED:
            raise RecognitionError(_("Hội đồng đã kết luận hồ sơ này; không sửa ý kiến được."))
        codes = {code for code, _n, _r in criteria_at(locked.campaign, locked.unit, locked.claimed_level)}
        changed = 0
        for code, (met, comment) in opinions.items():
            if code not in codes:
                raise RecognitionError(_("Tiêu chí %(c)s không áp dụng ở mức đề nghị.") % {"c": code})
            comment = check_text(comment, max_length=VALUE_MAX, multiline=True, field=f"comment:{code}")
            old = Opinion.objects.filter(file=locked, member=user, criterion=code).first()
            if old is not None and (old.met, old.comment) == (met, comment):
                continue
            Opinion.objects.update_or_create(file=locked, member=user, criterion=code,
                                             defaults={"met": met, "comment": comment})
            record(user, "recognition.opinion", locked, campaign_id=locked.campaign_id, unit_code=locked.unit.code,
                   indicator=code, field="met", old="" if old is None else old.met, new=met, reason=comment)
            changed += 1
    return changed


def member_roles(file: CouncilFile, user) -> set[str]:
    return set(CouncilMember.objects.filter(council_id=file.council_id, user=user).values_list("role", flat=True))


def conclude(file: CouncilFile, *, user, level: int | None, reasons: str, expected_state: str | None = None):
    reasons = check_text(reasons or "", max_length=VALUE_MAX, multiline=True, field="reasons")
    return workflow.run(file, "conclude", user=user, roles=member_roles(file, user), expected_state=expected_state,
                        level=level, reasons=reasons)


# ----------------------------------------------------------------- decision


def create_decision(campaign: Campaign, *, issuer: str, level: str = "", signer: str = "", within=None,
                    user) -> Decision:
    """A draft decision for the concluded units of ``level`` (and under ``within``, e.g. a district's communes)."""
    issuer = check_text(issuer, max_length=300, multiline=False, field="issuer")
    signer = check_text(signer, max_length=200, multiline=False, field="signer")
    decision = Decision.objects.create(campaign=campaign, issuer=issuer, level=level, signer=signer, within=within,
                                       created_by=user)
    record(user, "recognition.decision.create", decision, campaign_id=campaign.pk, new=issuer)
    return decision


def fill_decision(decision: Decision, *, user, number: str | None = None, signed_on: dt.date | None = None,
                  signed_pdf=None, expected_state: str | None = None) -> Decision:
    """Number, date and the signed PDF (stored through Django's storage API), while the decision is a draft."""
    with transaction.atomic():
        locked = workflow.lock(decision)
        workflow.check_expected(locked, expected_state)
        if locked.state != DecisionState.DRAFT:
            raise RecognitionError(_("Quyết định đã ban hành; không sửa được."))
        if number is not None:
            number = check_text(number, max_length=50, multiline=False, field="number").strip()
            if number != locked.number:
                record(user, "recognition.decision.fill", locked, campaign_id=locked.campaign_id, field="number",
                       old=locked.number, new=number)
            locked.number = number
        if signed_on is not None:
            record(user, "recognition.decision.fill", locked, campaign_id=locked.campaign_id, field="signed_on",
                   old=locked.signed_on or "", new=signed_on.strftime("%d/%m/%Y"))
            locked.signed_on = signed_on
        if signed_pdf is not None:
            head = signed_pdf.read(5)
            signed_pdf.seek(0)
            if head != b"%PDF-":
                raise ValidationError({"signed_pdf": _("Tệp phải là PDF (bản quyết định có chữ ký).")})
            locked.signed_pdf.save(f"qd-{locked.pk}.pdf", signed_pdf, save=False)
            record(user, "recognition.decision.fill", locked, campaign_id=locked.campaign_id, field="signed_pdf",
                   new=locked.signed_pdf.name)
        locked.save()
    decision.refresh_from_db()
    return decision


def issue(decision: Decision, *, user, roles, expected_state: str | None = None):
    return workflow.run(decision, "issue", user=user, roles=roles, expected_state=expected_state)
