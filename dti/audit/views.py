from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dti.site.shortcuts import submission_or_404
from dti.site.text import query_param

from .exports import trail_xlsx
from .selectors import TrailFilter, Words, filtered_trail, trail_indicators, trail_people

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # what <input type=date> sends; what people type


def _date(request, name: str, errors: dict[str, str]) -> tuple[str, dt.date | None]:
    typed, error = query_param(request, name, max_length=20)
    if error:
        errors[name] = error
        return "", None
    if not typed:
        return "", None
    for fmt in DATE_FORMATS:
        try:
            return typed, dt.datetime.strptime(typed, fmt).date()
        except ValueError:
            continue
    errors[name] = _("“%(typed)s” không phải một ngày (dd/mm/yyyy).") % {"typed": typed}
    return typed, None


def _filter(request, submission) -> tuple[TrailFilter, dict, dict[str, str]]:
    """The validated filter, what the form shows back, and a message per bad parameter (that filter is ignored)."""
    errors: dict[str, str] = {}
    indicator, error = query_param(request, "indicator", max_length=100)
    if error:
        errors["indicator"] = error
    person, error = query_param(request, "person", max_length=20)
    user_id = None
    if error:
        errors["person"] = error
    elif person:
        if person.isdigit() and int(person) in {pk for pk, _name in trail_people(submission)}:
            user_id = int(person)
        else:
            errors["person"] = _("Không có người này trong nhật ký của hồ sơ.")
            person = ""
    since_typed, since = _date(request, "from", errors)
    until_typed, until = _date(request, "to", errors)
    if since and until and since > until:
        errors["to"] = _("Ngày kết thúc trước ngày bắt đầu.")
        until = None
    shown = {"indicator": indicator, "person": person, "from": since.isoformat() if since else since_typed,
             "to": until.isoformat() if until else until_typed}
    return TrailFilter(indicator, user_id, since, until), shown, errors


@login_required
def trail(request, campaign_id: int, unit_code: str):
    submission, _roles = submission_or_404(request, campaign_id, unit_code)
    flt, shown, errors = _filter(request, submission)
    words = Words(submission)
    lines = [words.line(e) for e in filtered_trail(submission, flt)]
    context = {"submission": submission, "campaign": submission.campaign, "unit": submission.unit, "lines": lines,
               "indicator": words.printed_code(flt.indicator) if flt.indicator else None, "shown": shown,
               "errors": errors,
               "query_error": errors.get("indicator", ""), "query": request.GET.urlencode()}
    if request.htmx:
        return render(request, "audit/_trail.html", context)
    context.update(people=trail_people(submission),
                   indicators=[(code, words.printed_code(code)) for code in trail_indicators(submission)],
                   filtered=any(shown.values()))
    return render(request, "audit/trail.html", context)


@login_required
def export(request, campaign_id: int, unit_code: str):
    submission, _roles = submission_or_404(request, campaign_id, unit_code)
    flt, _shown, _errors = _filter(request, submission)
    words = Words(submission)
    lines = [words.line(e) for e in filtered_trail(submission, flt, limit=100_000)]
    title = _("Nhật ký thay đổi — %(unit)s — %(campaign)s") % {"unit": submission.unit.name,
                                                              "campaign": submission.campaign.name}
    response = HttpResponse(trail_xlsx(lines, title=title),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{submission.unit.code}.xlsx"'
    return response
