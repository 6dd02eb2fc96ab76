"""Campaign calendar, participating units, deadline extensions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.methodologies.selectors import compiled_for
from dti.methodologies.services import freeze
from dti.site.text import VALUE_MAX, check_text

from .models import FRAMEWORK_LOCKED_MESSAGE, Campaign, CampaignStep, Extension
from .selectors import framework_locked


def bump_scores_version(campaign_id: int, submission_ids=()) -> int:
    """Invalidate every cached score run of the campaign (in every process) and stamp the
    changed submissions with the new version.  Call inside the writing transaction: the
    campaign row stays locked until commit, so versions follow commit order."""
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign_id).update(scores_version=F("scores_version") + 1)
        version = Campaign.objects.filter(pk=campaign_id).values_list("scores_version", flat=True).get()
        if submission_ids:
            from dti.submissions.models import Submission

            Submission.objects.filter(pk__in=list(submission_ids)).update(changed_version=version)
    return version


def _check_dates(period_start, period_end, entry_deadline, review_deadline, approval_date, publication_date) -> None:
    errors = {}
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = _("Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu")
    if entry_deadline and review_deadline and review_deadline < entry_deadline:
        errors["review_deadline"] = _("Hạn thẩm định phải sau hạn nhập liệu")
    if approval_date and review_deadline and approval_date < review_deadline:
        errors["approval_date"] = _("Ngày phê duyệt phải sau hạn thẩm định")
    if publication_date and approval_date and publication_date < approval_date:
        errors["publication_date"] = _("Ngày công bố phải sau ngày phê duyệt")
    if errors:
        raise ValidationError(errors)


# Which campaign date each calendar step gives by default (docs/framework-format.md, *Calendar*).
STEP_FIELDS = {"self_assessment": "entry_deadline", "review": "review_deadline", "recognition": "approval_date",
               "approval": "approval_date", "publication": "publication_date"}


def calendar_defaults(framework, year: int) -> dict[str, dt.date]:
    """The campaign dates the framework's calendar gives for ``year`` (empty without a calendar)."""
    written = compiled_for(framework).written
    dates: dict[str, dt.date] = {}
    for step in written.calendar or ():
        if step.step == "data_period":
            first = step.first_day(year)
            if first is not None:
                dates["period_start"] = first
            dates["period_end"] = step.due(year)
        elif step.step in STEP_FIELDS:
            dates.setdefault(STEP_FIELDS[step.step], step.due(year))
    return dates


def _create_steps(campaign: Campaign) -> None:
    written = compiled_for(campaign.framework).written
    CampaignStep.objects.bulk_create([
        CampaignStep(campaign=campaign, step=step.step, name=step.name, due=step.due(campaign.year),
                     start=step.first_day(campaign.year), who=step.who or "", text=step.text or "", order=i)
        for i, step in enumerate(written.calendar or ())
    ])


