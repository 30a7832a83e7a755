"""Carry out one command against a unit of work: find the aggregates, let them decide.

Cross-aggregate checks (the session exists and is open, the candidate exists, R36 per person
and year) live here; each aggregate guards its own rules. Every guard of a command runs
before the first event of that command.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from adapters.stockage.chantier import Chantier
from domain import ids
from domain.candidat import Candidate
from domain.commandes import (
    AffecterCandidats,
    AttribuerPointsJury,
    AutoriserRemplacement,
    ChoisirControle,
    CloreInscriptions,
    CloreSession,
    ConserverNotes,
    ConstituerJury,
    CorrigerControle,
    CorrigerNote,
    CorrigerNoteConservee,
    Deliberer,
    DeposerRecours,
    EffacerIdentite,
    ExaminerLivret,
    HarmoniserNotes,
    InscrireCandidat,
    MenerInspection,
    ModifierChoixControle,
    ModifierConsentement,
    OuvrirSession,
    PriverDeMention,
    RefuserFelicitations,
    RenoncerConservation,
    SaisirControle,
    SaisirNote,
    SaisirNotes,
    TrancherRecours,
)
from domain.corrections import ChangementNote, verifier_commission, verifier_harmonisation
from domain.deliberation import Deliberation, DeliberationRefusee, identique, resultats, verifier_deliberable
from domain.deliberation import deliberer as deliberer_candidat
from domain.errors import DejaFait, RefusMetier
from domain.inscription_annuelle import InscriptionAnnuelle
from domain.jury import Jury
from domain.modele import Acte
from domain.session import Session
from domain.valeurs import Identite


def _session(chantier: Chantier, code: str) -> Session:
    return chantier.exiger(ids.session_id(code), Session, f"Session inconnue : {code}")


def _candidat(chantier: Chantier, session: str, numero: str) -> Candidate:
    return chantier.exiger(
        ids.candidat_id(session, numero), Candidate, f"Candidat inconnu : n° {numero} dans la session {session}"
    )


def ouvrir_session(chantier: Chantier, c: OuvrirSession, acte: Acte) -> None:
    if chantier.trouver(ids.session_id(c.session), Session) is not None:
        raise DejaFait(f"La session {c.session} est déjà ouverte", code="SESSION_DEJA_OUVERTE")
    chantier.ajouter(Session.ouvrir(code=c.session, libelle=c.libelle, acte=acte))


def clore_inscriptions(chantier: Chantier, c: CloreInscriptions, acte: Acte) -> None:
    _session(chantier, c.session).clore_inscriptions(acte=acte)


def clore_session(chantier: Chantier, c: CloreSession, acte: Acte) -> None:
    _session(chantier, c.session).clore(acte=acte)


def inscrire(chantier: Chantier, c: InscrireCandidat, acte: Acte) -> None:
    session = _session(chantier, c.session)
    session.verifier_ouverte()
    session.verifier_inscriptions_ouvertes()
    if chantier.trouver(ids.candidat_id(c.session, c.numero), Candidate) is not None:
        raise DejaFait(
            f"Le numéro {c.numero} est déjà attribué dans la session {c.session}", code="NUMERO_DEJA_ATTRIBUE"
        )
    annuelle = chantier.trouver(ids.inscription_annuelle_id(session.annee, c.identite.ine), InscriptionAnnuelle)
    if annuelle is not None:
        raise DejaFait(
            f"Ce candidat est déjà inscrit à une session du baccalauréat en {session.annee} "
            f"(session {annuelle.session}) : une seule inscription par an",
            regle="R36, D336-16, D334-17",
            code="DEJA_INSCRIT_CETTE_ANNEE",
        )
    candidat = Candidate.inscrire(
        session=c.session,
        annee=session.annee,
        numero=c.numero,
        identite=c.identite,
        voie=c.voie,
        serie=c.serie,
        specialites=c.specialites,
        options=c.options,
        categorie=c.categorie,
        etablissement=c.etablissement,
        livret_scolaire=c.livret_scolaire,
        handicap=c.handicap,
        etalement=c.etalement,
        titulaire_bac=c.titulaire_bac,
        acte=acte,
        consentement_publication=c.consentement_publication,
    )
    chantier.ajouter(
        InscriptionAnnuelle(
            annee=session.annee, ine=c.identite.ine, session=c.session, candidat_id=candidat.id, acte=acte
        )
    )
    chantier.ajouter(candidat)


def saisir_note(chantier: Chantier, c: SaisirNote, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).saisir_note(
        epreuve=c.epreuve,
        note=c.note,
        absence=c.absence,
        origine=c.origine,
        source=c.source,
        correcteur=c.correcteur,
        acte=acte,
    )


def saisir_notes(chantier: Chantier, c: SaisirNotes, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).saisir_notes(notes=c.notes, acte=acte)


def constituer_jury(chantier: Chantier, c: ConstituerJury, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    if chantier.trouver(ids.jury_id(c.session, c.jury), Jury) is not None:
        raise DejaFait(f"Le jury {c.jury} est déjà constitué", code="JURY_DEJA_CONSTITUE")
    chantier.ajouter(
        Jury.constituer(
            session=c.session, code=c.jury, voie=c.voie, president=c.president, membres=c.membres, acte=acte
        )
    )


def affecter_candidats(chantier: Chantier, c: AffecterCandidats, acte: Acte) -> None:
    jury = chantier.exiger(ids.jury_id(c.session, c.jury), Jury, f"Jury inconnu : {c.jury}")
    chantier.precharger([ids.candidat_id(c.session, numero) for numero in c.numeros])
    candidats = [_candidat(chantier, c.session, numero) for numero in c.numeros]
    # Guards of every aggregate first: one refused candidate refuses the whole act.
    jury.verifier_affectation(c.numeros)
    for candidat in candidats:
        candidat.verifier_affectation(jury=c.jury, voie_du_jury=jury.voie)
    jury.affecter(numeros=c.numeros, acte=acte)
    for candidat in candidats:
        candidat.affecter_jury(jury=c.jury, voie_du_jury=jury.voie, acte=acte)


def _jury(chantier: Chantier, session: str, code: str) -> Jury:
    return chantier.exiger(ids.jury_id(session, code), Jury, f"Jury inconnu : {code} dans la session {session}")


def examiner_livret(chantier: Chantier, c: ExaminerLivret, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _jury(chantier, c.session, c.jury).verifier_siege(acte)
    _candidat(chantier, c.session, c.numero).examiner_livret(jury=c.jury, acte=acte)


def attribuer_points_jury(chantier: Chantier, c: AttribuerPointsJury, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _jury(chantier, c.session, c.jury).verifier_siege(acte, president_seulement=True)
    _candidat(chantier, c.session, c.numero).attribuer_points_jury(
        groupe=c.groupe, points=c.points, jury=c.jury, acte=acte
    )


def _a_deliberer(chantier: Chantier, c: Deliberer, jury: Jury) -> list[Candidate]:
    """The named candidates, or every candidate of the jury still to deliberate for this groupe."""
    chantier.precharger([ids.candidat_id(c.session, numero) for numero in c.numeros or jury.candidats])
    if c.numeros is not None:
        return [_candidat(chantier, c.session, numero) for numero in c.numeros]
    restants = []
    for numero in jury.candidats:
        candidat = _candidat(chantier, c.session, numero)
        try:
            verifier_deliberable(candidat, c.groupe)
        except RefusMetier:
            continue  # deliberated already, not at the second groupe, or still awaiting a replacement
        restants.append(candidat)
    if not restants:
        raise DejaFait(
            f"Aucun candidat du jury {c.jury} n'est à délibérer au groupe {c.groupe}", code="RIEN_A_DELIBERER"
        )
    return restants


def deliberer(chantier: Chantier, c: Deliberer, acte: Acte) -> None:
    """R16–R24, R29: the whole jury's act; any candidate refused refuses it, with every reason listed."""
    _session(chantier, c.session).verifier_ouverte()
    jury = _jury(chantier, c.session, c.jury)
    jury.verifier_siege(acte, president_seulement=True)
    candidats = _a_deliberer(chantier, c, jury)
    numeros = tuple(candidat.numero for candidat in candidats)
    jury.verifier_deliberation(numeros, acte)
    decisions: list[tuple[Candidate, Deliberation]] = []
    refus: list[tuple[str, RefusMetier]] = []
    for candidat in candidats:
        try:
            decisions.append(
                (
                    candidat,
                    deliberer_candidat(candidat, c.groupe, jury=jury.code, president=jury.president.identifiant),
                )
            )
        except RefusMetier as r:
            refus.append((candidat.numero, r))
    if refus:
        raise DeliberationRefusee(refus)
    # Sealed once written (ADR 0013, adapters/audit/preuves/sceau.py): the seal covers the act's own events.
    jury.deliberer(groupe=c.groupe, numeros=numeros, resultats=resultats(d for _, d in decisions), acte=acte)
    for candidat, decision in decisions:
        candidat.enregistrer_deliberation(decision, acte)


