"""Plain view models of the read-only pages, built from the answers of the audit room and the projections.

Each page template receives one of these (dataclasses of strings and numbers), never an aggregate: the same
answers the CLI prints, arranged for a reader (STYLE: pages and PDFs share templates).
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from adapters.audit.explication import LIBELLES_DECISION
from adapters.audit.historique import Difference, EtatDate
from adapters.audit.lisible import EvenementLisible
from adapters.audit.preuves.verification import Rapport
from adapters.publication.documents.modeles import (
    LIBELLES_CATEGORIE,
    LIBELLES_QUALITE,
    LIBELLES_VOIE,
)
from projections.statistiques import Statistiques
from projections.taux import ecrire_evolution, ecrire_taux

LIBELLES_STATUT = {
    "inscrit": "Inscrits, aucune note saisie",
    "notes_en_cours": "Notes en cours de saisie",
    "notes_completes": "Notes complètes, en attente de délibération",
    "a_deliberer_de_nouveau": "À délibérer de nouveau après correction (R29)",
    **LIBELLES_DECISION,
}
LIBELLES_SIGNATURE = {
    "absente": "non signé",
    "valide": "signature valide",
    "invalide": "signature INVALIDE",
    "cle_inconnue": "clé non reconnue",
}


@dataclass(frozen=True)
class LigneJury:
    code: str
    candidats: int
    deliberes: int


@dataclass(frozen=True)
class VueSceau:
    jury: str
    groupe: int
    taille: int
    racine: str
    racine_ok: bool | None
    signature: str


@dataclass(frozen=True)
class VueJournal:
    """The verification of the whole log and of every seal (ADR 0008), as a reader needs it."""

    valide: bool
    evenements: int
    racine: str
    sceaux: list[VueSceau]
    defauts: list[str]

    @property
    def sceaux_valides(self) -> int:
        return sum(1 for s in self.sceaux if s.racine_ok and s.signature in ("non signé", "signature valide"))


@dataclass(frozen=True)
class VueSession:
    session: str
    annee: str
    academie: str
    jurys: list[LigneJury]
    etapes: list[tuple[str, int]]
    total: int
    journal: VueJournal


@dataclass(frozen=True)
class LigneChronologie:
    horodatage: str
    evenement: str
    acteur: str
    role: str
    raison: str | None
    correlation: str
    resume: str


@dataclass(frozen=True)
class Document:
    nature: str
    titre: str
    code: str | None  # None: not issued yet (issued on first download)


@dataclass(frozen=True)
class VueCandidat:
    session: str
    numero: str
    chronologie: list[LigneChronologie]
    etat: EtatDate
    moment: str | None  # the moment asked for, or None for "now"
    difference: Difference | None
    t1: str
    t2: str
    documents: list[Document]
    delibere: bool


@dataclass(frozen=True)
class VueJury:
    session: str
    code: str
    voie: str
    president: str
    membres: list[tuple[str, str]]
    candidats: list[str]
    proces_verbaux: list[Any]  # ProcesVerbal view models, one per groupe deliberated
    sceaux: list[VueSceau]


@dataclass(frozen=True)
class LigneCommunique:
    libelle: str
    niveau: str
    presents: int
    admis: int
    taux: str
    evolution: str


@dataclass(frozen=True)
class VueStatistiques:
    session: str
    etape: str
    libelle_etape: str
    perimetre: str
    extraction: str | None
    comparee: str | None
    lignes: list[LigneCommunique]
    definitions: list[str]
    graphique: str  # data: URI of the PNG chart
    etapes: list[tuple[str, str]] = field(
        default_factory=lambda: [("provisoire", "Provisoire (1er groupe)"), ("second_groupe", "Après le second "
                                 "groupe"), ("final", "Définitif")]
    )  # fmt: skip


def vue_journal(rapport: Rapport, garder: set[tuple[str, str]] | None = None) -> VueJournal:
    """The whole log's verification; its seals restricted to ``garder`` (jury code, root) when given: one log
    holds every session, and jury codes repeat from one year to the next."""
    sceaux = [
        VueSceau(s.jury, s.groupe, s.taille, s.racine, s.racine_ok, LIBELLES_SIGNATURE.get(s.signature, s.signature))
        for s in rapport.sceaux
        if garder is None or (s.jury, s.racine) in garder
    ]
    return VueJournal(
        valide=rapport.valide, evenements=rapport.evenements, racine=rapport.racine, sceaux=sceaux,
        defauts=[f"position {d.position} : {d.message}" for d in rapport.defauts],
    )  # fmt: skip


def vue_session(
    session: str, etats: list[dict[str, Any]], rapport: Rapport, sceaux: set[tuple[str, str]]
) -> VueSession:
    jurys: dict[str, list[dict[str, Any]]] = {}
    for e in etats:
        if e["jury"]:
            jurys.setdefault(e["jury"], []).append(e)
    comptes = Counter(e["statut"] for e in etats)
    ordre = list(LIBELLES_STATUT)
    etapes = [(LIBELLES_STATUT.get(s, s), n) for s, n in sorted(comptes.items(), key=lambda t: _rang(ordre, t[0]))]
    return VueSession(
        session=session, annee=session[:4], academie=session[5:],
        jurys=[LigneJury(c, len(js), sum(1 for e in js if e["decision"])) for c, js in sorted(jurys.items())],
        etapes=etapes, total=len(etats), journal=vue_journal(rapport, sceaux),
    )  # fmt: skip


def _rang(ordre: list[str], statut: str) -> int:
    return ordre.index(statut) if statut in ordre else len(ordre)


def _resume(e: EvenementLisible) -> str:
    """One line of what an event says (its grade, decision, reason), without the bulky dossier."""
    d = e.details
    morceaux = []
    for cle in ("epreuve", "note", "ancienne_note", "absence", "decision", "mention", "groupe", "points", "concerne"):
        if d.get(cle) not in (None, "", []):
            morceaux.append(f"{cle.replace('_', ' ')} : {d[cle]}")
    if d.get("sceau"):
        morceaux.append(f"sceau : {d['sceau']['taille']} événements")
    return " ; ".join(morceaux)


def chronologie(evenements: list[EvenementLisible]) -> list[LigneChronologie]:
    return [
        LigneChronologie(
            horodatage=e.horodatage, evenement=e.evenement, acteur=e.acteur, role=e.role, raison=e.raison,
            correlation=e.correlation_id[:8], resume=_resume(e),
        )
        for e in evenements
    ]  # fmt: skip


def vue_jury(jury: Any, proces_verbaux: list[Any], rapport: Rapport | None) -> VueJury:
    propres = {(jury.code, a.sceau.racine) for pv in proces_verbaux for a in pv.actes if a.sceau}
    sceaux = vue_journal(rapport, propres).sceaux if rapport else []
    return VueJury(
        session=jury.session, code=jury.code, voie=LIBELLES_VOIE[jury.voie],
        president=f"{jury.president.identifiant} ({LIBELLES_QUALITE[jury.president.qualite]})",
        membres=[(m.identifiant, LIBELLES_CATEGORIE[m.categorie]) for m in jury.membres],
        candidats=list(jury.candidats), proces_verbaux=proces_verbaux, sceaux=sceaux,
    )  # fmt: skip


def vue_statistiques(s: Statistiques, png: bytes) -> VueStatistiques:
    lignes = [
        LigneCommunique(
            libelle=lg.libelle, niveau=lg.niveau, presents=lg.effectifs.presents, admis=lg.effectifs.admis,
            taux=ecrire_taux(lg.taux) if lg.taux is not None else "—",
            evolution=ecrire_evolution(lg.evolution) if s.comparee else "—",
        )
        for lg in s.lignes
    ]  # fmt: skip
    return VueStatistiques(
        session=s.session, etape=s.etape, libelle_etape=s.libelle_etape, perimetre=s.perimetre,
        extraction=s.extraction, comparee=s.comparee, lignes=lignes, definitions=list(s.definitions),
        graphique="data:image/png;base64," + base64.b64encode(png).decode("ascii"),
    )  # fmt: skip
