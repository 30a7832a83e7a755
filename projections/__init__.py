"""Read models folded from the log: pure "event → row" functions and the runner that applies them.

Imports domain only; the log is reached through the `projections.source.SourceJournal` protocol."""
