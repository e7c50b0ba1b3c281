"""Times as staff read them: on this computer's clock, in Chinese."""

from __future__ import annotations

import datetime as dt


def local_time(stamp: str) -> str:
    """An ISO time stamp (as the registry and the run record keep it) as
    ``2024年12月20日 14:05:09`` on this computer's clock; text that is not a time stamp is
    returned as it is."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M:%S}"
