from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dti.accounts.selectors import access_for
from dti.campaigns.selectors import campaigns_visible
from dti.engine.readings import declared_readings
from dti.engine.validate import validate_framework

from . import selectors, services
from .models import FrameworkVersion
from .yaml_lines import check_lines


class FrameworkForm(forms.Form):
    yaml_file = forms.FileField(label=gettext_lazy("Tệp YAML"), required=False)
    # Not stripped: problems are reported by line, so the lines must stay where the person sees them.
    yaml_text = forms.CharField(label=gettext_lazy("hoặc dán nội dung YAML"), required=False, strip=False,
                                widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "mono"}))

    def clean(self):
        data = super().clean()
        upload = data.get("yaml_file")
        if upload:
            if upload.size > 5 * 1024 * 1024:
                raise ValidationError(_("Tệp quá lớn (tối đa 5 MB)"))
            try:
                data["yaml_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("Tệp phải được lưu với mã UTF-8")) from None
        if not (data.get("yaml_text") or "").strip():
            raise ValidationError(_("Chọn tệp hoặc dán nội dung YAML"))
        return data


def _version_or_404(pk: int) -> FrameworkVersion:
    version = FrameworkVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


@login_required
def framework_list(request):
    return render(request, "methodologies/list.html", {"versions": selectors.versions()})


@login_required
def detail(request, pk: int):
    version = _version_or_404(pk)
    compiled = selectors.compiled_for(version)
    report = validate_framework(compiled)
    level = request.GET.get("level") or compiled.framework.level_codes[0]
    if level not in compiled.framework.level_codes:
        raise Http404
    layout = selectors.form_layout(version, level)
    return render(request, "methodologies/detail.html", {
        "version": version, "framework": compiled.framework, "report": report, "layout": layout, "level": level,
        # Only the campaigns this person may open: a link to another's would answer 404.
        "campaigns": campaigns_visible(access_for(request)).filter(framework=version), "others": FrameworkVersion.objects.filter(code=version.code).exclude(pk=pk),
        "framework_has_inferences": selectors.has_inferences(compiled.written),
        "readings": declared_readings(compiled.written),
    })


@login_required
def yaml_text(request, pk: int):
    version = _version_or_404(pk)
    response = HttpResponse(version.yaml_text, content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.code}-{version.revision}.yaml"'
    return response


def _annotated(text: str, problems) -> list[dict]:
    """The problem lines with one line of context either side, each problem under its line."""
    lines = text.splitlines()
    by_line: dict[int, list] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    wanted = sorted({n for line in by_line if line for n in range(line - 1, line + 2) if 1 <= n <= len(lines)})
    shown, previous = [], 0
    for number in wanted:
        shown.append({"number": number, "text": lines[number - 1], "gap": previous and number != previous + 1,
                      "problems": by_line.get(number, [])})
        previous = number
    return shown


def _save(request, form, derived_from=None):
    text = form.cleaned_data["yaml_text"]
    checked = check_lines(text)
    if not checked.ok:
        errors = [p for p in checked.problems if p.severity == "error"]
        form.add_error(None, ngettext("Bộ chỉ số có %(n)d lỗi; chưa lưu gì. Xem các dòng được đánh dấu.",
                                      "Bộ chỉ số có %(n)d lỗi; chưa lưu gì. Xem các dòng được đánh dấu.",
                                      len(errors)) % {"n": len(errors)})
        return checked.problems
    try:
        version = services.create_version(text, user=request.user, derived_from=derived_from)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return []
    messages.success(request, _("Đã lưu bộ chỉ số %(code)s, bản %(rev)d.") % {"code": version.code, "rev": version.revision})
    return redirect("methodologies:detail", version.pk)


def _editor(request, form, title, base=None, problems=()):
    text = form.data.get("yaml_text", "") if form.is_bound else form.initial.get("yaml_text", "")
    if form.is_bound and getattr(form, "cleaned_data", None) and form.cleaned_data.get("yaml_text"):
        text = form.cleaned_data["yaml_text"]  # an uploaded file's text goes into the editor
    problems = list(problems)
    return render(request, "methodologies/form.html", {
        "form": form, "title": title, "base": base, "text": text, "problems": problems,
        "problem_lines": sorted({p.line for p in problems if p.line}), "annotated": _annotated(text, problems),
        "line_count": max(1, len(text.splitlines())),
    })


@login_required
def create(request):
    if not access_for(request).is_global_admin:
        raise PermissionDenied
    form = FrameworkForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        outcome = _save(request, form)
        if not isinstance(outcome, list):
            return outcome
        problems = outcome
    return _editor(request, form, _("Thêm bộ chỉ số"), problems=problems)


@login_required
def new_version(request, pk: int):
    if not access_for(request).is_global_admin:
        raise PermissionDenied
    base = _version_or_404(pk)
    form = FrameworkForm(request.POST or None, request.FILES or None, initial={"yaml_text": base.yaml_text})
    problems = []
    if request.method == "POST" and form.is_valid():
        outcome = _save(request, form, derived_from=base)
        if not isinstance(outcome, list):
            return outcome
        problems = outcome
    return _editor(request, form, _("Phiên bản mới của %(code)s") % {"code": base.code}, base=base, problems=problems)


FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "framework-format.md"


@login_required
def format_help(request):
    """The file format's documentation (docs/framework-format.md), served by the application."""
    from markdown_it import MarkdownIt

    try:
        source = FORMAT_DOC.read_text(encoding="utf-8")
    except OSError:
        raise Http404 from None
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(source)
    return render(request, "methodologies/format.html", {"body": mark_safe(html)})  # noqa: S308 (raw HTML disabled)
