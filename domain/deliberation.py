"""The sovereign jury's deliberation of one candidate: inputs, rule run, stored record, replay.

Pure functions over a candidate's state (no I/O, no clock). The arithmetic is `domain.calcul`'s;
this module only gathers what the jury knows (R29 livret, R30 points de jury, R32 kept grades,
R34 replacements, R17 étalement), runs the rules and checks the published invariants loudly.
The `Deliberation` record is the payload of the `Délibéré` event: it carries its inputs (the
`Dossier`, the jury's context, the contrôle grades) so that replaying the rules on them gives the
stored decision bit for bit (R54, Q9). Anonymity (R28, D334-9, D336-9): no identity is read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Discriminator, SerializeAsAny, Tag

from domain.calcul import (
    ContexteJury,
    DecisionPremierGroupe,
    DecisionSecondGroupe,
    Dossier,
    InvariantViole,
    NoteCandidat,
    NoteControle,
    NotesManquantes,
    Origine,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
    deliberer_second_groupe,
)
from domain.errors import DejaFait, EtatIncompatible, RefusMetier
from domain.modele import Immutable
from domain.partage import Partages
from domain.reglement import Reglement

if TYPE_CHECKING:
    from domain.candidat import Candidate

Groupe = Literal[1, 2]


def _groupe_de_la_trace(trace: Any) -> str:
    """Which decision a trace is, read from its own fields: only a second-groupe trace embeds the premier's."""
    premier = trace.get("premier_groupe") if isinstance(trace, dict) else getattr(trace, "premier_groupe", None)
    return "second" if premier is not None else "premier"


# A Délibéré's trace, stored as its decision's own JSON (the tag is computed, never stored). Tagged, a second-groupe
# trace is read against its one model, not first against the premier groupe's. Serialised as its runtime class: a
# union field made pydantic render the whole trace into Python objects before writing it (a Délibéré written in
# 100–140 µs, 67–104 µs so, measured on the day's traces, ADR 0002; tests/domain/test_trace_stockee.py pins the bytes).
Trace = SerializeAsAny[
    Annotated[
        Annotated[DecisionPremierGroupe, Tag("premier")] | Annotated[DecisionSecondGroupe, Tag("second")],
        Discriminator(_groupe_de_la_trace),
    ]
]


ORIGINES = {
    "epreuve_terminale": Origine.epreuve,
    "controle_continu": Origine.controle_continu,
    "evaluation_ponctuelle": Origine.evaluation_ponctuelle,
}


class Deliberation(Immutable):
    """What the jury decided for one candidate and one groupe, with everything needed to replay it."""

    groupe: Groupe
    decision: Resultat
    mention: str | None
    certificat: str | None
    reglement_version: str
    reglement_empreinte: str
    jury: str
    president: str
    entrees: Dossier
    contexte: ContexteJury
    contexte_premier_groupe: ContexteJury | None = None
    controles: tuple[NoteControle, ...] = ()
    trace: Trace
    total_points: Decimal
    total_coefficients: Decimal
    moyenne: Decimal


class DeliberationRefusee(RefusMetier):
    """One act for the whole jury (R29): any candidate refused refuses the act, all reasons listed."""

    code = "DELIBERATION_REFUSEE"

    def __init__(
        self, refus: list[tuple[str, RefusMetier]], *, acte: str = "Délibération refusée", code: str | None = None
    ) -> None:
        codes = {r.code for _, r in refus}
        regles: list[str] = []
        for _, r in refus:
            for regle in (r.regle or "").split(", "):
                if regle and regle not in regles:
                    regles.append(regle)
        lignes = "; ".join(f"n° {numero} : {r.message}" for numero, r in refus)
        super().__init__(
            f"{acte}, rien n'est enregistré — {lignes}",
            regle=", ".join(regles) or None,
            code=code or (codes.pop() if len(codes) == 1 else None),
        )
        self.refus = refus


# --- What the jury has before it -------------------------------------------------------------


