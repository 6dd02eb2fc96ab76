"""Excel for people: a unit's entry workbook (download, upload, preview, confirm), the same for
many units by the assessment administrator, and the ranking as the decision's result table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dti.accounts.models import ADMINS, UNIT_EDITORS
from dti.accounts.selectors import access_for
from dti.organisations.models import Level
from dti.site.shortcuts import (
    campaign_or_404,
    campaign_roles,
    peers_hidden,
    results_scope,
    scorecard_submission_or_404,
    submission_or_404,
)
from dti.submissions.models import State, Submission
from dti.submissions.services import check_can_edit
from dti.submissions.workflow import WorkflowError
from dti.workbooks import entry
from dti.workbooks import ranking as ranking_book
from dti.workbooks.cells import slug

from . import services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _upload(request) -> tuple[bytes | None, str]:
    """(content, error) of the posted file: only what the page asked for, capped before reading."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, _("Hãy chọn tệp Excel (.xlsx) đã điền.")
    if upload.size > entry.MAX_UPLOAD_BYTES:
        return None, _("Tệp lớn hơn %(n)d MB; hãy tải mẫu mới chỉ cho các đơn vị cần nhập.") % {
            "n": entry.MAX_UPLOAD_BYTES // (1024 * 1024)}
    if not (upload.name or "").lower().endswith(".xlsx"):
        return None, _("Chỉ nhận tệp Excel .xlsx (mẫu tải từ hệ thống). Tệp .xls, .ods hay .csv cần lưu lại dưới "
                       "dạng .xlsx.")
    return upload.read(), ""


def _preview_or_save(request, campaign, submissions, *, level, scope: str, back: str, context: dict):
    """The shared upload flow: POST a file → preview (nothing saved); POST the token → save."""
    status = 200
    if request.method == "POST" and "token" in request.POST:
        try:
            kept, path = services.pending(request.POST["token"], user=request.user, scope=scope)
        except services.Expired:
            messages.error(request, _("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải tệp lên lại."))
            return redirect(back)
        try:
            result = services.preview(kept, campaign, submissions, level=level)
        except entry.WorkbookError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        if result.digest != request.POST.get("digest") or not result.can_confirm:
            # Somebody moved a file on (locked, returned…) since the preview: show the new one.
            messages.error(request, _("Hồ sơ đã thay đổi từ khi bạn xem trước; chưa lưu gì. Hãy xem lại các thay đổi "
                                      "dưới đây rồi xác nhận lại."))
            context.update(preview=result, token=request.POST["token"])
            return render(request, "excel/upload.html", context, status=409)
        outcomes = services.apply(result, user=request.user)
        services.discard_pending(path)
        context.update(outcomes=outcomes)
        if any(o.conflicts for o in outcomes):
            status = 409
        return render(request, "excel/upload.html", context, status=status)
    if request.method == "POST":
        content, error = _upload(request)
        if error:
            context["file_error"] = error
            return render(request, "excel/upload.html", context, status=400)
        assert content is not None
        try:
            result = services.preview(content, campaign, submissions, level=level)
        except entry.WorkbookError as exc:
            context["file_error"] = str(exc)
            return render(request, "excel/upload.html", context, status=400)
        context["preview"] = result
        if result.can_confirm:
            context["token"] = services.keep_pending(content, user=request.user, scope=scope)
        return render(request, "excel/upload.html", context, status=400 if result.error_count else 200)
    return render(request, "excel/upload.html", context)


# --------------------------------------------------------------------------- one unit


def _unit(request, campaign_id: int, unit_code: str):
    """(submission, why it cannot be edited now or ''): the entry form's checks. Another unit
    answers 404, a person who does not enter this unit's data 403."""
    submission, roles = submission_or_404(request, campaign_id, unit_code)
    if not roles & UNIT_EDITORS:
        raise PermissionDenied
    try:
        check_can_edit(submission)
    except WorkflowError as exc:
        return submission, str(exc)
    return submission, ""


@login_required
def unit_template(request, campaign_id: int, unit_code: str):
    submission, refused = _unit(request, campaign_id, unit_code)
    if refused:
        messages.error(request, refused)
        return redirect("excel:unit", campaign_id, unit_code)
    campaign = submission.campaign
    title = _("Mẫu nhập liệu: %(u)s — %(c)s") % {"u": submission.unit.name, "c": campaign.name}
    content = services.workbook(campaign, submission.unit.level_id, [submission], title=title)
    return xlsx_response(content, services.file_name(campaign, unit_code, submission.unit.level_id))


@login_required
def unit_upload(request, campaign_id: int, unit_code: str):
    submission, refused = _unit(request, campaign_id, unit_code)
    campaign = submission.campaign
    context = {"campaign": campaign, "unit": submission.unit, "submission": submission, "refused": refused}
    if refused:
        return render(request, "excel/upload.html", context, status=403)
    return _preview_or_save(request, campaign, {unit_code: submission}, level=submission.unit.level_id,
                            scope=f"unit:{submission.pk}", back=request.path, context=context)


# --------------------------------------------------------------------------- many units (the administrator)


def _admin_submissions(request, campaign):
    if not campaign_roles(request, campaign) & ADMINS:
        raise PermissionDenied
    subs = Submission.objects.filter(campaign=campaign).select_related("unit", "campaign__framework")
    q = access_for(request).unit_filter("unit__", campaign_id=campaign.pk, roles=ADMINS)
    if q is not None:
        subs = subs.filter(q)
    return subs.order_by("unit__path")


@login_required
def bulk_upload(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    subs = list(_admin_submissions(request, campaign))
    names = dict(Level.objects.values_list("code", "name"))
    counts: dict[str, int] = {}
    for s in subs:
        counts[s.unit.level_id] = counts.get(s.unit.level_id, 0) + 1
    levels = [(code, names.get(code, code), n) for code, n in counts.items()]
    context = {"campaign": campaign, "levels": levels, "bulk": True}
    return _preview_or_save(request, campaign, {s.unit.code: s for s in subs}, level=None,
                            scope=f"campaign:{campaign.pk}", back=request.path, context=context)


@login_required
def bulk_template(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    subs = list(_admin_submissions(request, campaign))
    level = request.GET.get("level") or (subs[0].unit.level_id if subs else "")
    chosen = [s for s in subs if s.unit.level_id == level]
    if not chosen:
        raise Http404
    title = _("Mẫu nhập liệu nhiều đơn vị — %(c)s") % {"c": campaign.name}
    content = services.workbook(campaign, level, chosen, title=title)
    return xlsx_response(content, services.file_name(campaign, None, level))


# --------------------------------------------------------------------------- ranking


def ranking_workbook(campaign, scope, wanted_group: str = "") -> tuple[bytes, str]:
    """(content, file name) of the ranking as the decision's result table, with exactly what ``scope``
    sees on the ranking page (the signed-in page and the public page both use it)."""
    from dti.results.selectors import campaign_scores

    scores = campaign_scores(campaign)
    groups = [g.seen_by(scope) for g in scores.groups]
    if not scope.full:
        groups = [g for g in groups if len(g)]
    if wanted_group:
        groups = [g for g in groups if g.key == wanted_group]
        if not groups:
            raise Http404
    scored = scores.framework.scored
    tables = []
    for group in groups:
        rows = []
        for row in group.rows:
            total = row.total if scored else row.maturity
            rows.append((row.info.name, [verified for verified, _self, _max in row.pillars], total, row.rank))
        tables.append(ranking_book.Table(group.label, [name for _code, name in group.pillars], rows, scored))
    title = _("KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CHUYỂN ĐỔI SỐ NĂM %(y)s") % {"y": campaign.year}
    subtitle = f"{campaign.name} · {campaign.framework.name}"
    note = "" if campaign.is_published else _("Kết quả chưa công bố.")
    if not scope.full and scope.campaign_published:
        note = _("Hạng chính thức: xếp trong số các đơn vị đã công bố kết quả.")
    book = ranking_book.build(title, subtitle, tables, note=note)
    # Named by the level ranked ('xep-hang-so-ban-nganh-2026.xlsx'), as the framework names it.
    level_names = {lv.code: lv.name for lv in scores.framework.levels}
    levels = {scores.units[int(p)].level for g in groups for p in g.order}
    label = "-".join(level_names.get(code, code) for code in sorted(levels, key=list(level_names).index)
                     if code in level_names) or campaign.name
    return ranking_book_bytes(book), f"xep-hang-{slug(label)}-{campaign.year}.xlsx"


@login_required
def ranking_xlsx(request, campaign_id: int):
    """The ranking as the decision's result table, with exactly what the ranking page shows this person."""
    campaign = campaign_or_404(request, campaign_id)
    scope = results_scope(request, campaign)
    if not scope.may_open_ranking():
        raise PermissionDenied
    return xlsx_response(*ranking_workbook(campaign, scope, request.GET.get("group", "")))


@login_required
def scorecard_xlsx(request, campaign_id: int, unit_code: str):
    """A unit's scorecard, seen exactly as its page (``results.views.scorecard_view``) shows it."""
    from dti.results.selectors import PEERS_HIDDEN, scorecard
    from dti.workbooks import scorecard as scorecard_book

    campaign = campaign_or_404(request, campaign_id)
    submission = scorecard_submission_or_404(request, campaign, unit_code)
    card = scorecard(campaign, unit_code, full=results_scope(request, campaign).full, with_previous=False)
    if card is None or not card.scored:
        raise Http404
    hidden = peers_hidden(request, campaign)  # as the page: no other unit's figures
    lines = [scorecard_book.Line(r.printed or r.code, r.name, r.depth, r.max, r.self_score, r.score,
                                 (str(PEERS_HIDDEN) if r.code in hidden and r.explain else r.explain)
                                 if r.is_leaf else "") for r in card.rows]
    title = _("PHIẾU ĐIỂM: %(u)s") % {"u": submission.unit.name}
    subtitle = f"{campaign.name} · {campaign.framework.name} · {State(submission.state).label}"
    book = scorecard_book.build(title, subtitle, lines, (card.max, card.self_total, card.total), card.rank)
    return xlsx_response(entry.to_bytes(book), f"phieu-diem-{slug(unit_code)}-{campaign.year}.xlsx")


def ranking_book_bytes(book) -> bytes:
    return entry.to_bytes(book)
