"""Refusals raised by the règlement API (French messages, stable codes, no personal data)."""

from __future__ import annotations

from domain.errors import Introuvable, RefusMetier


class ReglementIntrouvable(Introuvable):
    """No rule set exists for this session / voie / série (R1, R9, R38)."""

    code = "REGLEMENT_INTROUVABLE"


class EpreuveInconnue(RefusMetier):
    """An épreuve code that the rule set does not define (R2, R4, R10, R11, R38)."""

    code = "EPREUVE_INCONNUE"


LIBELLES_VOIE = {
    "general": "voie générale",
    "technologique": "voie technologique",
    "professionnel": "voie professionnelle",
}
