"""Writing plans: a draft in one step from the framework's agencies and deadlines and the gains
list, progress reports with evidence, comments."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Unit
from dti.submissions.evidence import check_upload

from .models import Comment, Plan, Progress, ProgressEvidence, Task

# Short names the documents use for agencies, as the org tree names them
ALIASES = {
    "sở tt&tt": "sở thông tin và truyền thông",
    "sở tt &tt": "sở thông tin và truyền thông",
    "sở kh&cn": "sở khoa học và công nghệ",
    "sở kh&đt": "sở kế hoạch và đầu tư",
    "vp ubnd tỉnh": "văn phòng ubnd tỉnh",
    "sở thông tin và truyền": "sở thông tin và truyền thông",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    return ALIASES.get(text, text)


def agency_names(text: str) -> list[str]:
    """'Sở TT&TT; Văn phòng UBND tỉnh' → the agencies named, in order."""
    parts = re.split(r";|,(?![^()]*\))| và các đơn vị liên quan", text or "")
    return [p.strip(" .") for p in parts if p.strip(" .")]


def match_agencies(text: str, units: list[Unit]) -> list[Unit]:
    """The units of the org tree the text names (by name, short names expanded); generic names
    ('Các sở, ban, ngành', 'UBND cấp huyện') match none and stay in the text."""
    by_name = {_plain(u.name): u for u in units}
    found: list[Unit] = []
    for name in agency_names(text):
        unit = by_name.get(_plain(name))
        if unit is None:
            plain = _plain(name)
            unit = next((u for key, u in by_name.items() if plain and (key.startswith(plain) or plain.startswith(key))
                         and len(plain) > 8), None)
        if unit is not None and unit not in found:
            found.append(unit)
    return found


_QUARTER_END = {"I": (3, 31), "II": (6, 30), "III": (9, 30), "IV": (12, 31)}


def parse_deadline(text: str, year: int) -> dt.date | None:
    """'Quý IV năm 2024' → 31/12/2024, 'Quý II hằng năm' → 30/06 of ``year``, 'Năm 2025' → 31/12/2025;
    'Thường xuyên', 'Thống kê số liệu', 'Đã hoàn thành' → None (kept as text)."""
    text = (text or "").strip()
    match = re.match(r"(?i)quý\s+(IV|III|II|I)\s+(?:năm\s+(\d{4})|hằng năm)", text)
    if match:
        month, day = _QUARTER_END[match.group(1).upper()]
        return dt.date(int(match.group(2) or year), month, day)
    match = re.match(r"(?i)năm\s+(\d{4})$", text)
    if match:
        return dt.date(int(match.group(1)), 12, 31)
    return None


@dataclass
class DraftTask:
    code: str
    title: str
    lead: Unit
    partners: list[Unit] = field(default_factory=list)
    agencies_text: str = ""
    deadline: dt.date | None = None
    deadline_text: str = ""
    points_now: float | None = None
    max_points: float | None = None
    target_score: float | None = None
    gain: float = 0.0


def draft_tasks(campaign, unit: Unit, owner: Unit, *, minimum_gain: float = 0.5) -> tuple[list[DraftTask], float | None]:
    """One task per indicator of the gains list worth at least ``minimum_gain`` points: its change
    as the task, its agencies and deadline from the framework's metadata (the plan's columns)."""
    from dti.published.selectors import unit_gains

    gains = unit_gains(campaign, unit.code)
    if gains is None:
        return [], None
    compiled = compiled_for(campaign.framework, campaign.readings)
    units = list(Unit.objects.filter(active=True))
    drafts = []
    for gain in gains["gains"]:
        if gain["gain"] < minimum_gain:
            continue
        node = compiled.nodes[gain["code"]]
        meta = node.indicator.meta or {}
        # sub-parts (5.12.1, 8.8.2.1) carry no columns of their own: their indicator's apply
        holder = node
        while not meta.get("lead_agency") and holder.parent is not None:
            holder = compiled.nodes[holder.parent]
            meta = holder.indicator.meta or {}
        lead_text = str(meta.get("lead_agency") or "")
        partner_text = str(meta.get("partner_agencies") or "")
        leads = match_agencies(lead_text, units)
        partners = [u for u in match_agencies(partner_text, units) if u not in leads[:1]]
        lead = leads[0] if leads else owner
        partners = list(dict.fromkeys(leads[1:] + partners))
        deadline_text = str(meta.get("deadline") or "")
        drafts.append(DraftTask(
            code=gain["code"], title=f"{node.indicator.name}: {gain['explain'].split(': ', 1)[-1]}"[:500],
            lead=lead, partners=partners,
            agencies_text="; ".join(t for t in (lead_text, partner_text) if t)[:500],
            deadline=parse_deadline(deadline_text, campaign.year + 1), deadline_text=deadline_text[:200],
            points_now=gain["points_now"], max_points=node.max_by_level.get(unit.level_id),
            target_score=round(gain["points_now"] + gain["gain"], 4), gain=gain["gain"]))
    return drafts, gains["total"]


def create_plan(campaign, unit: Unit, owner: Unit, *, user, name: str, decision: str = "",
                drafts: list[DraftTask], baseline_total: float | None) -> Plan:
    with transaction.atomic():
        plan = Plan.objects.create(name=name[:300], campaign=campaign, unit=unit, owner=owner, decision=decision[:200],
                                   created_by=user, baseline_total=baseline_total)
        for position, draft in enumerate(drafts):
            task = Task.objects.create(
                plan=plan, code=draft.code, title=draft.title, lead=draft.lead, agencies_text=draft.agencies_text,
                deadline=draft.deadline, deadline_text=draft.deadline_text, points_now=draft.points_now,
                max_points=draft.max_points, target_score=draft.target_score, position=position)
            task.partners.set(draft.partners)
        record(user, "plan.create", plan, new=f"{len(drafts)} nhiệm vụ")
    return plan


def agency_of(user, task: Task) -> Unit | None:
    """Which of the task's agencies the person reports for (lead first)."""
    from dti.accounts.selectors import Access

    access = Access(user)
    for unit in [task.lead, *task.partners.all()]:
        if access.unit_roles(None, unit):
            return unit
    return None


