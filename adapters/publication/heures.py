"""Times as the exam offices read them: Europe/Paris wall time with its explicit offset (issue 10).

The log stores UTC instants; every door shows them in Paris time with the offset written out
(2024-07-05T14:00:00+02:00), so that a summer and a winter timestamp are never confused.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def heure_de_paris(moment: str | datetime | None) -> str | None:
    """An ISO 8601 instant (or a datetime) as Europe/Paris time with its offset, to the second."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(PARIS).isoformat(timespec="seconds")
