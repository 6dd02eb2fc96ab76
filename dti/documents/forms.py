"""The document's metadata, filled by the person who generates it (defaults from the campaign)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dti.campaigns.forms import _date, _plain_text

from .meta import DocumentMeta

LINE_MAX = 300
TEXT_MAX = 4000


class DocumentMetaForm(forms.Form):
    parent_issuer = _plain_text(_("Cơ quan chủ quản"), max_length=LINE_MAX)
    issuer = _plain_text(_("Cơ quan ban hành"), max_length=LINE_MAX)
    number = _plain_text(_("Số (để trống để điền tay khi ban hành)"), max_length=20)
    symbol = _plain_text(_("Ký hiệu"), max_length=60)
    place = _plain_text(_("Địa danh"), max_length=100)
    date = _date(_("Ngày ban hành (để trống để điền tay)"), required=False)
    title = _plain_text(_("Tên loại văn bản"), max_length=100)
    summary = _plain_text(_("Trích yếu"), max_length=LINE_MAX)
    intro = _plain_text(_("Nội dung trước bảng (mỗi dòng một đoạn)"), max_length=TEXT_MAX, multiline=True,
                        widget=forms.Textarea(attrs={"rows": 4}))
    recipients = _plain_text(_("Nơi nhận (mỗi dòng một nơi)"), max_length=TEXT_MAX, multiline=True,
                             widget=forms.Textarea(attrs={"rows": 4}))
    signer_authority = _plain_text(_("Thẩm quyền ký (TM., KT., TL.)"), max_length=100)
    signer_title = _plain_text(_("Chức vụ người ký"), max_length=100)
    signer_name = _plain_text(_("Họ tên người ký"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("parent_issuer", "number", "symbol", "place", "summary", "intro", "recipients",
                     "signer_authority", "signer_name"):
            self.fields[name].required = False
        self.fields["issuer"].error_messages["required"] = _("Hãy ghi cơ quan ban hành văn bản.")
        self.fields["title"].error_messages["required"] = _("Hãy ghi tên loại văn bản (Quyết định, Báo cáo…).")
        self.fields["signer_title"].error_messages["required"] = _("Hãy ghi chức vụ người ký.")

    @classmethod
    def initial_from(cls, meta: DocumentMeta, intro: list[str]) -> dict:
        return {**{k: getattr(meta, k) for k in ("parent_issuer", "issuer", "number", "symbol", "place", "date",
                                                 "title", "summary", "signer_authority", "signer_title",
                                                 "signer_name")},
                "recipients": "\n".join(meta.recipients), "intro": "\n".join(intro)}

    def meta(self) -> DocumentMeta:
        data = self.cleaned_data
        return DocumentMeta(
            issuer=data["issuer"], title=data["title"], summary=data["summary"], parent_issuer=data["parent_issuer"],
            number=data["number"], symbol=data["symbol"], place=data["place"], date=data["date"],
            recipients=_lines(data["recipients"], list_item=True), signer_authority=data["signer_authority"],
            signer_title=data["signer_title"], signer_name=data["signer_name"],
        )

    def paragraphs(self) -> list[str]:
        return _lines(self.cleaned_data["intro"])


def _lines(text: str, *, list_item: bool = False) -> list[str]:
    """Non-empty lines; a recipient's trailing ';' or '.' is dropped (the layout adds them)."""
    lines = (line.strip() for line in text.splitlines())
    return [line.lstrip("-–•+ ").rstrip(";.").strip() if list_item else line for line in lines if line]
