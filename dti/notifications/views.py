"""The person's notifications and their e-mail choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", {
        "notifications": selectors.notifications_for(request.user),
        "email_enabled": selectors.email_enabled(request.user),
        "has_email": bool(request.user.email),
    })


@login_required
@require_POST
def read_all(request):
    services.mark_read(request.user)
    return redirect("notifications:inbox")


@login_required
@require_POST
def preference(request):
    wanted = request.POST.get("email") == "on"
    services.set_email_preference(request.user, wanted)
    messages.success(request, _("Sẽ gửi thông báo qua thư điện tử.") if wanted
                     else _("Sẽ không gửi thông báo qua thư điện tử; thông báo vẫn hiện ở đây."))
    return redirect("notifications:inbox")
