"""Results statistics (R44–R47, Q10–Q12, Q15): a pure fold per candidate, aggregated on demand.

The fold keeps, for each candidate, whether he is *présent* (Q10) and his outcome at each of the
three publication stages (R47): after the premier groupe (provisional, R45), after the second
groupe, and final after the replacement épreuves (Q15: a replacement belongs to session N; until
then the candidate is "en attente", neither admis nor ajourné). `statistiques` sums the rows of a
session by voie, techno série and bac pro groupe (R43) and compares with another session at the
same stage (R46). Everything comes from the events; nothing from the profile that generated them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from eventsourcing.utils import get_topic
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from domain.calcul import Resultat
from domain.errors import Introuvable
from domain.evenements import Delibere, Inscrit, NoteConservee, NoteSaisie
from domain.publication import Masquage, masquage
from domain.reglement import ReglementIntrouvable, charger_reglement
from projections.tables import statistiques_candidats
from projections.taux import DEFINITION_EVOLUTION, DEFINITION_PRESENT, DEFINITION_TAUX, evolution, taux_publie

Etape = Literal["provisoire", "second_groupe", "final"]
ETAPES: dict[str, tuple[str, str]] = {
    "provisoire": ("issue_provisoire", "Résultats provisoires après le premier groupe d'épreuves (R45)"),
    "second_groupe": ("issue_second_groupe", "Résultats après le second groupe d'épreuves (R47)"),
    "final": ("issue_finale", "Résultats définitifs après les épreuves de remplacement (R47, Q15)"),
}
LIBELLES_VOIE = {
    "general": "Baccalauréat général",
    "technologique": "Baccalauréat technologique",
    "professionnel": "Baccalauréat professionnel",
}
ORDRE_SERIES = ("STMG", "ST2S", "STHR", "STI2D", "STD2A", "STL", "S2TMD", "STAV")
ATTENTE = Resultat.en_attente_remplacement.value
NON_DELIBERE = "rien n'est encore délibéré : aucun jury n'a statué sur ces candidats (R45)"


def _groupe_pro(annee: int, voie: str, serie: str | None) -> str | None:
    if voie != "professionnel":
        return None
    specialite = charger_reglement(annee, voie, serie).specialite_pro
    return specialite.groupe if specialite else None


def plier(ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None:
    """event → the candidate's statistics row (pure; the same log gives the same rows)."""
    if isinstance(evenement, Inscrit):
        return {
            "candidat_id": str(evenement.originator_id),
            "session": evenement.session,
            "voie": evenement.voie,
            "serie": evenement.serie,
            "groupe_pro": _groupe_pro(evenement.annee, evenement.voie, evenement.serie),
            "present": 0,
            "issue_provisoire": None,
            "issue_second_groupe": None,
            "issue_finale": None,
            "remplacement": 0,
            "modifie_le": evenement.timestamp,
        }
    if ligne is None:
        return None
    ligne = dict(ligne, modifie_le=evenement.timestamp)
    if isinstance(evenement, NoteSaisie):
        if evenement.note is not None:  # Q10: a grade, even 0, is an épreuve sat; an absence is not
            ligne["present"] = 1
    elif isinstance(evenement, NoteConservee):
        ligne["present"] = 1  # Q10: keeps a grade of an earlier session and sits the rest
    elif isinstance(evenement, Delibere):
        decision = evenement.decision.value
        if evenement.groupe == 1 and ligne["issue_provisoire"] is None:
            ligne.update(issue_provisoire=decision, issue_second_groupe=decision, issue_finale=decision)
            ligne["remplacement"] = int(decision == ATTENTE)
        elif ligne["remplacement"]:
            ligne["issue_finale"] = decision  # R34, Q15: replacement épreuves count at the final stage only
        else:
            # Second groupe (R21), or a new deliberation after a correction: later stages only.
            ligne.update(issue_second_groupe=decision, issue_finale=decision)
    return ligne