def choisir_controle(chantier: Chantier, c: ChoisirControle, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).choisir_controle(epreuves=c.epreuves, acte=acte)


def saisir_controle(chantier: Chantier, c: SaisirControle, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).saisir_controle(
        epreuve=c.epreuve, note=c.note, absence=c.absence, acte=acte
    )


def _renoncees_entre(chantier: Chantier, origine: Candidate, nouveau: Candidate) -> frozenset[str]:
    """R32: épreuves of ``origine`` renounced at a session in between (found through the yearly index, R36)."""
    renoncees: set[str] = set()
    personne = nouveau.identite
    if not isinstance(personne, Identite):  # erased: no INE left to look up; the guard then refuses (R56)
        return frozenset()
    for annee in range(origine.annee + 1, nouveau.annee):
        annuelle = chantier.trouver(ids.inscription_annuelle_id(annee, personne.ine), InscriptionAnnuelle)
        if annuelle is None:
            continue
        intermediaire = chantier.trouver(annuelle.candidat_id, Candidate)
        if intermediaire is not None:
            renoncees |= intermediaire.conservations_renoncees
    return frozenset(renoncees)


def conserver_notes(chantier: Chantier, c: ConserverNotes, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    nouveau = _candidat(chantier, c.session, c.numero)
    origine = _candidat(chantier, c.session_origine, c.numero_origine)
    nouveau.conserver_notes(
        origine=origine, epreuves=c.epreuves, renoncees_ailleurs=_renoncees_entre(chantier, origine, nouveau), acte=acte
    )


def renoncer_conservation(chantier: Chantier, c: RenoncerConservation, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).renoncer_conservation(epreuve=c.epreuve, acte=acte)


def autoriser_remplacement(chantier: Chantier, c: AutoriserRemplacement, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).autoriser_remplacement(epreuves=c.epreuves, acte=acte)


def corriger_note(chantier: Chantier, c: CorrigerNote, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).corriger_note(
        epreuve=c.epreuve, note=c.note, absence=c.absence, motif=c.motif, acte=acte
    )


def harmoniser_notes(chantier: Chantier, c: HarmoniserNotes, acte: Acte) -> None:
    """R5, D336-4-1: one act for every change; any change refused refuses the act, all reasons listed."""
    session = _session(chantier, c.session)
    session.verifier_ouverte()
    verifier_commission(acte, c.membres)
    par_candidat: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    candidats: dict[str, Candidate] = {}
    refus: list[tuple[str, RefusMetier]] = []
    for changement in c.changements:
        try:
            candidat = candidats.get(changement.numero) or _candidat(chantier, c.session, changement.numero)
            candidats[changement.numero] = candidat
            ancienne = verifier_harmonisation(candidat, changement.epreuve, changement.note)
        except RefusMetier as r:
            refus.append((changement.numero, r))
            continue
        par_candidat.setdefault(changement.numero, {})[changement.epreuve] = (ancienne, changement.note)
    if refus:
        raise DeliberationRefusee(refus, acte="Harmonisation refusée", code="HARMONISATION_REFUSEE")
    session.harmoniser(
        commission=c.commission,
        membres=c.membres,
        changements=tuple(
            ChangementNote(numero=numero, epreuve=epreuve, ancienne=ancienne, nouvelle=nouvelle)
            for numero, notes in par_candidat.items()
            for epreuve, (ancienne, nouvelle) in notes.items()
        ),
        acte=acte,
    )
    for numero, notes in par_candidat.items():
        candidats[numero].harmoniser(changements=notes, commission=c.commission, acte=acte)


def deposer_recours(chantier: Chantier, c: DeposerRecours, acte: Acte) -> None:
    _candidat(chantier, c.session, c.numero).deposer_recours(objet=c.objet, epreuves=c.epreuves, acte=acte)


def trancher_recours(chantier: Chantier, c: TrancherRecours, acte: Acte) -> None:
    _candidat(chantier, c.session, c.numero).trancher_recours(issue=c.issue, acte=acte)


def mener_inspection(chantier: Chantier, c: MenerInspection, acte: Acte) -> None:
    """R54: the inspection records, with the inspector's conclusion, whether the rules re-run identically."""
    candidat = _candidat(chantier, c.session, c.numero)
    d = candidat.derniere_deliberation
    rejeu = d is not None and identique(candidat.reglement, d)
    candidat.mener_inspection(conclusion=c.conclusion, rejeu_identique=rejeu, acte=acte)


# --- Results week, issue 13 (ADR 0019) ------------------------------------------------------------------


def modifier_choix_controle(chantier: Chantier, c: ModifierChoixControle, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).modifier_choix_controle(epreuves=c.epreuves, acte=acte)


def corriger_controle(chantier: Chantier, c: CorrigerControle, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).corriger_controle(
        epreuve=c.epreuve, note=c.note, absence=c.absence, motif=c.motif, acte=acte
    )


def corriger_note_conservee(chantier: Chantier, c: CorrigerNoteConservee, acte: Acte) -> None:
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).corriger_note_conservee(
        epreuve=c.epreuve, note=c.note, motif=c.motif, acte=acte
    )


