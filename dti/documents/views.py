"""The campaign's results and a unit's scorecard as official documents (PDF, DOCX).

GET shows the metadata form with defaults; POST with ``format`` = pdf or docx answers the file.
Nothing is stored: a document is generated from the results the person may see at that moment.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dti.results.selectors import scorecard
from dti.site.shortcuts import ADMINS, campaign_or_404, campaign_roles, results_scope, scorecard_submission_or_404

from .docx import render_docx
from .forms import DocumentMetaForm
from .pdf import render_official_pdf
from .selectors import default_meta, file_name, ranking_blocks, scorecard_blocks

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANDSCAPE_FROM = 7  # columns: a ranking with more than four pillars is printed across the page


def _answer(meta, blocks, fmt: str, name: str, *, landscape: bool = False) -> HttpResponse:
    data = (render_official_pdf(meta, blocks, landscape=landscape) if fmt == "pdf"
            else render_docx(meta, blocks, landscape=landscape))
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _format(request, form) -> str:
    """'pdf' or 'docx' when the form is valid, else '' (with the reason on the form)."""
    fmt = request.POST.get("format", "")
    if not form.is_valid():
        return ""
    if fmt not in FORMATS:
        form.add_error(None, _("Hãy chọn tải PDF hoặc Word (DOCX)."))
        return ""
    return fmt


def _form_page(request, context, form):
    return render(request, "documents/form.html", {**context, "form": form}, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def ranking_document(request, campaign_id: int):
    campaign = campaign_or_404(request, campaign_id)
    scope = results_scope(request, campaign)
    if not scope.may_open_ranking():
        raise PermissionDenied
    intro = [f"Công bố kết quả {campaign.name} theo {campaign.framework.name} (chi tiết tại bảng kèm theo)."]
    context = {"campaign": campaign, "kind": "ranking"}
    if request.method == "GET":
        meta = default_meta(campaign, kind="ranking")
        return _form_page(request, context, DocumentMetaForm(initial=DocumentMetaForm.initial_from(meta, intro)))
    form = DocumentMetaForm(request.POST)
    fmt = _format(request, form)
    if not fmt:
        return _form_page(request, context, form)
    blocks, columns = ranking_blocks(campaign, scope, form.paragraphs())
    name = file_name("ket-qua-xep-hang", campaign.name, str(campaign.year), ext=fmt).rsplit(".", 1)[0]
    return _answer(form.meta(), blocks, fmt, name, landscape=columns >= LANDSCAPE_FROM)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_document(request, campaign_id: int, unit_code: str):
    campaign = campaign_or_404(request, campaign_id)
    submission = scorecard_submission_or_404(request, campaign, unit_code)
    scope = results_scope(request, campaign)
    card = scorecard(campaign, unit_code, full=scope.full)
    if card is None:
        raise Http404
    intro = [f"Kết quả {campaign.name} của {submission.unit.name} theo {campaign.framework.name}."]
    context = {"campaign": campaign, "kind": "scorecard", "unit": submission.unit}
    if request.method == "GET":
        # An administrator issues it as the lead agency; the unit reports its own result.
        issuer = None if campaign_roles(request, campaign) & ADMINS else submission.unit
        meta = default_meta(campaign, kind="scorecard", unit=issuer)
        return _form_page(request, context, DocumentMetaForm(initial=DocumentMetaForm.initial_from(meta, intro)))
    form = DocumentMetaForm(request.POST)
    fmt = _format(request, form)
    if not fmt:
        return _form_page(request, context, form)
    name = file_name("phieu-diem", submission.unit.code, str(campaign.year), ext=fmt).rsplit(".", 1)[0]
    return _answer(form.meta(), scorecard_blocks(campaign, card, form.paragraphs()), fmt, name)
