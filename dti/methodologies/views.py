from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dti.accounts.selectors import access_for
from dti.engine.readings import declared_readings
from dti.engine.validate import validate_framework

from . import selectors, services
from .models import FrameworkVersion


class FrameworkForm(forms.Form):
    yaml_file = forms.FileField(label=gettext_lazy("Tệp YAML"), required=False)
    yaml_text = forms.CharField(label=gettext_lazy("hoặc dán nội dung YAML"), required=False,
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
        "campaigns": version.campaigns.all(), "others": FrameworkVersion.objects.filter(code=version.code).exclude(pk=pk),
        "framework_has_inferences": selectors.has_inferences(compiled.written),
        "readings": declared_readings(compiled.written),
    })


@login_required
def yaml_text(request, pk: int):
    version = _version_or_404(pk)
    response = HttpResponse(version.yaml_text, content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{version.code}-{version.revision}.yaml"'
    return response


def _save(request, form, derived_from=None):
    try:
        version = services.create_version(form.cleaned_data["yaml_text"], user=request.user, derived_from=derived_from)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    messages.success(request, _("Đã lưu bộ chỉ số %(code)s, bản %(rev)d.") % {"code": version.code, "rev": version.revision})
    return redirect("methodologies:detail", version.pk)


@login_required
def create(request):
    if not access_for(request).is_global_admin:
        raise PermissionDenied
    form = FrameworkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form)
        if response:
            return response
    return render(request, "methodologies/form.html", {"form": form, "title": _("Thêm bộ chỉ số")})


@login_required
def new_version(request, pk: int):
    if not access_for(request).is_global_admin:
        raise PermissionDenied
    base = _version_or_404(pk)
    form = FrameworkForm(request.POST or None, request.FILES or None, initial={"yaml_text": base.yaml_text})
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, derived_from=base)
        if response:
            return response
    return render(request, "methodologies/form.html", {
        "form": form, "title": _("Phiên bản mới của %(code)s") % {"code": base.code}, "base": base,
    })