# Shared (domain/partage.py): a dossier's grade depends on its épreuve, its text and its origin only. The text,
# not the value: 12.5 and 12.50 are equal Decimals written apart in the trace.
_NOTES: Partages[tuple[str, str, Origine], NoteCandidat] = Partages(200_000)


def _note(code: str, note: Decimal | None, origine: Origine) -> NoteCandidat:
    if origine == Origine.absence_injustifiee:
        return _NOTES.obtenir((code, "None", origine), lambda: NoteCandidat(code=code, origine=origine))
    return _NOTES.obtenir((code, str(note), origine), lambda: NoteCandidat(code=code, note=note, origine=origine))


def dossier(candidat: Candidate) -> Dossier:
    """Every grade with its origin (R1, R5, R13; kept grades R32): the input of the rules.

    A justified absence is no grade: the épreuve stays missing until replaced (R34).
    """
    reglement = candidat.reglement
    notes: list[NoteCandidat] = []
    for code, n in candidat.notes.items():
        if n.absence == "justifiee" and not reglement.absence_justifiee_zero:
            continue
        if n.absence is not None:  # injustifiée; or any absence where the set says so (R61, D336-28)
            notes.append(_note(code, None, Origine.absence_injustifiee))
        else:
            notes.append(_note(code, n.note, ORIGINES[n.origine]))
    for code, k in candidat.notes_conservees.items():
        notes.append(
            NoteCandidat(code=code, note=k.note, origine=Origine.conservee, session_obtention=k.session_obtention)
        )
    notes.sort(key=lambda n: reglement.rang(n.code))
    return Dossier(
        notes=tuple(notes),
        options=candidat.options,
        handicap_benefice=candidat.handicap and bool(candidat.notes_conservees),
    )


def contexte(candidat: Candidate, groupe: Groupe) -> ContexteJury:
    """What the jury knows or decided for this groupe (R17, R29, R30, R34)."""
    if groupe == 2:
        return ContexteJury(
            points_jury=candidat.points_jury.get(2, Decimal(0)),
            livret_fourni=candidat.livret_scolaire,
            livret_examine=candidat.livret_examine,
        )
    # R17: an étalement is « sans décision finale » while épreuves remain; once all are presented (kept grades
    # of earlier sessions included, R33) the jury gives a final decision (ADR 0019).
    restantes = candidat.etalement and bool(_non_presentees(candidat))
    return ContexteJury(
        points_jury=candidat.points_jury.get(1, Decimal(0)),
        livret_fourni=candidat.livret_scolaire,
        livret_examine=candidat.livret_examine,
        etalement_handicap=restantes,
        remplacements_autorises=tuple(sorted(candidat.remplacements, key=candidat.reglement.rang)),
        privation_mention=candidat.privation_mention,
        felicitations_refusees=candidat.felicitations_refusees,
        etalement_acheve=candidat.etalement and not restantes,
    )


def _non_presentees(candidat: Candidate) -> list[str]:
    presentes = {n.code for n in dossier(candidat).notes}
    return [e.code for e in candidat.reglement.epreuves_obligatoires() if e.code not in presentes]


def controles(candidat: Candidate) -> tuple[NoteControle, ...]:
    """The contrôle grades (or absences, Q8) of the chosen épreuves (R19, R20), or a refusal listing the missing."""
    absences = candidat.absences_controle
    manquants = [c for c in candidat.controles_choisis if c not in candidat.controles and c not in absences]
    if manquants:
        raise NotesManquantes(
            f"Notes de contrôle manquantes (ni note ni absence) : {', '.join(manquants)}", regle="R19, R20, Q8"
        )
    return tuple(
        NoteControle(code=c, absence=absences[c]) if c in absences else NoteControle(code=c, note=candidat.controles[c])
        for c in candidat.controles_choisis
    )


# --- Running the rules ------------------------------------------------------------------------


def evaluer(
    reglement: Reglement,
    entrees: Dossier,
    contexte: ContexteJury,
    *,
    contexte_premier_groupe: ContexteJury | None = None,
    controles: tuple[NoteControle, ...] = (),
) -> Trace:
    """The rules on these inputs: premier groupe (R13–R18, R23, R29–R31, R34), or second (R20–R22)."""
    premier = contexte_premier_groupe if contexte_premier_groupe is not None else contexte
    decision = deliberer_premier_groupe(reglement, calculer_moyenne(reglement, entrees), premier)
    if contexte_premier_groupe is None:
        return decision
    return deliberer_second_groupe(reglement, decision, controles, contexte)


