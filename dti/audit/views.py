from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dti.site.shortcuts import submission_or_404
from dti.site.text import query_param

from .selectors import submission_trail

ACTIONS = {
    "value.change": _("Sửa số liệu"),
    "value.verify": _("Thẩm định số liệu"),
    "note.change": _("Sửa thuyết minh"),
    "evidence.add": _("Thêm tài liệu"),
    "evidence.delete": _("Xóa tài liệu"),
    "submission.state": _("Chuyển trạng thái"),
    "review.accept": _("Chấp nhận"),
    "review.adjust": _("Điều chỉnh"),
    "review.return": _("Trả lại"),
    "review.answer": _("Giải trình"),
}


@login_required
def trail(request, campaign_id: int, unit_code: str):
    submission, _roles = submission_or_404(request, campaign_id, unit_code)
    indicator, error = query_param(request, "indicator", max_length=100)
    indicator = indicator or None
    events = submission_trail(submission, indicator)
    template = "audit/_trail.html" if request.htmx else "audit/trail.html"
    return render(request, template, {"submission": submission, "campaign": submission.campaign, "unit": submission.unit,
                                      "events": events, "indicator": indicator, "actions": ACTIONS,
                                      "query_error": error})