class ProjectionStatistiques:
    nom = "statistiques_candidats"
    table = statistiques_candidats
    cle = "candidat_id"
    topics = tuple(get_topic(cls) for cls in (Inscrit, NoteSaisie, NoteConservee, Delibere))

    def cle_de(self, evenement: Any) -> str:
        return str(evenement.originator_id)

    def plier(self, ligne: dict[str, Any] | None, evenement: Any) -> dict[str, Any] | None:
        return plier(ligne, evenement)


# --- Reading: sums per cell, rates, evolutions ----------------------------------------------


@dataclass(frozen=True)
class Effectifs:
    presents: int = 0
    admis: int = 0
    ajournes: int = 0
    second_groupe: int = 0
    en_attente: int = 0
    sans_decision: int = 0

    @property
    def deliberes(self) -> int:
        """Présents with an outcome at this stage: none means no jury has deliberated them yet."""
        return self.admis + self.ajournes + self.second_groupe + self.en_attente + self.sans_decision

    def __add__(self, autre: Effectifs) -> Effectifs:
        return Effectifs(*(a + b for a, b in zip(self.__dict__.values(), autre.__dict__.values(), strict=True)))


@dataclass(frozen=True)
class LigneStatistique:
    niveau: Literal["ensemble", "voie", "serie", "groupe_pro"]
    voie: str | None
    code: str | None
    libelle: str
    effectifs: Effectifs
    taux: Decimal | None
    compare: Effectifs | None = None
    taux_compare: Decimal | None = None
    evolution: Decimal | None = None
    masque: str | None = None  # Q12: why the rate is not published (too few présents); counts stay

    @property
    def taux_publiable(self) -> Decimal | None:
        return None if self.masque else self.taux

    @property
    def evolution_publiable(self) -> Decimal | None:
        return None if self.masque else self.evolution


@dataclass(frozen=True)
class Statistiques:
    session: str
    comparee: str | None
    etape: str
    libelle_etape: str
    perimetre: str
    extraction: str | None
    lignes: list[LigneStatistique]
    definitions: tuple[str, ...] = field(default=(DEFINITION_PRESENT, DEFINITION_TAUX, DEFINITION_EVOLUTION))

    @property
    def delibere(self) -> bool:
        """At least one présent has an outcome at this stage (else every rate would read 0.0 %)."""
        return any(lg.effectifs.deliberes for lg in self.lignes if lg.niveau == "ensemble")

    def ligne(self, niveau: str, code: str | None = None) -> LigneStatistique:
        return next(lg for lg in self.lignes if lg.niveau == niveau and (lg.code == code or lg.voie == code))


Cle = tuple[str, str | None, str | None]  # (voie, série, groupe pro)


def _effectifs(connexion: Connection, session: str, etape: str) -> tuple[dict[Cle, Effectifs], str | None]:
    t = statistiques_candidats
    colonne = t.c[ETAPES[etape][0]]
    present = t.c.present == 1

    def compter(valeur: str) -> Any:
        return func.sum(case((present & (colonne == valeur), 1), else_=0))

    requete = (
        select(
            t.c.voie,
            t.c.serie,
            t.c.groupe_pro,
            func.sum(case((present, 1), else_=0)),
            compter(Resultat.admis.value),
            compter(Resultat.ajourne.value),
            compter(Resultat.second_groupe.value),
            compter(ATTENTE),
            compter(Resultat.sans_decision_finale.value),
        )
        .where(t.c.session == session)
        .group_by(t.c.voie, t.c.serie, t.c.groupe_pro)
    )
    cellules = {(r[0], r[1], r[2]): Effectifs(*(int(v or 0) for v in r[3:])) for r in connexion.execute(requete).all()}
    derniere = connexion.execute(select(func.max(t.c.modifie_le)).where(t.c.session == session)).scalar()
    return cellules, (derniere.isoformat() if derniere is not None else None)