def refuser_felicitations(chantier: Chantier, c: RefuserFelicitations, acte: Acte) -> None:
    """Q4: a decision of the jury, taken by its president (R26) for the candidates assigned to it."""
    _session(chantier, c.session).verifier_ouverte()
    _jury(chantier, c.session, c.jury).verifier_siege(acte, president_seulement=True)
    _candidat(chantier, c.session, c.numero).refuser_felicitations(jury=c.jury, acte=acte)


def priver_de_mention(chantier: Chantier, c: PriverDeMention, acte: Acte) -> None:
    _candidat(chantier, c.session, c.numero).priver_de_mention(decision_commission=c.decision_commission, acte=acte)


def effacer_identite(chantier: Chantier, c: EffacerIdentite, acte: Acte) -> None:
    """R56 (ADR 0023): the store destroys the candidate's key in the transaction of `IdentitéEffacée`."""
    _candidat(chantier, c.session, c.numero).effacer_identite(regle=c.regle, acte=acte)


def modifier_consentement(chantier: Chantier, c: ModifierConsentement, acte: Acte) -> None:
    """R57: accepted while the session is open (a closed session publishes nothing more)."""
    _session(chantier, c.session).verifier_ouverte()
    _candidat(chantier, c.session, c.numero).modifier_consentement(consentement=c.consentement, acte=acte)


