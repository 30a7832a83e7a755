"""The batch engine: read and validate command lines, plan them, write them exactly once.

Also French validation errors and the JSON Schema. Imports domain, projections, adapters.stockage and
adapters.audit.preuves (a deliberation seals the log)."""
