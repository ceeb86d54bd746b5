"""Print-ready documents: 附件8, the leader evaluation form with its analysis, questionnaires, reports.

Each document is built once as plain data (`model.Doc`) and rendered to .docx (python-docx) and to
.pdf (reportlab) with the same page, type and table geometry; page limits are measured on the PDF.
"""
