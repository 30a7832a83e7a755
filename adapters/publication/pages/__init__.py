"""The read-only pages for auditors and regulators (issue 11): view models and their rendering.

`modeles` arranges the audit room's answers for a reader; the templates are those of the papers
(`adapters/publication/gabarits/`). The HTTP routes that serve them are a door: `adapters.pages`.
"""
