"""The checks: normalisers, row rules, the incremental engine, phone and place reference (data/), 字数.
May import forms.notice and forms.base."""