def rejouer(reglement: Reglement, d: Deliberation) -> Trace:
    """Re-run the rules on the stored inputs (R54): the caller compares with ``d.trace``."""
    return evaluer(
        reglement,
        d.entrees,
        d.contexte,
        contexte_premier_groupe=d.contexte_premier_groupe,
        controles=d.controles,
    )


def ecarts_rejeu(reglement: Reglement, d: Deliberation) -> list[str]:
    """R54: the stored fields the rules, re-run on the stored inputs, do not reproduce (empty: identical).

    The outcome is compared, not only the trace: a `Délibéré` whose decision was rewritten in the database
    (admis → ajourné) keeps a trace that still replays, and must still be caught.
    """
    if reglement.empreinte != d.reglement_empreinte:
        return ["reglement_empreinte"]
    trace = rejouer(reglement, d)
    if isinstance(trace, DecisionSecondGroupe):
        total, coefficients = trace.total_points, trace.premier_groupe.calcul.total_coefficients
    else:
        total, coefficients = trace.total_apres_jury, trace.calcul.total_coefficients
    attendu = {
        "decision": trace.resultat,
        "mention": trace.mention,
        "certificat": trace.certificat,
        "total_points": total,
        "total_coefficients": coefficients,
        "moyenne": trace.moyenne_affichee,
    }
    ecarts = [champ for champ, valeur in attendu.items() if getattr(d, champ) != valeur]
    if trace.model_dump_json() != d.trace.model_dump_json():
        ecarts.append("trace")
    return ecarts


def identique(reglement: Reglement, d: Deliberation) -> bool:
    """Whether the stored decision is reproduced bit for bit by the rules on its stored inputs."""
    return not ecarts_rejeu(reglement, d)


def verifier_deliberable(candidat: Candidate, groupe: Groupe) -> None:
    """A groupe is deliberated once (R16, R18); again only out of a pending replacement (R34, Q15)."""
    if groupe == 1:
        precedente = candidat.deliberations.get(1)
        if precedente is None or candidat.a_redeliberer:  # R29: a correction sent it back (ADR 0009)
            return
        if precedente.decision != Resultat.en_attente_remplacement:
            raise DejaFait(f"Le candidat {candidat.numero} a déjà été délibéré au premier groupe", code="DEJA_DELIBERE")
        attendues = candidat.remplacements_en_attente()
        if attendues:
            raise EtatIncompatible(
                f"Notes de remplacement attendues pour le candidat {candidat.numero} : {', '.join(attendues)}",
                regle="R34",
                code="REMPLACEMENT_EN_ATTENTE",
            )
        return
    if candidat.a_redeliberer:
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} est à délibérer de nouveau au premier groupe après une correction",
            regle="R29",
            code="A_REDELIBERER",
        )
    premier = candidat.deliberations.get(1)
    if premier is None or premier.decision != Resultat.second_groupe:
        etat = "non délibéré" if premier is None else premier.decision.value
        raise EtatIncompatible(
            f"Le candidat {candidat.numero} n'est pas autorisé au second groupe ({etat})",
            regle="R18",
            code="PAS_AU_SECOND_GROUPE",
        )
    if 2 in candidat.deliberations and not candidat.a_redeliberer_second_groupe:  # R29: a corrected contrôle
        raise DejaFait(f"Le candidat {candidat.numero} a déjà été délibéré au second groupe", code="DEJA_DELIBERE")


