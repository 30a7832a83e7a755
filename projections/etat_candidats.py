"""Current state of each candidate, folded from its events: a pure function of the log."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.evenements import (
    AffecteAuJury,
    ConservationRenoncee,
    Delibere,
    Inscrit,
    NoteConservee,
    NoteCorrigee,
    NoteHarmonisee,
    NoteSaisie,
)
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
            "decision": None,
            "groupe": None,
            "mention": None,
            "moyenne": None,
            "total_points": None,
            "total_coefficients": None,
            "version": evenement.originator_version,
            "modifie_le": evenement.timestamp,
        }
    if ligne is None:
        return None
    ligne = dict(ligne, version=evenement.originator_version, modifie_le=evenement.timestamp)
    if isinstance(evenement, NoteSaisie | NoteConservee | ConservationRenoncee):
        # A replacement grade (R34) fills an épreuve already counted by its justified absence.
        if isinstance(evenement, NoteConservee) or (isinstance(evenement, NoteSaisie) and not evenement.remplacement):
            ligne["notes_saisies"] += 1
        elif isinstance(evenement, ConservationRenoncee):
            ligne["notes_saisies"] -= 1
        if ligne["decision"] is None:
            ligne["statut"] = _statut(ligne["notes_saisies"], ligne["epreuves_attendues"])
    elif isinstance(evenement, NoteCorrigee | NoteHarmonisee):
        if evenement.redeliberation:  # R29: back before the jury; the superseded decision stays in the row until then
            ligne["statut"] = "a_deliberer_de_nouveau"
    elif isinstance(evenement, AffecteAuJury):
        ligne["jury"] = evenement.jury
    elif isinstance(evenement, Delibere):
        ligne.update(
            statut=evenement.decision.value,
            decision=evenement.decision.value,
            groupe=evenement.groupe,
            mention=evenement.mention,
            moyenne=str(evenement.moyenne),
            total_points=str(evenement.total_points),
            total_coefficients=str(evenement.total_coefficients),
        )
    return ligne


class ProjectionEtatCandidats:
    nom = "etat_candidats"
    table = etat_candidats
    cle = "candidat_id"
    topics = tuple(
        get_topic(cls)
        for cls in (
            Inscrit, NoteSaisie, AffecteAuJury, NoteConservee, ConservationRenoncee, Delibere, NoteCorrigee,
            NoteHarmonisee,
        )
    )  # fmt: skip

    def cle_de(self, evenement: Any) -> str:
        return str(evenement.originator_id)

    def plier(self, ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None:
        return plier(ligne, evenement)
