"""Grade validation: the 0–20 scale in whole points (R13) and CC rounding up to the tenth (R14).

Articles: D334-8 (général), D336-8 (technologique).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, InvalidOperation

from domain.errors import NoteInvalide
from domain.reglement.modeles import Epreuve, Reglement

_VINGT = Decimal(20)
_DIXIEME = Decimal("0.1")
_CENTIEME = Decimal("0.01")


def arrondi_dixieme_superieur(valeur: Decimal) -> Decimal:
    """R14: 11.26 → 11.3, 9.81 → 9.9, 12.00 → 12.0 (D334-8, D336-8)."""
    return valeur.quantize(_DIXIEME, rounding=ROUND_CEILING)


def valider_note(epreuve: Epreuve, valeur: Decimal, *, arrondi: str = "dixieme_superieur") -> Decimal:
    """The grade to retain for ``epreuve``, or `NoteInvalide` naming R13/R14.

    Épreuves with ``note_entiere`` take whole points only (R13); other grades (CC annual averages,
    CCF) are rounded up to the tenth (R14) unless the set says ``arrondi="aucun"`` (bac pro, [U]).
    """
    if not isinstance(valeur, Decimal) or isinstance(valeur, bool):
        raise NoteInvalide(
            f"Note de « {epreuve.code} » : un décimal exact est attendu, pas {type(valeur).__name__}",
            regle="R13",
        )
    try:
        hors_echelle = not valeur.is_finite() or valeur < 0 or valeur > _VINGT
    except InvalidOperation:
        hors_echelle = True
    if hors_echelle:
        raise NoteInvalide(f"Note {valeur} hors de l'échelle 0–20 pour « {epreuve.code} »", regle="R13")
    if epreuve.note_entiere:
        if valeur != valeur.to_integral_value():
            raise NoteInvalide(
                f"La note de « {epreuve.code} » doit être en points entiers ({valeur} refusé)", regle="R13"
            )
        return valeur.quantize(Decimal(1))
    if arrondi == "dixieme_superieur":
        return arrondi_dixieme_superieur(valeur)
    if valeur != valeur.quantize(_CENTIEME):
        raise NoteInvalide(f"Note {valeur} de « {epreuve.code} » : au plus deux décimales", regle="R13")
    return valeur


def valider_note_reglement(reglement: Reglement, code: str, valeur: Decimal) -> Decimal:
    """`valider_note` with the épreuve and rounding mode taken from the rule set."""
    return valider_note(reglement.epreuve(code), valeur, arrondi=reglement.arrondi_notes_non_entieres)
