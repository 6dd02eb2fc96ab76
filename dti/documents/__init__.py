"""Official documents (Nghị định 30/2020/NĐ-CP layout) as PDF (WeasyPrint) and DOCX (python-docx).

Reusable pieces: ``DocumentMeta`` (who issues, number, date, recipients, signer), the content
blocks of ``blocks.py`` (one description, two formats), ``render_pdf``/``render_official_pdf``,
``OfficialDocx``/``render_docx`` and a server-drawn SVG bar chart (``svg.py``).
"""
