"""KPI monitoring pages: the programme's dashboard, a KPI's series, the agencies' reports, import/export.

Visibility follows the campaigns' rule: a programme, report or KPI the person holds no role
over answers 404; a visible page with a forbidden action answers 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dti.accounts.models import ADMINS, REVIEWERS, UNIT_EDITORS, Role
from dti.accounts.selectors import access_for
from dti.audit.models import AuditEvent
from dti.campaigns.selectors import entry_deadline, today
from dti.engine import kpi as engine
from dti.methodologies.selectors import compiled_for
from dti.site.text import normalise
from dti.submissions import services as entry
from dti.submissions import workflow
from dti.submissions.models import State
from dti.submissions.selectors import evidence_map, notes_map, values_map

from . import charts, imports, selectors, services
from .models import Direction, KpiSetting


def _programme(request, pk: int):
    programme = selectors.get_programme(access_for(request), pk)
    if programme is None:
        raise Http404
    return programme


def _is_owner(request, programme) -> bool:
    """The programme owner: a system admin, or an assessment admin over the owner unit."""
    access = access_for(request)
    return access.is_system_admin or access.can_manage_unit(programme.owner)


def _require_owner(request, programme) -> None:
    if not _is_owner(request, programme):
        raise PermissionDenied


@login_required
def programme_list(request):
    return render(request, "kpi/list.html", {"programmes": selectors.programmes_visible(access_for(request)),
                                             "may_create": access_for(request).is_admin})


@login_required
def create(request):
    """A programme: its framework's KPIs, each with a frequency, a direction and the agencies
    (unit codes) that send its figures; what was typed is kept when something is refused."""
    from dti.methodologies.models import FrameworkVersion
    from dti.organisations.models import Unit

    access = access_for(request)
    if not access.is_admin:
        raise PermissionDenied
    frameworks = [f for f in FrameworkVersion.objects.defer("yaml_text").order_by("code", "-revision")
                  if f.derived_from_id is None and not compiled_for(f).framework.scored]
    chosen = next((f for f in frameworks if str(f.pk) == request.POST.get("framework", request.GET.get("framework"))), None)
    rows, errors = [], []
    if chosen is not None:
        for leaf in compiled_for(chosen).leaves:
            rows.append({"code": leaf.code, "name": leaf.indicator.name, "source": leaf.indicator.responsible or "",
                         "frequency": request.POST.get(f"freq:{leaf.code}", "quarter"),
                         "direction": request.POST.get(f"dir:{leaf.code}", "higher"),
                         "agencies": normalise(request.POST.get(f"ag:{leaf.code}", ""))[:2000]})
    if request.method == "POST" and chosen is not None and request.POST.get("save"):
        owner = Unit.objects.filter(code=normalise(request.POST.get("owner", ""))).first()
        if owner is None or not (access.is_system_admin or access.can_manage_unit(owner)):
            errors.append(_("Cơ quan chủ trì: mã đơn vị không có hoặc bạn không quản trị đơn vị đó."))
        try:
            first_year = int(request.POST.get("first_year", ""))
        except ValueError:
            first_year = 0
            errors.append(_("Năm bắt đầu theo dõi phải là số (ví dụ 2024)."))
        units = {u.code: u for u in Unit.objects.filter(active=True)}
        kpis = {}
        for row in rows:
            codes = [c.strip() for c in row["agencies"].replace(";", ",").split(",") if c.strip()]
            if not codes:
                continue  # not watched in this programme
            unknown = [c for c in codes if c not in units]
            if unknown:
                errors.append(_("Chỉ số %(k)s: không có đơn vị mã %(u)s") % {"k": row["code"], "u": ", ".join(unknown)})
                continue
            kpis[row["code"]] = {"frequency": row["frequency"], "direction": row["direction"],
                                 "agencies": [units[c] for c in codes]}
        if not kpis and not errors:
            errors.append(_("Cần ít nhất một chỉ số có cơ quan cung cấp số liệu."))
        if not errors:
            try:
                programme = services.create_programme(
                    name=request.POST.get("name", ""), framework=chosen, owner=owner, first_year=first_year, kpis=kpis,
                    user=request.user)
                services.open_due_periods(programme, today=today(), user=request.user)
                messages.success(request, _("Đã tạo chương trình và mở các kỳ báo cáo đến kỳ hiện tại."))
                return redirect("kpi:dashboard", programme.pk)
            except ValidationError as exc:
                errors.extend(exc.messages)
    return render(request, "kpi/create.html", {
        "frameworks": frameworks, "chosen": chosen, "rows": rows, "errors": errors, "post": request.POST,
        "frequencies": list(engine.FREQUENCY_LABELS.items()), "directions": Direction.choices,
    }, status=400 if errors else 200)


def _card(item: selectors.KpiSeries):
    last = item.last
    return {"kpi": item, "last": last, "spark": charts.sparkline(item.points),
            "status": item.status, "status_label": engine.STATUS_LABELS[item.status],
            "target": item.targets.get(last.period.year) if last else None}


def _fragment(key: str, build):
    """A rendered part of a page that is the same for everybody who may open it, cached per
    process under a key carrying the programme's version (so never stale) and the language."""
    key = f"{key}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, 3600)
    return mark_safe(found)  # rendered from our own templates, escaped there