def add_progress(task: Task, *, user, text: str, files=()) -> Progress:
    """A progress report with its evidence files (checked like a submission's evidence)."""
    checked = [(upload, *check_upload(upload)) for upload in files]  # refuse before writing anything
    with transaction.atomic():
        progress = Progress.objects.create(task=task, author=user, agency=agency_of(user, task), text=text)
        for upload, kind, content_type in checked:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            name = "".join(ch for ch in (upload.name or "") if ch.isprintable())[-255:] or "tep"
            item = ProgressEvidence(progress=progress, original_name=name, content_type=content_type, kind=kind,
                                    size=upload.size, sha256=digest.hexdigest(), uploaded_by=user)
            item.file.save(name, upload, save=False)
            item.save()
        record(user, "plan_task.progress", task, new=text[:200])
    return progress


def add_comment(task: Task, *, user, text: str) -> Comment:
    comment = Comment.objects.create(task=task, author=user, text=text)
    record(user, "plan_task.comment", task, new=text[:200])
    return comment


def refuse_empty(text: str) -> None:
    if not text.strip():
        raise ValueError(_("Cần nhập nội dung."))


class StaleTask(ValueError):
    """The task changed since the page was loaded; nothing was saved."""


def update_task(task: Task, *, user, shown_updated_at: str, title: str, lead: Unit, partners: list[Unit],
                deadline: dt.date | None, target_score: float | None) -> Task:
    """The owner's corrections to a task (agencies, deadline, target), on the locked row, refused
    when somebody changed the task since the page showed it."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.updated_at.isoformat() != shown_updated_at:
            raise StaleTask(_("Nhiệm vụ đã được sửa sau khi bạn mở trang; chưa lưu gì. Hãy xem lại rồi sửa lại."))
        changes = []
        for name, new in (("title", title), ("lead", lead), ("deadline", deadline), ("target_score", target_score)):
            old = getattr(locked, name)
            if old != new:
                changes.append((name, old, new))
                setattr(locked, name, new)
        locked.save()
        old_partners = set(locked.partners.all())
        if old_partners != set(partners):
            locked.partners.set(partners)
            changes.append(("partners", "; ".join(sorted(u.code for u in old_partners)),
                            "; ".join(sorted(u.code for u in partners))))
        for name, old, new in changes:
            record(user, "plan_task.edit", locked, field=name, old=old, new=new)
    return locked


def add_task(plan: Plan, *, user, code: str, title: str, lead: Unit, partners: list[Unit],
             deadline: dt.date | None, target_score: float | None) -> Task:
    """A task the owner adds by hand (an indicator or a whole pillar); current points from the
    unit's verified result now."""
    from dti.results.selectors import campaign_scores

    scores = campaign_scores(plan.campaign)
    position = scores.index.get(plan.unit.code)
    node = scores.compiled.nodes[code]
    now = None
    if position is not None:
        value = float(scores.verified.indicators[code].score[position])
        now = value if value == value else None
    with transaction.atomic():
        last = plan.tasks.order_by("-position").values_list("position", flat=True).first()
        task = Task.objects.create(plan=plan, code=code, title=title[:500], lead=lead, deadline=deadline,
                                   points_now=now, max_points=node.max_by_level.get(plan.unit.level_id),
                                   target_score=target_score, position=(last or 0) + 1)
        task.partners.set(partners)
        record(user, "plan_task.add", task, new=f"{code}: {title[:200]}")
    return task