EXECUTANTS: dict[str, Callable[[Chantier, Any, Acte], None]] = {
    "ouvrir_session": ouvrir_session,
    "clore_inscriptions": clore_inscriptions,
    "clore_session": clore_session,
    "inscrire": inscrire,
    "saisir_note": saisir_note,
    "saisir_notes": saisir_notes,
    "constituer_jury": constituer_jury,
    "affecter_candidats": affecter_candidats,
    "examiner_livret": examiner_livret,
    "attribuer_points_jury": attribuer_points_jury,
    "deliberer": deliberer,
    "choisir_controle": choisir_controle,
    "saisir_controle": saisir_controle,
    "conserver_notes": conserver_notes,
    "renoncer_conservation": renoncer_conservation,
    "autoriser_remplacement": autoriser_remplacement,
    "corriger_note": corriger_note,
    "harmoniser_notes": harmoniser_notes,
    "deposer_recours": deposer_recours,
    "trancher_recours": trancher_recours,
    "mener_inspection": mener_inspection,
    "modifier_choix_controle": modifier_choix_controle,
    "corriger_controle": corriger_controle,
    "corriger_note_conservee": corriger_note_conservee,
    "refuser_felicitations": refuser_felicitations,
    "priver_de_mention": priver_de_mention,
    "effacer_identite": effacer_identite,
    "modifier_consentement": modifier_consentement,
}


def executer(chantier: Chantier, commande: Any, acte: Acte) -> None:
    EXECUTANTS[commande.type](chantier, commande, acte)