@login_required
def dashboard(request, pk: int):
    programme = _programme(request, pk)
    now = today()
    version = selectors.programme_version(programme, extensions=True)

    def build():
        data = selectors.programme_data(programme, version)
        layers: list[dict] = []  # lớp → nhóm → cards, in the framework's order
        for item in data.kpis:
            layer_code, layer_name = item.groups[0] if item.groups else ("", "")
            group_code, group_name = item.groups[1] if len(item.groups) > 1 else ("", "")
            if not layers or layers[-1]["code"] != layer_code:
                layers.append({"code": layer_code, "name": layer_name, "groups": []})
            groups = layers[-1]["groups"]
            if not groups or groups[-1]["code"] != group_code:
                groups.append({"code": group_code, "name": group_name, "cards": []})
            groups[-1]["cards"].append(_card(item))
        return render_to_string("kpi/_dashboard_body.html", {
            "programme": programme, "layers": layers, "counts": data.counts(), "total": len(data.kpis),
            "trends": data.trends(), "late": selectors.late_agencies(programme, today=now)[:15],
        })

    body = _fragment(f"kpi-dash:{programme.pk}:{':'.join(map(str, version))}:{now}", build)
    access = access_for(request)
    mine = access.unit_filter("unit__", roles=UNIT_EDITORS)
    my_reports = []
    if mine is not None and access.has_role(*UNIT_EDITORS):
        my_reports = [r for r in selectors.reports(programme, today=now, unit_filter=mine)
                      if r.state in selectors.OPEN_STATES and r.period.start <= now][:20]
    return render(request, "kpi/dashboard.html", {
        "programme": programme, "body": body, "is_owner": _is_owner(request, programme), "my_reports": my_reports,
    })


def _history(programme, code: str, limit: int = 30):
    """The KPI's latest changes: figures, notes, evidence and review in its periods, and its targets."""
    campaign_ids = list(programme.periods.values_list("campaign_id", flat=True))
    setting = KpiSetting.objects.filter(programme=programme, code=code).first()
    events = list(AuditEvent.objects.filter(campaign_id__in=campaign_ids, indicator=code).order_by("-at", "-id")[:limit])
    if setting is not None:
        objects = [str(setting.pk)] + [str(t) for t in setting.targets.values_list("pk", flat=True)]
        events += list(AuditEvent.objects.filter(action__in=["kpi.target", "kpi.baseline", "kpi.direction"], indicator=code,
                                                 object_id__in=objects).order_by("-at", "-id")[:limit])
    events.sort(key=lambda e: (e.at, e.id), reverse=True)
    periods = dict(programme.periods.values_list("campaign_id", "period"))
    return [{"event": e, "period": engine.parse_period(periods[e.campaign_id]).label if e.campaign_id in periods else ""}
            for e in events[:limit]]


@login_required
def indicator(request, pk: int, code: str):
    programme = _programme(request, pk)
    version = selectors.programme_version(programme)
    data = selectors.programme_data(programme, version)
    item = data.kpi(code)
    if item is None:
        raise Http404
    chosen = normalise(request.GET.get("period", ""))[:10]
    if not item.sent(chosen):  # the agencies' figures of one period: the latest with data by default
        chosen = str(item.last.period) if item.last else ""

    def build():
        node = compiled_for(programme.framework).nodes[code]
        table = [{"point": p, "label": engine.STATUS_LABELS[p.status], "sent": item.sent(str(p.period))}
                 for p in reversed(item.points)]
        return render_to_string("kpi/_indicator_body.html", {
            "programme": programme, "kpi": item, "chart": charts.series_chart(item.points, unit=item.unit),
            "table": table, "labels": {i.var: i.label for i in node.indicator.inputs}, "chosen": chosen,
            "chosen_label": engine.parse_period(chosen).label if chosen else "",
            "agencies": item.agency_rows(chosen), "total_agencies": len(item.agencies),
            "history": _history(programme, code), "targets": selectors.targets([item.setting_id]),
            "baseline_decision": KpiSetting.objects.filter(pk=item.setting_id).values_list(
                "baseline_decision", flat=True).first(),
        })

    body = _fragment(f"kpi-ind:{programme.pk}:{code}:{chosen}:{':'.join(map(str, version))}", build)
    return render(request, "kpi/indicator.html", {
        "programme": programme, "kpi": item, "body": body, "is_owner": _is_owner(request, programme),
        "directions": Direction.choices, "this_year": today().year,
    })