def deliberer(candidat: Candidate, groupe: Groupe, *, jury: str, president: str) -> Deliberation:
    """The jury's decision for one candidate, or a refusal naming its rule; nothing is recorded here."""
    verifier_deliberable(candidat, groupe)
    reglement = candidat.reglement
    if groupe == 1:
        non_autorisees = (
            [c for c, n in candidat.notes.items() if n.absence == "justifiee" and c not in candidat.remplacements]
            if not reglement.absence_justifiee_zero
            else []
        )
        if non_autorisees and not candidat.etalement:
            raise NotesManquantes(
                f"Absence justifiée sans remplacement autorisé par le recteur : {', '.join(non_autorisees)}",
                regle="R34, R13",
            )
        entrees, ctx = dossier(candidat), contexte(candidat, 1)
        trace: Trace = evaluer(reglement, entrees, ctx)
        ctx_premier: ContexteJury | None = None
        notes_controle: tuple[NoteControle, ...] = ()
    else:
        premier = candidat.deliberations[1]
        entrees, ctx_premier, ctx = premier.entrees, premier.contexte, contexte(candidat, 2)
        notes_controle = controles(candidat)
        trace = evaluer(reglement, entrees, ctx, contexte_premier_groupe=ctx_premier, controles=notes_controle)
        assert isinstance(trace, DecisionSecondGroupe)
        if trace.premier_groupe.model_dump_json() != premier.trace.model_dump_json():
            raise InvariantViole(f"candidat {candidat.numero} : le premier groupe rejoué diffère de celui délibéré")
    if isinstance(trace, DecisionSecondGroupe):
        total, coefficients = trace.total_points, trace.premier_groupe.calcul.total_coefficients
    else:
        total, coefficients = trace.total_apres_jury, trace.calcul.total_coefficients
    resultat = Deliberation(
        groupe=groupe,
        decision=trace.resultat,
        mention=trace.mention,
        certificat=trace.certificat,
        reglement_version=reglement.version,
        reglement_empreinte=reglement.empreinte,
        jury=jury,
        president=president,
        entrees=entrees,
        contexte=ctx,
        contexte_premier_groupe=ctx_premier,
        controles=notes_controle,
        trace=trace,
        total_points=total,
        total_coefficients=coefficients,
        moyenne=trace.moyenne_affichee,
    )
    verifier_invariants(reglement, resultat)
    return resultat


def verifier_invariants(reglement: Reglement, d: Deliberation) -> None:
    """Published invariants (STYLE "Rules"): fail loudly, never record an impossible state."""
    quoi = f"{reglement.version}, groupe {d.groupe}"
    if not Decimal(0) <= d.moyenne <= Decimal(20):
        raise InvariantViole(f"{quoi} : moyenne {d.moyenne} hors de [0, 20]")
    if d.mention is not None and (d.groupe != 1 or d.decision != Resultat.admis):
        raise InvariantViole(f"{quoi} : mention sans admission au premier groupe (R21, R24)")
    if d.groupe == 2 and d.decision not in (Resultat.admis, Resultat.ajourne):
        raise InvariantViole(f"{quoi} : issue {d.decision.value} impossible après le second groupe (R21)")
    if d.decision == Resultat.admis and d.total_points < reglement.seuils.admission * d.total_coefficients:
        raise InvariantViole(f"{quoi} : admis sous le seuil d'admission (R16, R21)")
    if d.certificat is not None and d.decision != Resultat.ajourne:
        raise InvariantViole(f"{quoi} : certificat pour un candidat non ajourné (R31)")
    etalement = d.contexte.etalement_acheve or d.contexte.etalement_handicap
    if etalement and d.mention is not None and not reglement.benefice.mention_possible_etalement:
        raise InvariantViole(f"{quoi} : mention après un étalement des épreuves (R17, Q5)")
    conservees = any(n.origine == Origine.conservee for n in d.entrees.notes)
    handicap = d.entrees.handicap_benefice and reglement.benefice.mention_possible_handicap
    if conservees and d.mention is not None and not handicap:
        raise InvariantViole(f"{quoi} : mention malgré des notes conservées (R24, R32)")


def resultats(deliberations: Iterable[Deliberation]) -> dict[str, int]:
    """How many candidates per decision, for the jury's record of the act."""
    compte: dict[str, int] = {}
    for d in deliberations:
        compte[d.decision.value] = compte.get(d.decision.value, 0) + 1
    return dict(sorted(compte.items()))
