"""structlog configuration: JSON lines when not on a terminal, readable lines on one.

Log lines carry ids (correlation, aggregate, candidate number) and outcomes, never personal
data nor event payloads (STYLE).
"""

from __future__ import annotations

import logging
import os
import sys

import structlog


def configurer(*, json: bool | None = None) -> None:
    niveau = getattr(logging, os.environ.get("BAC_LOG_LEVEL", "INFO").upper(), logging.INFO)
    if json is None:
        json = not sys.stderr.isatty()
    rendu: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            rendu,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(niveau),
        # Resolved at each use: sys.stderr may be replaced (tests, embedding) after configuration.
        logger_factory=lambda *_: structlog.PrintLogger(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
