"""What the registry publishes: statistics and explanations rendered; documents and web pages later.

Imports domain, projections and adapters.audit: read models, never the write path."""
