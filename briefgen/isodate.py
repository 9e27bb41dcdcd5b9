"""ISO 8601 values at the precision a text gives: 2026, 2026-H1, 2026-Q2, 2026-04, 2026-04-15.

One place for the calendar maths every stage needs (milestone statuses, report periods,
date resolution).
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re


def interval(value: str | None) -> tuple[_dt.date, _dt.date] | None:
    """First and last day covered by an ISO value at any precision (incl. Q and H)."""
    if not value:
        return None
    mt = re.match(r"^(\d{4})(?:-(Q[1-4]|H[12]|\d{2})(?:-(\d{2}))?)?$", value.strip())
    if not mt:
        return None
    y = int(mt.group(1))
    part, d = mt.group(2), mt.group(3)
    try:
        if part is None:
            return _dt.date(y, 1, 1), _dt.date(y, 12, 31)
        if part.startswith("Q"):
            q = int(part[1])
            m1, m2 = 3 * q - 2, 3 * q
        elif part.startswith("H"):
            h = int(part[1])
            m1, m2 = (1, 6) if h == 1 else (7, 12)
        else:
            m1 = m2 = int(part)
            if d:
                day = _dt.date(y, m1, int(d))
                return day, day
        return _dt.date(y, m1, 1), _dt.date(y, m2, calendar.monthrange(y, m2)[1])
    except ValueError:
        return None
