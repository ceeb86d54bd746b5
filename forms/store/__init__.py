"""The workspace file (*.baosong, SQLite): schema and migrations, how rows are stored, every edit committed.
May import forms.checks, forms.notice and forms.base; never forms.sheets or forms.documents."""
