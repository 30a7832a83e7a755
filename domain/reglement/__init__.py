"""The règlement of each session as versioned, validated data (STYLE "Rules"; REGLEMENT §2 [R]).

Public API::

    charger_reglement(session, voie, serie=None) -> Reglement
    reglements_disponibles() -> list[CleReglement]
    valider_note(epreuve, valeur, *, arrondi=...) -> Decimal
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from domain.reglement.chargement import charger_tout, lire_texte
from domain.reglement.erreurs import LIBELLES_VOIE, EpreuveInconnue, ReglementIntrouvable
from domain.reglement.modeles import (
    Benefice,
    Epreuve,
    Equivalence,
    GroupeControle,
    Jury,
    LimitesOptions,
    Mention,
    Nature,
    Reglement,
    SecondGroupe,
    Seuils,
    SpecialitePro,
    Structure,
    Substitution,
)
from domain.reglement.notes import arrondi_dixieme_superieur, valider_note, valider_note_reglement

__all__ = [
    "Benefice",
    "CleReglement",
    "Epreuve",
    "EpreuveInconnue",
    "Equivalence",
    "GroupeControle",
    "Jury",
    "LimitesOptions",
    "Mention",
    "Nature",
    "Reglement",
    "ReglementIntrouvable",
    "SecondGroupe",
    "Seuils",
    "SpecialitePro",
    "Structure",
    "Substitution",
    "arrondi_dixieme_superieur",
    "charger_reglement",
    "lire_texte",
    "reglements_disponibles",
    "valider_note",
    "valider_note_reglement",
]


class CleReglement(NamedTuple):
    session: int
    voie: str
    serie: str | None
    version: str
    empreinte: str


@cache
def _tous() -> dict[tuple[int, str, str | None], Reglement]:
    return charger_tout()


def charger_reglement(session: int, voie: str, serie: str | None = None) -> Reglement:
    """The validated set for this session / voie / série, or `ReglementIntrouvable` (R1, R9, R38)."""
    trouve = _tous().get((session, voie, serie))
    if trouve is not None:
        return trouve
    libelle = LIBELLES_VOIE.get(voie, f"voie « {voie} »")
    precision = f", série « {serie} »" if serie else ""
    series = sorted(s for (a, v, s) in _tous() if a == session and v == voie and s)
    aide = f" ; séries disponibles : {', '.join(series)}" if series else ""
    annees = sorted({a for (a, v, _) in _tous() if v == voie})
    if annees and session > annees[-1]:
        # ADR 0019: a later session is one data file; say which one is missing rather than guess its rules.
        aide = (
            f" : le règlement de la session {session} n'est pas livré (dernière session livrée : {annees[-1]} ; "
            f"à ajouter : domain/reglement/donnees/sessions/{voie}-{session}.toml)"
        )
    raise ReglementIntrouvable(
        f"Aucun règlement pour la session {session}, {libelle}{precision}{aide}",
        regle="R1, R9, R38",
    )


def reglements_disponibles() -> list[CleReglement]:
    """Every shipped set, sorted by session, voie, série."""
    return sorted(
        (CleReglement(r.session, r.voie, r.serie, r.version, r.empreinte) for r in _tous().values()),
        key=lambda c: (c.session, c.voie, c.serie or ""),
    )
