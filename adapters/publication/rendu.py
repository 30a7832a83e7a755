"""The one Jinja2 environment of the pages and the papers (STYLE: pages and PDFs share templates).

Templates live in `adapters/publication/gabarits/`; each receives plain view models (dataclasses of strings),
never an aggregate or a database session. Autoescaping is on: every value from the log is text, not markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

DOSSIER_GABARITS = Path(__file__).resolve().parent / "gabarits"


def nombre_fr(valeur: Any) -> str:
    """A decimal as French prints it: 12.35 → 12,35 (the registry stores the exact decimal string)."""
    if valeur is None:
        return "—"
    texte = str(valeur)
    return texte.replace(".", ",") if texte.replace(".", "", 1).lstrip("-").isdigit() else texte


def date_fr(valeur: str | None) -> str:
    """2024-07-05 → 05/07/2024; an ISO timestamp keeps its time (UTC)."""
    if not valeur:
        return "—"
    jour, _, heure = valeur.replace("T", " ").partition(" ")
    a, m, j = jour.split("-")
    return f"{j}/{m}/{a}" + (f" à {heure[:8]} UTC" if heure else "")


@cache
def environnement() -> Environment:
    env = Environment(
        loader=FileSystemLoader(DOSSIER_GABARITS),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fr"] = nombre_fr
    env.filters["date_fr"] = date_fr
    return env


def rendre(gabarit: str, **contexte: Any) -> str:
    return environnement().get_template(gabarit).render(**contexte)
