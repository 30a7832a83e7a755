"""A candidate's last decision explained, in French, from the stored `Délibéré` (R54, Q9; CRPA R311-3-1-2).

Per épreuve: grade, origin, coefficient, points; the totals and the thresholds compared; the rules
fired and their articles; the rule set's version and empreinte; the jury and its president; and
whether the rules re-run on the stored inputs reproduce the stored decision bit for bit.
Anonymous (R28): the candidate number only, never a name.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.calcul import DecisionSecondGroupe, Etape
from domain.candidat import Candidate
from domain.deliberation import Deliberation, ecarts_rejeu
from domain.errors import EtatIncompatible
from domain.reglement import Reglement

_REGLE = re.compile(r"\b[RQ]\d{1,2}\b")
_ARTICLE = re.compile(r"\b[DLR]\d{3}(?:-\d+)+\b")

LIBELLES_DECISION = {
    "admis": "Admis",
    "second_groupe": "Autorisé à se présenter au second groupe",
    "ajourne": "Ajourné",
    "sans_decision_finale": "Sans décision finale",
    "en_attente_remplacement": "En attente des épreuves de remplacement",
}
LIBELLES_ORIGINE = {
    "epreuve": "épreuve",
    "controle_continu": "contrôle continu",
    "evaluation_ponctuelle": "évaluation ponctuelle",
    "controle": "contrôle (second groupe)",
    "conservee": "note conservée",
    "absence_injustifiee": "absence injustifiée (0)",
}


# R54, CRPA R311-3-1-1: the explicit mention an individual decision taken on the basis of an algorithm carries.
MENTION_LEGALE = (
    "Cette décision du jury souverain a été préparée par un traitement algorithmique (calcul des points, "
    "des moyennes, des seuils d'admission, de second groupe et de mention) dont la finalité est l'organisation "
    "des examens du baccalauréat. En application des articles L311-3-1 et R311-3-1-1 du code des relations entre "
    "le public et l'administration, vous pouvez obtenir communication des règles définissant ce traitement et "
    "des principales caractéristiques de sa mise en œuvre (R311-3-1-2) auprès du service des examens du "
    "rectorat ; en cas de refus ou de silence pendant un mois, vous pouvez saisir la Commission d'accès aux "
    "documents administratifs (CADA) dans un délai de deux mois."
)


@dataclass(frozen=True)
class LigneExpliquee:
    code: str
    libelle: str
    note_saisie: str
    note: str
    origine: str
    coefficient: str
    points: str
    regles: list[str]


@dataclass(frozen=True)
class Explication:
    session: str
    numero: str
    groupe: int
    decision: str
    libelle_decision: str
    mention: str | None
    certificat: str | None
    total_points: str
    total_coefficients: str
    points_jury: str
    moyenne: str
    lignes: list[LigneExpliquee]
    substitutions: list[dict[str, Any]]
    etapes: list[dict[str, str]]
    regles: list[str]
    articles: list[str]
    textes: list[str]
    reglement_version: str
    reglement_empreinte: str
    jury: str
    president: str
    rejeu: str  # "identique" or "DIFFÉRENT"
    remarques: list[str] = field(default_factory=list)
    # The regulator's dossier (R54, Q9): when, by whom, on which material, and what changed the grades.
    date_deliberation: str | None = None
    jury_composition: list[dict[str, str]] = field(default_factory=list)
    livret: str = "non fourni"
    modifications: list[dict[str, str]] = field(default_factory=list)
    decisions_remplacees: int = 0
    sceau: dict[str, Any] | None = None
    mention_legale: str = MENTION_LEGALE
    rejeu_ecarts: list[str] = field(default_factory=list)  # stored fields the replay does not reproduce

    def en_json(self) -> dict[str, Any]:
        return asdict(self)


def _ordre(regle: str) -> tuple[str, int]:
    return (regle[0], int(regle[1:]))


def articles_par_regle(reglement: Reglement) -> dict[str, set[str]]:
    """R-id → articles, read from the rule set's own ``source`` texts (no table kept in code)."""
    sources = [reglement.seuils.source, reglement.options.source, reglement.jury.source]
    sources += [reglement.second_groupe.source, reglement.benefice.source]
    sources += [m.source for m in reglement.mentions] + [e.source for e in reglement.epreuves]
    sources += [s.source for s in reglement.second_groupe.substitutions]
    correspondance: dict[str, set[str]] = {}
    for source in sources:
        for segment in source.split(";"):
            articles = set(_ARTICLE.findall(segment))
            for regle in _REGLE.findall(segment):
                correspondance.setdefault(regle, set()).update(articles)
    return correspondance


LIBELLES_ABSENCE = {"justifiee": "absence justifiée", "injustifiee": "absence injustifiée"}


def _substitution(s: dict[str, Any]) -> dict[str, Any]:
    """Q8: an absent candidate's contrôle shows as an absence, never as an empty grade."""
    if s.get("absence"):
        s["note_controle"] = LIBELLES_ABSENCE[s["absence"]]
    return s


