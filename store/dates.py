"""Partial dates ("1965", "1965-03", "1965-03-18") and the days they span."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LAUNCH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$")


def span(value: str) -> tuple[str, str]:
    """The first and last day a partial date can mean, as full ISO dates.

    Raises ValueError for text that is not a real partial date.
    """
    match = _PARTIAL.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date like 1965, 1965-03 or 1965-03-18")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f"{value!r} is not a real day") from None
    return value, value


def utc_time(value: str) -> datetime:
    """A launch time written as "1965-03-18T07:00:00Z"."""
    if not _LAUNCH_TIME.match(value):
        raise ValueError(f"{value!r} is not a UTC time like 1965-03-18T07:00:00Z")
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
