"""The event store and its configuration: one URL, the application, codec, recorders, unit of work.

Imports domain and projections only."""
