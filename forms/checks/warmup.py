"""Reference data loaded once per program, ahead of the first import, so the clerk does not wait for it then.

The place index (every county-level name of the campaign year as one pattern) and the mobile 号段 table
(forms.checks.mobile_blocks, ≈10 ms) are loaded on a background thread when the window opens.
"""

from __future__ import annotations

from forms.checks import geo, phones


def load_reference_data(year: int = geo.CAMPAIGN_YEAR) -> None:
    geo.load_index(year)
    phones.load_data()
