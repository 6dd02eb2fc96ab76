"""Official documents (Nghị định 30/2020/NĐ-CP layout) as PDF (WeasyPrint) and DOCX (python-docx).

Reuse from another feature::

    from dti.documents.blocks import Heading, Paragraph, Table, Figure
    from dti.documents.docx import render_docx          # or OfficialDocx for custom pieces
    from dti.documents.meta import DocumentMeta
    from dti.documents.numbers import points            # 1.234,50
    from dti.documents.pdf import render_official_pdf   # or render_pdf(template, context)
    from dti.documents.svg import bar_chart

    meta = DocumentMeta(issuer="UBND tỉnh Kon Tum", title="Quyết định", summary="Về việc công nhận …",
                        symbol="QĐ-UBND", place="Kon Tum", date=None,  # None/"" number: blanks to fill
                        recipients=["Như Điều 3", "Lưu: VT"], signer_authority="TM. ỦY BAN NHÂN DÂN",
                        signer_title="Chủ tịch", signer_name="")
    blocks = [Heading("Điều 1."), Paragraph("Công nhận …"), Table(["STT", "Đơn vị"], [["1", "Xã A"]])]
    pdf_bytes = render_official_pdf(meta, blocks)          # landscape=True for wide tables
    docx_bytes = render_docx(meta, blocks)

A template of your own: ``{% extends "documents/base_official.html" %}`` with ``{% block body %}``
(context: ``meta``, optional ``landscape``), rendered by ``render_pdf(name, context)``; for Word,
``render_docx(meta, body=lambda doc: doc.paragraph(...))`` or ``OfficialDocx`` piece by piece
(``header()``, ``title()``, ``heading()``, ``paragraph()``, ``table()``, ``closing()``).
``Figure.svg`` is inserted as markup: pass only what ``svg.bar_chart`` (which escapes) produced.
Document text is Vietnamese whatever the interface language.
"""
