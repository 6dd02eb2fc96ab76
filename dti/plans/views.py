"""Plan pages: list, draft (one step, confirmed), dashboard, tasks, follow-up, exports.

Visibility: the owner (assessment administrator over the plan's owner unit) sees everything;
an agency's people see the plan and only their own tasks (led or coordinated); another agency's
task answers 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.selectors import access_for
from dti.organisations.models import Unit
from dti.site.shortcuts import ADMINS, campaign_or_404, campaign_roles
from dti.site.text import normalise
from dti.submissions.evidence import ACCEPT, EvidenceRejected

from . import workflow
from .exports import plan_docx, plan_xlsx
from .models import ProgressEvidence
from .selectors import dashboard, plan_or_404, plans_visible, task_or_404, tasks_for
from .services import StaleTask, add_comment, add_progress, add_task, create_plan, draft_tasks, update_task

TEXT_LIMIT = 5000


class DraftForm(forms.Form):
    name = forms.CharField(max_length=300, label=gettext_lazy("Tên kế hoạch"))
    decision = forms.CharField(max_length=200, required=False, label=gettext_lazy("Số quyết định / kế hoạch"))
    owner = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Cơ quan theo dõi kế hoạch"))
    minimum_gain = forms.DecimalField(min_value=0, max_digits=6, decimal_places=2, initial=0.5, localize=True,
                                      label=gettext_lazy("Chỉ giao nhiệm vụ cho chỉ số được thêm ít nhất (điểm)"))

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Unit.objects.filter(pk__in=[u.pk for u in owners])


class TaskForm(forms.Form):
    title = forms.CharField(max_length=500, label=gettext_lazy("Nhiệm vụ"))
    lead = forms.ModelChoiceField(queryset=Unit.objects.filter(active=True), label=gettext_lazy("Cơ quan chủ trì"))
    partners = forms.ModelMultipleChoiceField(queryset=Unit.objects.filter(active=True), required=False,
                                              label=gettext_lazy("Cơ quan phối hợp"))
    deadline = forms.DateField(required=False, label=gettext_lazy("Thời hạn"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                               help_text=gettext_lazy("dd/mm/yyyy; để trống nếu thực hiện thường xuyên"))
    target_score = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2, localize=True,
                                      label=gettext_lazy("Điểm mục tiêu"))
    updated = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_target_score(self):
        value = self.cleaned_data["target_score"]
        maximum = self.task.max_points if self.task is not None else None
        if value is not None and maximum is not None and float(value) > maximum:
            raise forms.ValidationError(_("Điểm mục tiêu không thể lớn hơn điểm tối đa %(max)s.") % {"max": maximum})
        return value


class NewTaskForm(TaskForm):
    code = forms.ChoiceField(label=gettext_lazy("Chỉ số hoặc chỉ số chính"))

    field_order = ["code", "title", "lead", "partners", "deadline", "target_score"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        from dti.methodologies.selectors import compiled_for

        compiled = compiled_for(plan.campaign.framework, plan.campaign.readings)
        self.nodes = compiled.nodes
        self.level = plan.unit.level_id
        self.fields["code"].choices = [(node.code, f"{node.code} {'  ' * depth}{node.name}"[:150])
                                       for node, depth in _walk_depth(compiled.framework)
                                       if self.level in compiled.nodes[node.code].levels]
        del self.fields["updated"]

    def clean_target_score(self):
        value = self.cleaned_data["target_score"]
        code = self.data.get("code")
        maximum = self.nodes[code].max_by_level.get(self.level) if code in self.nodes else None
        if value is not None and maximum is not None and float(value) > maximum:
            raise forms.ValidationError(_("Điểm mục tiêu không thể lớn hơn điểm tối đa %(max)s.") % {"max": maximum})
        return value


def _walk_depth(framework):
    depth: dict[str, int] = {}
    for node, parent in framework.walk():
        depth[node.code] = 0 if parent is None else depth[parent.code] + 1
        yield node, depth[node.code]


@login_required
def task_new(request, plan_id: int):
    """The owner adds a task by hand: an indicator, or a whole pillar."""
    plan, owner = plan_or_404(access_for(request), plan_id)
    if not owner:
        raise PermissionDenied
    form = NewTaskForm(request.POST or None, plan=plan, initial={"lead": plan.owner})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        task = add_task(plan, user=request.user, code=data["code"], title=normalise(data["title"]), lead=data["lead"],
                        partners=list(data["partners"]), deadline=data["deadline"],
                        target_score=float(data["target_score"]) if data["target_score"] is not None else None)
        messages.success(request, _("Đã thêm nhiệm vụ."))
        return redirect("plans:task", plan.pk, task.pk)
    return render(request, "plans/task_new.html", {"plan": plan, "form": form})


@login_required
def task_edit(request, plan_id: int, task_id: int):
    """The owner corrects a task: agencies, deadline, target (a stale page is refused)."""
    task, roles = task_or_404(access_for(request), plan_id, task_id)
    if workflow.OWNER not in roles:
        raise PermissionDenied
    initial = {"title": task.title, "lead": task.lead, "partners": list(task.partners.all()),
               "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
               "target_score": task.target_score, "updated": task.updated_at.isoformat()}
    form = TaskForm(request.POST or None, initial=initial, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_task(task, user=request.user, shown_updated_at=data["updated"], title=normalise(data["title"]),
                        lead=data["lead"], partners=list(data["partners"]), deadline=data["deadline"],
                        target_score=float(data["target_score"]) if data["target_score"] is not None else None)
        except StaleTask as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect("plans:task", plan_id, task_id)
    return render(request, "plans/task_edit.html", {"task": task, "plan": task.plan, "form": form})


@login_required
def plan_list(request):
    plans = list(plans_visible(access_for(request)))
    return render(request, "plans/list.html", {"plans": plans})


@login_required
def draft_view(request, campaign_id: int, unit_code: str):
    """The draft plan in one step: a preview of every task, created only on confirmation."""
    campaign = campaign_or_404(request, campaign_id)
    if not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied
    unit = Unit.objects.filter(code=unit_code, submissions__campaign=campaign).first()
    if unit is None:
        raise Http404
    access = access_for(request)
    owners = [u for u in Unit.objects.filter(level__code="so").order_by("name") if access.can_manage_unit(u)]
    if campaign.lead_unit and access.can_manage_unit(campaign.lead_unit) and campaign.lead_unit not in owners:
        owners.insert(0, campaign.lead_unit)
    initial_owner = next((u for u in owners if "thông tin và truyền thông" in u.name.lower()), owners[0] if owners else None)
    form = DraftForm(request.POST or None, owners=owners, initial={
        "name": _("Kế hoạch nâng cao Chỉ số chuyển đổi số của %(unit)s năm %(year)s") % {
            "unit": unit.name, "year": campaign.year + 1},
        "owner": initial_owner})
    minimum = 0.5
    if form.is_bound and form.is_valid():
        minimum = float(form.cleaned_data["minimum_gain"])
    owner = form.cleaned_data["owner"] if form.is_bound and form.is_valid() else initial_owner
    if owner is None:
        raise PermissionDenied
    drafts, baseline = draft_tasks(campaign, unit, owner, minimum_gain=minimum)
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "1":
        if not drafts:
            form.add_error(None, _("Không có chỉ số nào được thêm từ %(n)s điểm trở lên: chưa có nhiệm vụ để giao.")
                           % {"n": minimum})
        else:
            plan = create_plan(campaign, unit, owner, user=request.user, name=normalise(form.cleaned_data["name"]),
                               decision=normalise(form.cleaned_data["decision"]), drafts=drafts,
                               baseline_total=baseline)
            messages.success(request, _("Đã lập kế hoạch với %(n)d nhiệm vụ.") % {"n": len(drafts)})
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/draft.html", {
        "campaign": campaign, "unit": unit, "form": form, "drafts": drafts, "baseline": baseline,
        "unmatched": sum(1 for d in drafts if d.lead == owner and owner.name not in d.agencies_text),
    })


@login_required
def plan_detail(request, plan_id: int):
    access = access_for(request)
    plan, owner = plan_or_404(access, plan_id)
    tasks = list(tasks_for(access, plan, owner))
    status = request.GET.get("status", "")
    board = dashboard(plan, tasks) if owner else None
    shown = [t for t in tasks if not status or t.shown_status == status]
    return render(request, "plans/detail.html", {
        "plan": plan, "owner": owner, "tasks": shown, "board": board, "status": status,
    })


def _task_context(request, task, roles, **extra):
    return {
        "task": task, "plan": task.plan, "roles": roles,
        "transitions": workflow.available(task, roles),
        "reports": task.reports.select_related("author", "agency").prefetch_related("evidence"),
        "comments": task.comments.select_related("author"),
        "accept": ACCEPT, "can_report": bool(roles), **extra,
    }


@login_required
def task_detail(request, plan_id: int, task_id: int):
    task, roles = task_or_404(access_for(request), plan_id, task_id)
    return render(request, "plans/task.html", _task_context(request, task, roles))


@login_required
def task_transition(request, plan_id: int, task_id: int, name: str):
    if request.method != "POST":
        raise Http404
    task, roles = task_or_404(access_for(request), plan_id, task_id)
    if name not in workflow.TRANSITIONS:
        raise Http404
    step = workflow.TRANSITIONS[name]
    if not step.roles & roles:
        raise PermissionDenied
    try:
        workflow.run(task, name, user=request.user, roles=roles, expected=request.POST.get("status") or None)
        messages.success(request, str(step.done))
    except workflow.TaskError as exc:
        messages.error(request, str(exc))
    return redirect("plans:task", plan_id, task_id)


def _text(request, name: str) -> tuple[str, str | None]:
    text = normalise(request.POST.get(name, ""))
    if not text.strip():
        return text, _("Cần nhập nội dung.")
    if len(text) > TEXT_LIMIT:
        return text, _("Nội dung dài quá %(n)d ký tự.") % {"n": TEXT_LIMIT}
    return text, None


@login_required
def task_progress(request, plan_id: int, task_id: int):
    if request.method != "POST":
        raise Http404
    task, roles = task_or_404(access_for(request), plan_id, task_id)
    text, error = _text(request, "text")
    if error is None:
        try:
            add_progress(task, user=request.user, text=text, files=request.FILES.getlist("files"))
        except EvidenceRejected as exc:
            error = str(exc)
        else:
            messages.success(request, _("Đã gửi báo cáo tiến độ."))
            return redirect("plans:task", plan_id, task_id)
    return render(request, "plans/task.html", _task_context(request, task, roles, progress_text=text,
                                                            progress_error=error), status=400)


@login_required
def task_comment(request, plan_id: int, task_id: int):
    if request.method != "POST":
        raise Http404
    task, roles = task_or_404(access_for(request), plan_id, task_id)
    text, error = _text(request, "comment")
    if error is None:
        add_comment(task, user=request.user, text=text)
        messages.success(request, _("Đã gửi ý kiến."))
        return redirect("plans:task", plan_id, task_id)
    return render(request, "plans/task.html", _task_context(request, task, roles, comment_text=text,
                                                            comment_error=error), status=400)


@login_required
def evidence_file(request, plan_id: int, task_id: int, pk: int):
    task, _roles = task_or_404(access_for(request), plan_id, task_id)
    item = ProgressEvidence.objects.filter(progress__task=task, pk=pk).first()
    if item is None or not item.file.name or not item.file.storage.exists(item.file.name):
        raise Http404
    try:
        handle = item.file.open("rb")
    except OSError:
        raise Http404 from None
    inline = item.kind in ("pdf", "image") and request.GET.get("download") != "1"
    response = FileResponse(handle, content_type=item.content_type, as_attachment=not inline,
                            filename=item.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request, plan_id: int):
    access = access_for(request)
    plan, owner = plan_or_404(access, plan_id)
    return plan, list(tasks_for(access, plan, owner))


@login_required
def export_xlsx(request, plan_id: int):
    plan, tasks = _export(request, plan_id)
    response = HttpResponse(plan_xlsx(plan, tasks),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{plan.pk}.xlsx"'
    return response


@login_required
def export_docx(request, plan_id: int):
    plan, tasks = _export(request, plan_id)
    response = HttpResponse(plan_docx(plan, tasks),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{plan.pk}.docx"'
    return response
