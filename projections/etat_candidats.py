"""Current state of each candidate, folded from its events: a pure function of the log."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.evenements import AffecteAuJury, Inscrit, NoteSaisie
from domain.reglement import charger_reglement
from projections.tables import etat_candidats


def _statut(notes_saisies: int, attendues: int) -> str:
    if notes_saisies == 0:
        return "inscrit"
    return "notes_completes" if notes_saisies >= attendues else "notes_en_cours"


def plier(ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None:
    """event → the candidate's new row (pure: same events, same rows, whatever the batch boundaries)."""
    if isinstance(evenement, Inscrit):
        reglement = charger_reglement(evenement.annee, evenement.voie, evenement.serie)
        attendues = len(reglement.epreuves_obligatoires()) + len(evenement.options)
        return {
            "candidat_id": str(evenement.originator_id),
            "session": evenement.session,
            "numero": evenement.numero,
            "voie": evenement.voie,
            "serie": evenement.serie,
            "categorie": evenement.categorie,
            "jury": None,
            "notes_saisies": 0,
            "epreuves_attendues": attendues,
            "statut": "inscrit",
            "version": evenement.originator_version,
            "modifie_le": evenement.timestamp,
        }
    if ligne is None:
        return None
    ligne = dict(ligne, version=evenement.originator_version, modifie_le=evenement.timestamp)
    if isinstance(evenement, NoteSaisie):
        ligne["notes_saisies"] += 1
        ligne["statut"] = _statut(ligne["notes_saisies"], ligne["epreuves_attendues"])
    elif isinstance(evenement, AffecteAuJury):
        ligne["jury"] = evenement.jury
    return ligne


class ProjectionEtatCandidats:
    nom = "etat_candidats"
    table = etat_candidats
    cle = "candidat_id"
    topics = tuple(get_topic(cls) for cls in (Inscrit, NoteSaisie, AffecteAuJury))

    def cle_de(self, evenement: Any) -> str:
        return str(evenement.originator_id)

    def plier(self, ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None:
        return plier(ligne, evenement)
