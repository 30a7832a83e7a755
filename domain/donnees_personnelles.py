"""Which stored fields are personal data, and how long they may be kept (R56, ADR 0023): data, no crypto here.

The stores protect the fields named in `CHAMPS_PERSONNELS` (adapters/stockage/codec.py); `DUREES_CONSERVATION` are
the periods the retention job applies, each with its source and whether a text confirms it (REGLEMENT [C] / [U]).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from domain.modele import Immutable


class ChampPersonnel(Immutable):
    """A personal field of an event, protected by the key of one candidate (whose id names ``proprietaire``)."""

    evenement: str
    champ: str
    # The event's field that holds the candidate id; None: the event's own aggregate is the candidate.
    proprietaire: str | None
    # What the field reads as once the candidate's key is destroyed.
    efface: Any


CHAMPS_PERSONNELS: tuple[ChampPersonnel, ...] = (
    ChampPersonnel(evenement="Inscrit", champ="identite", proprietaire=None, efface={"effacee": True}),
    # R36: the yearly index holds the INE; its id is uuid5(year, INE), brute-forceable (ADR 0023).
    ChampPersonnel(evenement="InscriptionAnnuelleEnregistrée", champ="ine", proprietaire="candidat_id", efface=None),
)


class DureeConservation(Immutable):
    """R56: how long one kind of data may be kept, counted from the end of the session's year."""

    code: str
    donnee: str
    mois: int
    source: str
    confirme: bool
    depuis: Literal["fin_annee_session"] = "fin_annee_session"


DUREES_CONSERVATION: dict[str, DureeConservation] = {
    d.code: d
    for d in (
        DureeConservation(
            code="R56-identite",
            donnee="identité des candidats inscrits (OCEAN / Cyclades)",
            mois=60,
            source="R56 : durée non trouvée [U] ; au moins cinq ans, car garder ses notes (R32, cinq sessions) "
            "rapproche les sessions d'une même personne par son INE",
            confirme=False,
        ),
        DureeConservation(
            code="R56-lsl",
            donnee="données du livret scolaire (LSL)",
            mois=8,
            source="R56 : arrêté du 8 février 2016, art. 9 (2 mois en base active puis 6 mois d'archive)",
            confirme=True,
        ),
    )
}
DUREE_PAR_DEFAUT = "R56-identite"


def echeance(annee_session: int, duree: DureeConservation) -> date:
    """The first day the data of a session of ``annee_session`` is past its retention period."""
    mois = 12 * (annee_session + 1) + duree.mois  # counted from 1 January after the session's year
    return date(mois // 12, mois % 12 + 1, 1)


def est_echue(annee_session: int, duree: DureeConservation, aujourd_hui: date) -> bool:
    return aujourd_hui >= echeance(annee_session, duree)
