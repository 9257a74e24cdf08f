"""One rule for outcomes watched over 7 days (7일 구매 전환율, 상담 전환율), shared by every lesson and key.

The record ends at 2026-10-31 24:00 KST. A send, click or chat whose 7 days are not over by then is
*censored*: a purchase may still come, so counting it as "no purchase" biases the rate down. Every
7-day rate in the course counts only what started before ``FULL_7D_BEFORE``: 7 days, plus one day
for a click that comes late, fit inside the record.
"""

from __future__ import annotations

import pandas as pd

RECORD_END = pd.Timestamp("2026-11-01 00:00:00")  # 10월 31일 24시 KST
FULL_7D_BEFORE = RECORD_END - pd.Timedelta(days=8)  # 2026-10-24 00:00: 7 days and a day to click


def full_7d(times: pd.Series) -> pd.Series:
    """True where a 7-day window that starts at ``times`` is fully inside the record."""
    return pd.to_datetime(times) < FULL_7D_BEFORE
