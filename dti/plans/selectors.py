"""Who sees which plan and task, and the owner's dashboard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from dti.accounts.models import ADMINS, UNIT_EDITORS, Role
from dti.accounts.selectors import Access
from dti.organisations.models import Unit

from .models import OVERDUE, OVERDUE_LABEL, Plan, Status, Task
from .workflow import LEAD, OWNER


def is_owner(access: Access, plan: Plan) -> bool:
    """The plan's owner: an assessment or system administrator over its owner unit."""
    return bool(access.unit_roles(None, plan.owner) & ADMINS)


# The roles that make a person one of an agency's people (task_roles): a reviewer's role is over
# units' assessment files, not over the agency's tasks.
AGENCY_ROLES = frozenset(Role.values) - {Role.REVIEWER}


def _agency_units(access: Access) -> Q:
    """A Q over tasks whose lead or a partner is a unit the person holds an agency role on."""
    lead = access.unit_filter("lead__", roles=AGENCY_ROLES)
    partner = access.unit_filter("partners__", roles=AGENCY_ROLES)
    if lead is None or partner is None:
        return Q()
    return lead | partner


def plans_visible(access: Access):
    owned = [p.pk for p in Plan.objects.select_related("owner") if is_owner(access, p)]
    with_tasks = Task.objects.filter(_agency_units(access)).values_list("plan_id", flat=True)
    return Plan.objects.filter(Q(pk__in=owned) | Q(pk__in=with_tasks)).select_related("campaign", "unit", "owner")


def plan_or_404(access: Access, plan_id: int) -> tuple[Plan, bool]:
    plan = Plan.objects.select_related("campaign__framework", "unit", "owner").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    owner = is_owner(access, plan)
    if not owner and not Task.objects.filter(_agency_units(access), plan=plan).exists():
        raise Http404
    return plan, owner


def tasks_for(access: Access, plan: Plan, owner: bool):
    tasks = Task.objects.filter(plan=plan).select_related("lead").prefetch_related("partners")
    if not owner:
        tasks = tasks.filter(_agency_units(access)).distinct()
    return tasks


def task_roles(access: Access, task: Task, owner: bool) -> set[str]:
    """OWNER for the plan's owner; LEAD for the lead agency's editors; 'partner' for anybody of the
    lead or a coordinating agency (they report progress and comment)."""
    roles: set[str] = set()
    if owner:
        roles.add(OWNER)
    lead_roles = access.unit_roles(None, task.lead)
    if lead_roles & UNIT_EDITORS:
        roles.add(LEAD)
    if lead_roles or any(access.unit_roles(None, p) for p in task.partners.all()):
        roles.add("agency")
    return roles


def task_or_404(access: Access, plan_id: int, task_id: int) -> tuple[Task, set[str]]:
    """Another agency's task answers 404."""
    plan, owner = plan_or_404(access, plan_id)
    task = Task.objects.select_related("plan__campaign", "plan__owner", "plan__unit", "lead").filter(
        plan=plan, pk=task_id).first()
    if task is None:
        raise Http404
    roles = task_roles(access, task, owner)
    if not roles:
        raise Http404
    return task, roles


STATUS_ORDER = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, OVERDUE]


def status_label(key: str) -> str:
    return str(OVERDUE_LABEL) if key == OVERDUE else str(Status(key).label)


@dataclass
class Dashboard:
    counts: list[tuple[str, str, int]]
    by_agency: list[tuple[Unit, list[int], int]]
    overdue: list[Task]
    target_total: float | None
    current_total: float | None
    published_total: float | None
    max_total: float | None
    tasks: list[Task] = field(default_factory=list)


def dashboard(plan: Plan, tasks: list[Task]) -> Dashboard:
    """Tasks by status and lead agency, what is overdue, the target total against the current
    estimate (the unit's verified score in the campaign now)."""
    from dti.published.models import PublishedResult
    from dti.results.selectors import campaign_scores

    counts = Counter(t.shown_status for t in tasks)
    agencies: dict[int, tuple[Unit, Counter]] = {}
    for task in tasks:
        agencies.setdefault(task.lead_id, (task.lead, Counter()))[1][task.shown_status] += 1
    by_agency = sorted(((unit, [c[k] for k in STATUS_ORDER], sum(c.values())) for unit, c in agencies.values()),
                       key=lambda row: (-row[2], row[0].name))
    scores = campaign_scores(plan.campaign)
    position = scores.index.get(plan.unit.code)
    current = maximum = None
    if position is not None:
        current = float(scores.verified.total[position])
        maximum = float(scores.verified.max[position])
    published = PublishedResult.objects.filter(campaign=plan.campaign, unit=plan.unit).values_list(
        "total", flat=True).first()
    # target: the score when the plan was made, plus what every task means to add on its indicator
    target = None
    baseline = plan.baseline_total if plan.baseline_total is not None else current
    if baseline is not None:
        target = baseline + sum(max((t.target_score or 0) - (t.points_now or 0), 0.0) for t in tasks
                               if t.target_score is not None)
    return Dashboard(
        counts=[(k, status_label(k), counts.get(k, 0)) for k in STATUS_ORDER],
        by_agency=by_agency,
        overdue=[t for t in tasks if t.is_overdue()],
        target_total=target, current_total=current, published_total=published, max_total=maximum, tasks=tasks,
    )
