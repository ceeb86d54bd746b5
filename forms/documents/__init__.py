"""Print-ready documents: 附件8, the leader form with its analysis, questionnaires, reports (.docx and .pdf),
each built once as plain data (`model.Doc`). May import forms.checks, forms.notice and forms.base."""
