"""The HTTP door (ADR 0016): a FastAPI application on the same application service as the CLI.

Imports only `adapters.application` (the service, its inputs, errors and answer shapes) and
`adapters.publication`; other rooms' pages join through `creer_app(url, routeurs=(...))`.
"""
