"""A door: the HTTP routes of the read-only pages, the papers as PDF and the public verification page.

Imports the application service and the publication room only (like `cli/`). The FastAPI application that
authenticates callers (adapters.http) includes these routers; tests include them in a small app of their own.
"""