def _number(text: str, name: str) -> float:
    from dti.engine.data import ValueError_, parse_number

    try:
        return parse_number(normalise(text), vietnamese=False)
    except ValueError_:
        raise ValidationError({name: _("'%(v)s' không phải là số") % {"v": text}}) from None


@login_required
@require_POST
def set_target(request, pk: int, code: str):
    programme = _programme(request, pk)
    _require_owner(request, programme)
    setting = KpiSetting.objects.filter(programme=programme, code=code).first()
    if setting is None:
        raise Http404
    kind = request.POST.get("kind", "target")
    try:
        year = int(request.POST.get("year", ""))
        if not 1990 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.error(request, _("Năm phải là số có 4 chữ số (ví dụ 2025)."))
        return redirect("kpi:indicator", pk, code)
    try:
        if kind == "direction":
            services.set_direction(setting, request.POST.get("direction", ""), user=request.user)
        else:
            value = _number(request.POST.get("value", ""), "value")
            if kind == "baseline":
                services.set_baseline(setting, value=value, year=year, decision=request.POST.get("decision", ""),
                                      user=request.user)
            else:
                services.set_target(setting, year=year, value=value, decision=request.POST.get("decision", ""),
                                    user=request.user)
        messages.success(request, _("Đã lưu."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("kpi:indicator", pk, code)


@login_required
def report_list(request, pk: int):
    programme = _programme(request, pk)
    access = access_for(request)
    now = today()
    rows = selectors.reports(programme, today=now, unit_filter=access.unit_filter("unit__"))
    rows = [r for r in rows if r.period.start <= now]
    late_only = request.GET.get("late") == "1"
    if late_only:
        rows = [r for r in rows if r.late]
    return render(request, "kpi/reports.html", {"programme": programme, "rows": rows[:500], "late_only": late_only,
                                                "count": len(rows)})


def _report(request, pk: int, unit_code: str, period: str):
    """(programme, programme period, submission, roles); 404 unless the person holds a role over the agency."""
    from dti.site.shortcuts import submission_or_404

    programme = _programme(request, pk)
    found = selectors.period_of(programme, period)
    if found is None:
        raise Http404
    submission, roles = submission_or_404(request, found.campaign_id, unit_code)
    return programme, found, submission, roles


@login_required
def report(request, pk: int, unit_code: str, period: str):
    programme, found, submission, roles = _report(request, pk, unit_code, period)
    settings = selectors.unit_kpis(programme, submission.unit, found.frequency)
    codes = {s.code for s in settings}
    outcome = None
    if request.method == "POST":
        if not roles & UNIT_EDITORS:
            raise PermissionDenied
        values = {k[2:]: v for k, v in request.POST.items() if k.startswith("f:") and k[2:].rpartition(".")[0] in codes}
        notes = {k[5:]: v for k, v in request.POST.items() if k.startswith("note:") and k[5:] in codes}
        answers = {k[4:]: v for k, v in request.POST.items() if k.startswith("ans:") and k[4:] in codes}
        originals = {k[2:]: v for k, v in request.POST.items() if k.startswith("o:")}
        files = {k[3:]: request.FILES.getlist(k) for k in request.FILES if k.startswith("ev:") and k[3:] in codes}
        delete = [int(x) for x in request.POST.getlist("del_ev") if x.isdigit()]
        try:
            outcome = entry.save_entry(submission, user=request.user, values=values, notes=notes, answers=answers,
                                       files=files, delete_evidence=delete, originals=originals)
        except entry.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("kpi:report", pk, unit_code, period)
        if not (outcome.conflicts or outcome.rejected or outcome.file_errors):
            if outcome.errors:
                messages.warning(request, _("Đã lưu. %(n)d trường có lỗi, xem thông báo bên cạnh trường.") % {"n": len(outcome.errors)})
            else:
                messages.success(request, _("Đã lưu (%(n)d thay đổi).") % {"n": outcome.changed + outcome.uploaded})
            return redirect("kpi:report", pk, unit_code, period)
        messages.error(request, _("Một số trường chưa lưu (xem bên cạnh trường); những gì bạn nhập vẫn ở trong ô."))
        submission.refresh_from_db()
    deadline = entry_deadline(submission.campaign, submission.unit)
    editable = bool(roles & UNIT_EDITORS) and (
        (submission.state == State.DRAFT and today() <= deadline) or submission.state == State.RETURNED)
    scope = entry.editable_indicators(submission) if editable else set()
    compiled = compiled_for(programme.framework)
    values = values_map(submission)
    notes = notes_map(submission)
    evidence = evidence_map(submission)
    from dti.review.selectors import items_map

    review = items_map(submission)
    kept = outcome.kept_back if outcome else {}
    kpis = []
    the_period = engine.parse_period(period)
    for setting in sorted(settings, key=lambda s: [leaf.code for leaf in compiled.leaves].index(s.code)):
        node = compiled.nodes[setting.code]
        fields: list[dict[str, Any]] = []
        for spec in (compiled.fields[f"{setting.code}.{i.var}"] for i in node.indicator.inputs):
            stored = values.get(spec.name)
            conflict = outcome.conflicts.get(f"f:{spec.name}") if outcome else None
            rejected = outcome.rejected.get(f"f:{spec.name}") if outcome else None
            fields.append({"spec": spec, "raw": kept.get(f"f:{spec.name}", stored.raw if stored else ""),
                           "shown": stored.raw if stored else "", "error": (stored.error if stored else "")
                           or (rejected[1] if rejected else ""), "conflict": conflict,
                           "verified": stored.verified_raw if stored else None})
        inputs = {f["spec"].name.rsplit(".", 1)[1]: (values[f["spec"].name].number if f["spec"].name in values else None)
                  for f in fields}
        rule = node.indicator.rule
        value = engine.kpi_value(getattr(rule, "value", None) or "a", inputs, percent=bool(getattr(rule, "percent", False)))
        kpis.append({"setting": setting, "node": node, "fields": fields, "value": value,
                     "editable": editable and (scope is None or setting.code in scope),
                     "note": kept.get(f"note:{setting.code}", notes.get(setting.code, "")),
                     "review": review.get(setting.code),
                     "answer": kept.get(f"ans:{setting.code}", review[setting.code].answer if setting.code in review else ""),
                     "evidence": evidence.get(setting.code, [])})
    return render(request, "kpi/report.html", {
        "programme": programme, "period": the_period, "submission": submission, "unit": submission.unit, "kpis": kpis,
        "deadline": deadline, "late": submission.state in selectors.OPEN_STATES and deadline < today(),
        "editable": editable, "actions": [t for t in workflow.available(submission, roles) if t.roles & (UNIT_EDITORS | {Role.LEADER})],
        "is_reviewer": bool(roles & REVIEWERS), "revision": workflow.revision(submission),
    }, status=409 if outcome and outcome.conflicts else 200)


@login_required
@require_POST
def report_action(request, pk: int, unit_code: str, period: str, transition: str):
    """One step of the campaigns' transition table (leader approval, submission), back to the report."""
    _programme_, _found, submission, roles = _report(request, pk, unit_code, period)
    step = workflow.TRANSITIONS.get(transition)
    if step is None or transition not in ("leader_approve", "leader_withdraw", "submit", "resubmit"):
        raise Http404
    if not roles & step.roles:
        raise PermissionDenied
    try:
        workflow.run(submission, transition, user=request.user, expected_state=request.POST.get("state") or None,
                     expected_revision=request.POST.get("revision") or None,
                     reason=normalise(request.POST.get("reason", ""))[:2000])
        messages.success(request, str(step.done))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("kpi:report", pk, unit_code, period)


# --------------------------------------------------------------------------- import and export


@login_required
def export(request, pk: int):
    programme = _programme(request, pk)
    kind = request.GET.get("format", "csv")
    content, content_type, extension = imports.export(programme, kind=kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kpi-{programme.pk}-{dt.date.today():%Y%m%d}.{extension}"'
    return response


SESSION_KEY = "kpi-import-%s"


@login_required
def import_series(request, pk: int):
    programme = _programme(request, pk)
    _require_owner(request, programme)
    key = SESSION_KEY % programme.pk
    if request.method == "POST" and request.POST.get("confirm"):
        rows = request.session.pop(key, None)
        if not rows or request.POST.get("token") != rows.get("token"):
            messages.error(request, _("Bản xem trước đã hết hạn hoặc đã được lưu; hãy tải tệp lên lại."))
            return redirect("kpi:import", pk)
        summary = services.apply_import(programme, rows["rows"], user=request.user)
        messages.success(request, _("Đã lưu %(saved)d giá trị; %(conflicts)d giá trị người khác vừa sửa (chưa ghi đè); "
                                    "%(refused)d giá trị không ghi được vì báo cáo đã khóa hoặc quá hạn.") % summary)
        return redirect("kpi:dashboard", pk)
    preview = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chọn tệp CSV hoặc XLSX để nhập."))
        else:
            try:
                preview = imports.preview(programme, upload)
            except imports.ImportProblem as exc:
                messages.error(request, str(exc))
            if preview is not None:
                import secrets

                token = secrets.token_hex(8)
                request.session[key] = {"token": token, "rows": [r.to_dict() for r in preview.rows]}
                preview.token = token
    return render(request, "kpi/import.html", {"programme": programme, "preview": preview,
                                               "admins": bool(access_for(request).roles & ADMINS)})