def _regrouper(cellules: dict[Cle, Effectifs]) -> dict[tuple[str, str | None, str | None], Effectifs]:
    """Sums per (niveau, voie, code): the whole session, each voie, each techno série, each pro groupe."""
    sommes: dict[tuple[str, str | None, str | None], Effectifs] = {}

    def ajouter(cle: tuple[str, str | None, str | None], e: Effectifs) -> None:
        sommes[cle] = sommes.get(cle, Effectifs()) + e

    for (voie, serie, groupe), e in cellules.items():
        ajouter(("ensemble", None, None), e)
        ajouter(("voie", voie, voie), e)
        if voie == "technologique":
            ajouter(("serie", voie, serie), e)
        if voie == "professionnel" and groupe:
            ajouter(("groupe_pro", voie, groupe), e)
    return sommes


def _libelle(niveau: str, voie: str | None, code: str | None, annee: int) -> str:
    if niveau == "ensemble":
        return "Ensemble des trois voies"
    if niveau == "voie":
        return LIBELLES_VOIE.get(voie or "", voie or "")
    if niveau == "serie" and voie and code:
        try:
            libelle = charger_reglement(annee, voie, code).libelle_serie or code
        except ReglementIntrouvable:
            libelle = code
        return f"{libelle} ({code})"
    return code or ""


def _rang(cle: tuple[str, str | None, str | None]) -> tuple[int, int, int, str]:
    niveau, voie, code = cle
    ordre_voie = {"general": 1, "technologique": 2, "professionnel": 3}.get(voie or "", 0)
    detail = 0 if niveau in ("voie", "ensemble") else 1
    serie = ORDRE_SERIES.index(code) if niveau == "serie" and code in ORDRE_SERIES else len(ORDRE_SERIES)
    return (ordre_voie, detail, serie, code or "")


def perimetre(session: str) -> str:
    """Q11: which population every figure covers."""
    academie = session[5:].replace("-", " ").title().replace(" ", "-")
    return (
        f"Académie d'{academie} — session {session} : candidats inscrits au registre de la session "
        "(scolaires et individuels, baccalauréats général, technologique et professionnel de l'Éducation "
        "nationale) ; hors autres ministères et autres académies."
    )


def statistiques(
    connexion: Connection,
    session: str,
    etape: str = "provisoire",
    comparer: str | None = None,
    regle_masquage: Masquage | None = None,
) -> Statistiques:
    """R44–R47: the session's figures at this stage, compared with ``comparer`` at the same stage;
    Q12: rates of populations below the published threshold (``domain/publication.toml``) are masked."""
    if etape not in ETAPES:
        raise ValueError(f"étape inconnue : {etape} (provisoire, second_groupe, final)")
    cellules, extraction = _effectifs(connexion, session, etape)
    if not cellules:
        raise Introuvable(f"Aucun candidat inscrit dans la session « {session} »", regle="R44")
    maintenant = _regrouper(cellules)
    avant = _regrouper(_effectifs(connexion, comparer, etape)[0]) if comparer else {}
    if comparer and not avant:
        raise Introuvable(
            f"Session comparée « {comparer} » inconnue du registre (aucun candidat inscrit) : "
            "l'évolution en points n'a pas de base",
            regle="R46",
        )
    annee = int(session[:4])
    regle_masquage = regle_masquage or masquage()
    lignes = []
    for cle in sorted(maintenant, key=_rang):
        niveau, voie, code = cle
        e = maintenant[cle]
        p = avant.get(cle, Effectifs()) if comparer else None
        lignes.append(
            LigneStatistique(
                niveau=niveau,  # type: ignore[arg-type]
                voie=voie,
                code=code,
                libelle=_libelle(niveau, voie, code, annee),
                effectifs=e,
                taux=taux_publie(e.admis, e.presents),
                compare=p,
                taux_compare=taux_publie(p.admis, p.presents) if p else None,
                evolution=evolution(e.admis, e.presents, p.admis, p.presents) if p else None,
                masque=(NON_DELIBERE if e.presents and not e.deliberes else regle_masquage.raison(e.presents)),
            )
        )
    return Statistiques(
        session=session,
        comparee=comparer,
        etape=etape,
        libelle_etape=ETAPES[etape][1],
        perimetre=perimetre(session),
        extraction=extraction,
        lignes=lignes,
    )
