from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from dti.audit.services import record

from .forms import OwnPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in person changes their own password; other sessions of theirs end, this one stays."""

    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(self.request.user, "account.password_change", self.request.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
