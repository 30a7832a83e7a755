"""What a projection needs of the log, as a protocol: the store adapter satisfies it (arrows point inward).

The runner asks for the last position, the notifications after a position (up to a bound, of some topics),
and each notification's event; it writes its rows and position itself, in one SQL transaction (ADR 0005).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Notification(Protocol):
    id: int
    topic: str
    originator_id: Any
    originator_version: int
    state: bytes


class SourceJournal(Protocol):
    def borne(self) -> int:
        """The last position of the log; every position below it is committed (or a rolled-back gap)."""
        ...

    def notifications(
        self, *, start: int, limit: int, stop: int, topics: Sequence[str], inclusive_of_start: bool
    ) -> Sequence[Any]: ...

    def lire(self, notification: Any) -> Any:
        """The whole domain event of a notification."""
        ...

    def lire_resume(self, notification: Any) -> Any:
        """The event with what the read models use; a `Délibéré` may come without its trace."""
        ...
