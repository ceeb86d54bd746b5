"""Reference data loaded once per program, ahead of the first import, so the clerk does not wait for it then.

The place index (every county-level name of the campaign year as one pattern) and phonenumbers' geocoder
data take about 0.45 s together; the window loads them on a background thread when it opens.
"""

from __future__ import annotations

from forms.checks import geo, phones


def load_reference_data(year: int = geo.CAMPAIGN_YEAR) -> None:
    geo.load_index(year)
    phones.load_data()
