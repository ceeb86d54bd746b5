"""Spreadsheets in and out: reading a clerk's .xlsx/.xls/.csv, writing the frames and 附件8 as the templates.
May import forms.checks, forms.notice and forms.base; never forms.store or forms.documents."""