@transaction.atomic
def create_campaign(*, name: str, framework, year: int, period_start: dt.date | None = None,
                    period_end: dt.date | None = None, entry_deadline: dt.date | None = None,
                    review_deadline: dt.date | None = None, approval_date: dt.date | None = None,
                    publication_date: dt.date | None = None, lead_unit=None, previous: Campaign | None = None,
                    units=(), user=None) -> Campaign:
    """A campaign; a date left empty takes the framework's calendar for ``year`` (when it has one)."""
    name = check_text(name, max_length=300, multiline=False, field="name")
    given = {"period_start": period_start, "period_end": period_end, "entry_deadline": entry_deadline,
             "review_deadline": review_deadline, "approval_date": approval_date, "publication_date": publication_date}
    defaults = calendar_defaults(framework, year)
    dates = {key: value if value is not None else defaults.get(key) for key, value in given.items()}
    if defaults and dates["period_end"] is None and dates["entry_deadline"] is not None:
        # a calendar without a data period (Kon Tum: "hằng năm"): the year, until the files are sent
        dates["period_end"] = dates["entry_deadline"]
    if defaults and dates["period_start"] is None and dates["period_end"] is not None:
        dates["period_start"] = dt.date(year, 1, 1)
    missing = {key: _("Cần nhập ngày (bộ chỉ số không quy định ngày này)")
               for key in ("period_start", "period_end", "entry_deadline", "review_deadline") if dates[key] is None}
    if missing:
        raise ValidationError(missing)
    _check_dates(*dates.values())
    campaign = Campaign.objects.create(
        name=name, framework=framework, year=year, **dates, lead_unit=lead_unit, previous=previous,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    freeze(framework, user=user)
    _create_steps(campaign)
    record(user, "campaign.create", campaign, campaign_id=campaign.pk, new=name)
    if units:
        add_units(campaign, units, user=user)
    return campaign


@transaction.atomic
def change_framework(campaign: Campaign, framework, *, user=None) -> Campaign:
    """Put the campaign on another framework version, only while no unit has data.

    The campaign's rows are locked first: a unit saving its first value at the same moment
    either commits before (and the change is refused) or waits until after it."""
    from dti.submissions.models import Submission

    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.framework_id == framework.pk:
        return campaign
    # And every submission row: a save in progress holds its submission's row, so this waits
    # for it to commit and then sees its values (or the save waits for this change).
    list(Submission.objects.select_for_update().filter(campaign_id=campaign.pk).values_list("pk", flat=True))
    if framework_locked(campaign.pk):
        raise ValidationError({"framework": FRAMEWORK_LOCKED_MESSAGE})

    levels = set(compiled_for(framework).framework.level_codes)
    wrong = sorted(Submission.objects.filter(campaign=campaign).exclude(unit__level_id__in=levels)
                   .values_list("unit__code", flat=True))
    if wrong:
        raise ValidationError({"framework": _("Bộ chỉ số mới không có cấp của các đơn vị đang tham gia (%(levels)s): "
                                              "%(units)s") % {"levels": ", ".join(sorted(levels)),
                                                             "units": ", ".join(wrong[:10])}})
    old = locked.framework
    Campaign.objects.filter(pk=campaign.pk).update(framework=framework)
    campaign.framework = framework
    freeze(framework, user=user)
    record(user, "campaign.framework", campaign, campaign_id=campaign.pk, field="framework",
           old=f"{old} (#{old.pk})", new=f"{framework} (#{framework.pk})")
    bump_scores_version(campaign.pk)
    return campaign


@transaction.atomic
def update_calendar(campaign: Campaign, *, user=None, **dates) -> Campaign:
    fields = ["period_start", "period_end", "entry_deadline", "review_deadline", "approval_date", "publication_date"]
    values = {f: dates.get(f, getattr(campaign, f)) for f in fields}
    _check_dates(*(values[f] for f in fields))
    for name in fields:
        old = getattr(campaign, name)
        if old != values[name]:
            setattr(campaign, name, values[name])
            record(user, "campaign.calendar", campaign, campaign_id=campaign.pk, field=name,
                   old=old.strftime("%d/%m/%Y") if old else "", new=values[name].strftime("%d/%m/%Y") if values[name] else "")
    campaign.save()
    return campaign


@transaction.atomic
def add_units(campaign: Campaign, units, *, user=None) -> int:
    """Make units participate (one submission each); their level must be one of the framework's."""
    from dti.submissions.models import Submission

    levels = set(compiled_for(campaign.framework).framework.level_codes)
    wrong = [u for u in units if u.level_id not in levels]
    if wrong:
        raise ValidationError(
            _("Đơn vị không thuộc cấp của bộ chỉ số (%(levels)s): %(units)s")
            % {"levels": ", ".join(sorted(levels)), "units": ", ".join(u.code for u in wrong[:10])}
        )
    have = set(Submission.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    new = [Submission(campaign=campaign, unit=u) for u in units if u.pk not in have]
    Submission.objects.bulk_create(new, batch_size=500)
    if new:
        record(user, "campaign.add_units", campaign, campaign_id=campaign.pk, new=str(len(new)),
               reason=", ".join(s.unit.code for s in new[:50]))
        bump_scores_version(campaign.pk)
    return len(new)


@transaction.atomic
def grant_extension(campaign: Campaign, unit, *, new_deadline: dt.date, reason: str, user=None) -> Extension:
    reason = check_text(reason, max_length=VALUE_MAX, field="reason")
    if not reason:
        raise ValidationError({"reason": _("Cần ghi lý do gia hạn")})
    if new_deadline <= campaign.entry_deadline:
        raise ValidationError({"new_deadline": _("Hạn mới phải sau hạn nhập liệu chung (%(d)s)")
                               % {"d": campaign.entry_deadline.strftime("%d/%m/%Y")}})
    from dti.submissions.models import Submission

    if not Submission.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError({"unit": _("Đơn vị không tham gia đợt đánh giá này")})
    extension = Extension.objects.create(campaign=campaign, unit=unit, new_deadline=new_deadline, reason=reason,
                                         granted_by=user if user is not None and user.is_authenticated else None)
    record(user, "campaign.extension", extension, campaign_id=campaign.pk, unit_code=unit.code,
           new=new_deadline.strftime("%d/%m/%Y"), reason=reason)
    return extension


@transaction.atomic
def mark_published(campaign: Campaign, *, user=None) -> None:
    from django.utils import timezone

    campaign.results_published_at = timezone.now()
    campaign.save(update_fields=["results_published_at"])
    record(user, "campaign.publish", campaign, campaign_id=campaign.pk)


@transaction.atomic
def choose_readings(campaign: Campaign, choices: dict[str, str], *, user=None) -> Campaign:
    """The reading each indicator with readings is scored by (absent: its default). Chosen before
    any data is entered; afterwards the readings are frozen with the campaign's framework."""
    from dti.engine.readings import ReadingError, check_choices, declared_readings
    from dti.submissions.models import Value

    if Value.objects.filter(submission__campaign=campaign).exists():
        raise ValidationError(_("Đợt đánh giá đã có số liệu: cách đọc đã khóa cùng bộ chỉ số."))
    framework = compiled_for(campaign.framework).written
    try:
        check_choices(framework, choices)
    except ReadingError as exc:
        raise ValidationError(str(exc)) from None
    defaults = {code: next(r.name for r in readings if r.default)
                for code, readings in declared_readings(framework).items()}
    chosen = {code: name for code, name in choices.items() if defaults.get(code) != name}
    if chosen != campaign.readings:
        record(user, "campaign.readings", campaign, campaign_id=campaign.pk,
               old=_readings_text(campaign.readings), new=_readings_text(chosen))
        campaign.readings = chosen
        campaign.save(update_fields=["readings"])
        campaign.scores_version = bump_scores_version(campaign.pk)
    return campaign


def _readings_text(readings: dict[str, str]) -> str:
    return ", ".join(f"{code}={name}" for code, name in sorted(readings.items())) or "mặc định"
