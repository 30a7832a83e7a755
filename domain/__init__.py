"""The heart: aggregates, events, commands, the règlement as data and the grading functions.

Imports nothing of ours outside domain/ (only eventsourcing.domain, pydantic and the standard library)."""