def decisions_particulieres(candidat: Candidate, d: Deliberation) -> list[str]:
    """The kinds of decision added by issue 13 (ADR 0019), said in French with their rule and article."""
    lignes = []
    trace = d.trace
    premier = trace.premier_groupe if isinstance(trace, DecisionSecondGroupe) else trace
    ctx = premier.contexte
    if ctx.etalement_handicap:
        restantes = ", ".join(premier.calcul.epreuves_manquantes) or "—"
        lignes.append(
            "Étalement des épreuves (handicap) : le jury a délibéré sur les seules épreuves présentées ; épreuves "
            f"restant à présenter : {restantes} ; « sans décision finale » sur le relevé (R17, D334-8, D336-8)"
        )
    if ctx.etalement_acheve:
        lignes.append(
            "Étalement des épreuves achevé : décision finale sur les notes conservées des sessions antérieures et "
            "celles de cette session, sans mention (R17, R33, Q5 ; D334-14, D336-14)"
        )
    if ctx.felicitations_refusees:
        lignes.append("Le jury souverain n'a pas accordé les félicitations, par une décision motivée (Q4, R29)")
    if ctx.privation_mention:
        lignes.append("Privation de toute mention prononcée par la commission de discipline (R37, D334-25 et suivants)")
    if isinstance(trace, DecisionSecondGroupe):
        for s in trace.substitutions:
            if s.absence:
                lignes.append(
                    f"{LIBELLES_ABSENCE[s.absence].capitalize()} au contrôle « {s.choix} » : la note du premier "
                    "groupe est retenue (R20, Q8)"
                )
        if any(s.absence for s in trace.substitutions) and d.certificat:
            lignes.append(
                f"Ajourné après le second groupe avec une moyenne d'au moins 8 sur l'ensemble des épreuves : "
                f"{d.certificat} délivré par le recteur, présent ou non aux contrôles (R31, Q8 ; D334-12, D336-12)"
            )
    for code, k in candidat.notes_conservees.items():
        if k.epreuve_origine:
            lignes.append(
                f"Note conservée de « {k.epreuve_origine} » (session {k.session_obtention}) comptée pour « {code} » "
                "par la table d'équivalence du règlement (Q16)"
            )
    return lignes


def expliquer(candidat: Candidate) -> Explication:
    d = candidat.derniere_deliberation
    if d is None:
        raise EtatIncompatible(f"Le candidat {candidat.numero} n'a pas encore été délibéré", code="NON_DELIBERE")
    reglement = candidat.reglement
    trace = d.trace
    premier = trace.premier_groupe if isinstance(trace, DecisionSecondGroupe) else trace
    etapes: tuple[Etape, ...] = trace.etapes
    lignes = [
        LigneExpliquee(
            code=lg.code,
            libelle=lg.libelle,
            note_saisie=str(lg.note_saisie),
            note=str(lg.note),
            origine=LIBELLES_ORIGINE.get(lg.origine.value, lg.origine.value),
            coefficient=str(lg.coefficient),
            points=str(lg.points),
            regles=list(lg.regles),
        )
        for lg in premier.calcul.lignes
    ]
    substitutions = (
        [_substitution(s.model_dump(mode="json")) for s in trace.substitutions]
        if isinstance(trace, DecisionSecondGroupe)
        else []
    )
    regles: set[str] = set()
    for texte in [e.regle for e in etapes] + [r for lg in lignes for r in lg.regles]:
        regles.update(_REGLE.findall(texte))
    correspondance = articles_par_regle(reglement)
    articles = sorted({a for r in regles for a in correspondance.get(r, set())})
    points_jury = trace.points_jury if isinstance(trace, DecisionSecondGroupe) else premier.contexte.points_jury
    remarques = []
    ecarts = ecarts_rejeu(reglement, d)
    if ecarts:
        remarques.append(f"Rejeu DIFFÉRENT de la décision enregistrée sur : {', '.join(ecarts)}")
    if reglement.empreinte != d.reglement_empreinte:
        remarques.append(f"Le jeu de règles a changé depuis la délibération (empreinte actuelle {reglement.empreinte})")
    if reglement.non_confirmes:
        remarques.append(f"Valeurs non confirmées du jeu de règles : {', '.join(reglement.non_confirmes)}")
    remarques += decisions_particulieres(candidat, d)
    return Explication(
        session=candidat.session,
        numero=candidat.numero,
        groupe=d.groupe,
        decision=d.decision.value,
        libelle_decision=LIBELLES_DECISION[d.decision.value],
        mention=premier.libelle_mention if d.groupe == 1 else None,
        certificat=d.certificat,
        total_points=str(d.total_points),
        total_coefficients=str(d.total_coefficients),
        points_jury=str(points_jury),
        moyenne=str(d.moyenne),
        lignes=lignes,
        substitutions=substitutions,
        etapes=[e.model_dump() for e in etapes],
        regles=sorted(regles, key=_ordre),
        articles=articles,
        textes=list(reglement.sources),
        reglement_version=d.reglement_version,
        reglement_empreinte=d.reglement_empreinte,
        jury=d.jury,
        president=d.president,
        rejeu="identique" if not ecarts else "DIFFÉRENT",
        rejeu_ecarts=ecarts,
        remarques=remarques,
    )
