"""Accounts → API tokens: a person creates (secret shown once) and revokes their tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dti.accounts.selectors import access_for
from dti.organisations.models import Unit

from . import services
from .selectors import token_of, tokens_of


class PersonalTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên gợi nhớ"), max_length=100,
                           help_text=gettext_lazy("Ví dụ: “Báo cáo Excel của phòng”"))
    write = forms.BooleanField(label=gettext_lazy("Cho phép ghi số liệu và chuyển trạng thái hồ sơ"), required=False)


class ServiceTokenForm(forms.Form):
    platform = forms.CharField(label=gettext_lazy("Nền tảng"), max_length=100,
                               help_text=gettext_lazy("Ví dụ: Hue-S, IOC, Cổng dịch vụ công"))
    # A declared field (the form's metaclass takes it out of the class), not Form.fields.
    fields = forms.CharField(label=gettext_lazy("Các trường được ghi"), max_length=5000,  # type: ignore[assignment]
                             help_text=gettext_lazy("Mã trường, cách nhau bởi dấu phẩy (ví dụ 2.1.a, 2.1.b)"))
    units = forms.CharField(label=gettext_lazy("Các đơn vị"), max_length=5000,
                            help_text=gettext_lazy("Mã đơn vị, cách nhau bởi dấu phẩy"))

    def clean_units(self):
        codes = [c.strip() for c in self.cleaned_data["units"].split(",") if c.strip()]
        found = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in found})
        if missing:
            raise ValidationError(_("Không có đơn vị: %(c)s") % {"c": ", ".join(missing)})
        return found


@login_required
def token_list(request):
    personal, service, secret = PersonalTokenForm(prefix="p"), ServiceTokenForm(prefix="s"), None
    is_admin = access_for(request).is_admin
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "service" and is_admin:
                service = ServiceTokenForm(request.POST, prefix="s")
                if service.is_valid():
                    data = service.cleaned_data
                    fields = [f.strip() for f in data["fields"].split(",")]
                    _token, secret = services.create_service_token(
                        request.user, name=data["platform"], platform=data["platform"], fields=fields,
                        units=data["units"])
            else:
                personal = PersonalTokenForm(request.POST, prefix="p")
                if personal.is_valid():
                    _token, secret = services.create_personal_token(request.user, name=personal.cleaned_data["name"],
                                                                    write=personal.cleaned_data["write"])
        except ValidationError as exc:
            (service if request.POST.get("kind") == "service" else personal).add_error(None, exc)
        except PermissionDenied as exc:
            service.add_error(None, str(exc))
        if secret:
            personal = PersonalTokenForm(prefix="p")
    return render(request, "api/tokens.html", {
        "tokens": tokens_of(request.user), "personal": personal, "service": service, "secret": secret,
        "is_admin": is_admin,
    })


@login_required
@require_POST
def revoke(request, pk: int):
    token = token_of(request.user, pk)
    if token is None:
        raise Http404
    services.revoke_token(token, user=request.user)
    messages.success(request, _("Đã thu hồi mã %(p)s…; mọi yêu cầu dùng mã này bị từ chối từ bây giờ.")
                     % {"p": token.prefix})
    return redirect("api_tokens:list")
