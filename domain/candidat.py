"""The `Candidate` aggregate: one person's registration for one session, and every grade entered for it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from domain import actes_jury, conservation, corrections, ids, saisie
from domain.calcul import Conservation, ContexteJury, Dossier, NoteControle, Resultat
from domain.candidat_identite import ActesIdentite, IdentiteInscrite
from domain.candidat_resultats import ActesResultats
from domain.commandes import NoteDeReleve
from domain.deliberation import Deliberation, Groupe, Trace
from domain.errors import DejaFait, RefusMetier
from domain.etat_candidat import NoteConserveeEnregistree, NoteEnregistree
from domain.inscription import verifier_inscription
from domain.modele import Acte, Agregat
from domain.reglement import Reglement, charger_reglement
from domain.saisie import CATEGORIES_SCOLAIRES, NATURES_TERMINALES
from domain.valeurs import Absence, Categorie, CodeUAI, Correcteur, Identite, Origine, SourceNote, Voie

__all__ = ["NATURES_TERMINALES", "Candidate", "NoteConserveeEnregistree", "NoteEnregistree"]

# R34: added to `NoteSaisie` after its first version; the default reads the older events unchanged.
Remplacement = Annotated[bool, Field(default=False, description="Grade of a replacement épreuve (R34)")]
# Q16: added to `NoteConservée` (ADR 0019); older events kept the grade under its own épreuve.
EpreuveOrigine = Annotated[str | None, Field(default=None, description="Vanished épreuve of a kept grade (Q16)")]
# R57: added to `Inscrit` (ADR 0024); an older event, written before consent was asked, reads as "no publication".
Consentement = Annotated[bool, Field(default=False, description="Consent to the publication of the result (R57)")]


class Candidate(ActesResultats, ActesIdentite):
    """A candidate of one session (R36: one session and one série per year and person); the acts of
    issue 13 (absence at a contrôle, corrections, félicitations, privation) come from `ActesResultats`."""

    @staticmethod
    def create_id(session: str, numero: str, **_: Any) -> UUID:
        return ids.candidat_id(session, numero)

    @classmethod
    def inscrire(
        cls,
        *,
        session: str,
        annee: int,
        numero: str,
        identite: Identite,
        voie: Voie,
        serie: str | None,
        specialites: tuple[str, ...],
        options: tuple[str, ...],
        categorie: Categorie,
        etablissement: CodeUAI | None,
        livret_scolaire: bool,
        handicap: bool,
        etalement: bool,
        titulaire_bac: bool,
        acte: Acte,
        consentement_publication: bool = False,
    ) -> Candidate:
        """Guards of an inscription that depend only on the règlement of the session (R2, R6, R9, R38)."""
        verifier_inscription(
            charger_reglement(annee, voie, serie), specialites=specialites, options=options, etalement=etalement,
            handicap=handicap,
        )  # fmt: skip
        return cls(
            session=session, annee=annee, numero=numero, identite=identite, voie=voie, serie=serie,
            specialites=specialites, options=options, categorie=categorie, etablissement=etablissement,
            livret_scolaire=livret_scolaire, handicap=handicap, etalement=etalement, titulaire_bac=titulaire_bac,
            acte=acte, consentement_publication=consentement_publication,
        )  # fmt: skip

    @event("Inscrit")
    def __init__(
        self,
        session: str,
        annee: int,
        numero: str,
        identite: IdentiteInscrite,
        voie: Voie,
        serie: str | None,
        specialites: tuple[str, ...],
        options: tuple[str, ...],
        categorie: Categorie,
        etablissement: CodeUAI | None,
        livret_scolaire: bool,
        handicap: bool,
        etalement: bool,
        titulaire_bac: bool,
        acte: Acte,
        consentement_publication: Consentement = False,
    ) -> None:
        self.session = session
        self.annee = annee
        self.numero = numero
        self.identite = identite
        self.voie = voie
        self.serie = serie
        self.specialites = specialites
        self.options = options
        self.categorie = categorie
        self.etablissement = etablissement
        self.livret_scolaire = livret_scolaire
        self.handicap = handicap
        self.etalement = etalement
        self.titulaire_bac = titulaire_bac
        self.consentement_publication = consentement_publication  # R57: changed by `ConsentementModifié`
        self.notes: dict[str, NoteEnregistree] = {}
        self.jury: str | None = None
        self.livret_examine = False
        self.points_jury: dict[int, Decimal] = {}
        self.deliberations: dict[int, Deliberation] = {}
        self.derniere_deliberation: Deliberation | None = None
        self.controles_choisis: tuple[str, ...] = ()
        self.controles: dict[str, Decimal] = {}
        self.notes_conservees: dict[str, NoteConserveeEnregistree] = {}
        self.conservations_renoncees: set[str] = set()
        self.remplacements: set[str] = set()
        self.a_redeliberer = False  # R29: a correction after the deliberation may change the decision
        self.recours_en_cours = False
        self._initialiser_resultats()

    @property
    def reglement(self) -> Reglement:
        return charger_reglement(self.annee, self.voie, self.serie)

    @property
    def scolaire(self) -> bool:
        return self.categorie in CATEGORIES_SCOLAIRES

    @property
    def premiere_session(self) -> int:
        """The first session taken, for the five-session limit of kept grades (R32)."""
        return min([self.annee, *(k.premiere_session for k in self.notes_conservees.values())])

    def remplacements_en_attente(self) -> list[str]:
        """Authorised replacement épreuves whose grade is not entered yet (R34)."""
        return [c for c in sorted(self.remplacements, key=self.reglement.rang) if self.notes[c].absence == "justifiee"]

    def saisir_note(
        self,
        *,
        epreuve: str,
        note: Decimal | None,
        absence: Absence | None,
        origine: Origine,
        source: SourceNote,
        correcteur: Correcteur | None,
        acte: Acte,
    ) -> None:
        """Enter one grade; a grade already entered is never overwritten (corrections are their own act)."""
        remplacement = saisie.verifier_saisie(
            self, epreuve=epreuve, note=note, absence=absence, origine=origine, correcteur=correcteur
        )
        self.trigger_event(
            self.NoteSaisie, epreuve=epreuve, note=note, absence=absence, origine=origine, source=source,
            correcteur=correcteur, acte=acte, remplacement=remplacement,
        )  # fmt: skip

    def saisir_notes(self, *, notes: tuple[NoteDeReleve, ...], acte: Acte) -> None:
        """Several grades of this candidate in one act (a livret or a transcript import): all the
        guards of every grade first, then one `NoteSaisie` per grade (STYLE: no event before all guards)."""
        remplacements = [
            saisie.verifier_saisie(
                self, epreuve=n.epreuve, note=n.note, absence=n.absence, origine=n.origine, correcteur=n.correcteur
            )
            for n in notes
        ]
        for n, remplacement in zip(notes, remplacements, strict=True):
            self.trigger_event(
                self.NoteSaisie, epreuve=n.epreuve, note=n.note, absence=n.absence, origine=n.origine,
                source=n.source, correcteur=n.correcteur, acte=acte, remplacement=remplacement,
            )  # fmt: skip

    class NoteSaisie(Agregat.Event):
        """One grade entered, once `saisie`'s guards passed. A class with its own ``apply`` rather than ``@event``
        on a method: about eight events in ten of a results day are this one, and the library's decorated-method
        path doubles the cost of triggering and replaying it (ADR 0029)."""

        epreuve: str
        note: Decimal | None
        absence: Absence | None
        origine: Origine
        source: SourceNote
        correcteur: Correcteur | None
        acte: Acte
        remplacement: Remplacement

        def apply(self, aggregate: Any) -> None:
            aggregate.notes[self.epreuve] = NoteEnregistree(
                note=self.note, absence=self.absence, origine=self.origine, source=self.source,
                version=self.originator_version, remplacement=self.remplacement,
            )  # fmt: skip

    def verifier_affectation(self, *, jury: str, voie_du_jury: Voie) -> None:
        if self.jury is not None:
            raise DejaFait(f"Le candidat {self.numero} est déjà affecté au jury {self.jury}", code="DEJA_AFFECTE")
        if voie_du_jury != self.voie:
            raise RefusMetier(
                f"Le jury {jury} délibère pour la voie {voie_du_jury}, "
                f"le candidat {self.numero} est en voie {self.voie}",
                regle="R26",
                code="JURY_AUTRE_VOIE",
            )

    def affecter_jury(self, *, jury: str, voie_du_jury: Voie, acte: Acte) -> None:
        self.verifier_affectation(jury=jury, voie_du_jury=voie_du_jury)
        self._affecte_au_jury(jury=jury, acte=acte)

    @event("AffectéAuJury")
    def _affecte_au_jury(self, jury: str, acte: Acte) -> None:
        self.jury = jury

    # Deliberation (R16–R24, R29, R30, R32–R34): guards in domain.actes_jury / conservation / deliberation.

    def examiner_livret(self, *, jury: str, acte: Acte) -> None:
        actes_jury.verifier_examen_livret(self, jury)
        self._livret_examine(jury=jury, acte=acte)

    @event("LivretExaminé")
    def _livret_examine(self, jury: str, acte: Acte) -> None:
        self.livret_examine = True

    def attribuer_points_jury(self, *, groupe: Groupe, points: Decimal, jury: str, acte: Acte) -> None:
        actes_jury.verifier_points(self, groupe=groupe, points=points, jury=jury, acte=acte)
        self._points_jury_attribues(groupe=groupe, points=points, jury=jury, acte=acte)

    @event("PointsJuryAttribués")
    def _points_jury_attribues(self, groupe: Groupe, points: Decimal, jury: str, acte: Acte) -> None:
        self.points_jury[groupe] = self.points_jury.get(groupe, Decimal(0)) + points

    def enregistrer_deliberation(self, d: Deliberation, acte: Acte) -> None:
        """Record what `domain.deliberation.deliberer` decided (its guards ran for the whole jury first)."""
        self._delibere(**{nom: getattr(d, nom) for nom in Deliberation.model_fields}, acte=acte)

    @event("Délibéré")
    def _delibere(
        self,
        groupe: Groupe,
        decision: Resultat,
        mention: str | None,
        certificat: str | None,
        reglement_version: str,
        reglement_empreinte: str,
        jury: str,
        president: str,
        entrees: Dossier,
        contexte: ContexteJury,
        contexte_premier_groupe: ContexteJury | None,
        controles: tuple[NoteControle, ...],
        trace: Trace,
        total_points: Decimal,
        total_coefficients: Decimal,
        moyenne: Decimal,
        acte: Acte,
    ) -> None:
        d = Deliberation(
            groupe=groupe, decision=decision, mention=mention, certificat=certificat,
            reglement_version=reglement_version, reglement_empreinte=reglement_empreinte, jury=jury,
            president=president, entrees=entrees, contexte=contexte, contexte_premier_groupe=contexte_premier_groupe,
            controles=controles, trace=trace, total_points=total_points, total_coefficients=total_coefficients,
            moyenne=moyenne,
        )  # fmt: skip
        if groupe == 1 and self.a_redeliberer:
            self.deliberations.pop(2, None)  # superseded: it stays in the log, no longer in force (ADR 0009)
            self.a_redeliberer = False
        self.a_redeliberer_second_groupe = self.a_redeliberer_second_groupe and groupe == 1
        self.deliberations[groupe] = d
        self.derniere_deliberation = d

    def choisir_controle(self, *, epreuves: tuple[str, ...], acte: Acte) -> None:
        self._choix_controle(epreuves=actes_jury.verifier_choix(self, epreuves), acte=acte)

    @event("ChoixContrôleEnregistré")
    def _choix_controle(self, epreuves: tuple[str, ...], acte: Acte) -> None:
        self.controles_choisis = tuple(sorted((*self.controles_choisis, *epreuves), key=self.reglement.rang))

    def saisir_controle(
        self, *, epreuve: str, note: Decimal | None, acte: Acte, absence: Absence | None = None
    ) -> None:
        if absence is not None:  # Q8: AbsentAuContrôle (domain/candidat_resultats.py)
            return self.noter_absence_controle(epreuve=epreuve, absence=absence, acte=acte)
        self._controle_passe(epreuve=epreuve, note=actes_jury.verifier_controle(self, epreuve, note), acte=acte)

    @event("ContrôlePassé")
    def _controle_passe(self, epreuve: str, note: Decimal, acte: Acte) -> None:
        self.controles[epreuve] = note

    def conserver_notes(
        self, *, origine: Candidate, epreuves: tuple[str, ...], renoncees_ailleurs: frozenset[str], acte: Acte
    ) -> None:
        gardees: tuple[Conservation, ...] = conservation.verifier_conservations(
            self, origine, epreuves, renoncees_ailleurs=renoncees_ailleurs
        )
        for g in gardees:
            self._note_conservee(
                epreuve=g.code,
                note=g.note,
                session_origine=origine.session,
                numero_origine=origine.numero,
                session_obtention=g.session_obtention,
                premiere_session=origine.premiere_session,
                derniere_session=g.derniere_session,
                reglement_origine=origine.reglement.version,
                acte=acte,
                epreuve_origine=g.epreuve_origine,
            )

    @event("NoteConservée")
    def _note_conservee(
        self,
        epreuve: str,
        note: Decimal,
        session_origine: str,
        numero_origine: str,
        session_obtention: int,
        premiere_session: int,
        derniere_session: int,
        reglement_origine: str,
        acte: Acte,
        epreuve_origine: EpreuveOrigine = None,
    ) -> None:
        self.notes_conservees[epreuve] = NoteConserveeEnregistree(
            note=note,
            session_origine=session_origine,
            numero_origine=numero_origine,
            session_obtention=session_obtention,
            premiere_session=premiere_session,
            epreuve_origine=epreuve_origine,
        )

    def renoncer_conservation(self, *, epreuve: str, acte: Acte) -> None:
        conservation.verifier_renoncement(self, epreuve)
        gardee = self.notes_conservees[epreuve]
        self._conservation_renoncee(
            epreuve=epreuve, session_origine=gardee.session_origine, numero_origine=gardee.numero_origine, acte=acte
        )

    @event("ConservationRenoncée")
    def _conservation_renoncee(self, epreuve: str, session_origine: str, numero_origine: str, acte: Acte) -> None:
        del self.notes_conservees[epreuve]
        self.conservations_renoncees.add(epreuve)

    def autoriser_remplacement(self, *, epreuves: tuple[str, ...], acte: Acte) -> None:
        actes_jury.verifier_remplacement(self, epreuves, acte)
        self._remplacement_autorise(epreuves=tuple(sorted(epreuves, key=self.reglement.rang)), acte=acte)

    @event("RemplacementAutorisé")
    def _remplacement_autorise(self, epreuves: tuple[str, ...], acte: Acte) -> None:
        self.remplacements.update(epreuves)

    # Corrections, harmonisation, recours, inspection (R5, R29, R54, R55): guards in domain.corrections.

    def corriger_note(
        self, *, epreuve: str, note: Decimal | None, absence: Absence | None, motif: corrections.MotifCorrection,
        acte: Acte,
    ) -> None:  # fmt: skip
        redeliberation = corrections.verifier_correction(self, epreuve=epreuve, note=note, absence=absence, acte=acte)
        ancienne = self.notes[epreuve]
        self._note_corrigee(
            epreuve=epreuve, ancienne_note=ancienne.note, ancienne_absence=ancienne.absence, note=note,
            absence=absence, motif=motif, redeliberation=redeliberation, acte=acte,
        )  # fmt: skip

    @event("NoteCorrigée")
    def _note_corrigee(
        self, epreuve: str, ancienne_note: Decimal | None, ancienne_absence: Absence | None, note: Decimal | None,
        absence: Absence | None, motif: corrections.MotifCorrection, redeliberation: bool, acte: Acte,
    ) -> None:  # fmt: skip
        self.notes[epreuve] = replace(self.notes[epreuve], note=note, absence=absence, version=self.version + 1)
        self.a_redeliberer = self.a_redeliberer or redeliberation

    @event("NoteHarmonisée")
    def _note_harmonisee(
        self, epreuve: str, ancienne_note: Decimal, note: Decimal, commission: str, redeliberation: bool, acte: Acte
    ) -> None:
        self.notes[epreuve] = replace(self.notes[epreuve], note=note, version=self.version + 1)
        self.a_redeliberer = self.a_redeliberer or redeliberation

    def harmoniser(self, *, changements: dict[str, tuple[Decimal, Decimal]], commission: str, acte: Acte) -> None:
        """Record the commission's changes of this candidate (guards ran for the whole act first)."""
        redeliberation = corrections.decision_peut_changer(self, {c: (n, None) for c, (_, n) in changements.items()})
        for epreuve, (ancienne, nouvelle) in changements.items():
            self._note_harmonisee(
                epreuve=epreuve, ancienne_note=ancienne, note=nouvelle, commission=commission,
                redeliberation=redeliberation, acte=acte,
            )  # fmt: skip

    def deposer_recours(self, *, objet: str, epreuves: tuple[str, ...], acte: Acte) -> None:
        corrections.verifier_recours(self, acte)
        self._recours_depose(objet=objet, epreuves=epreuves, acte=acte)

    @event("RecoursDéposé")
    def _recours_depose(self, objet: str, epreuves: tuple[str, ...], acte: Acte) -> None:
        self.recours_en_cours = True

    def trancher_recours(self, *, issue: corrections.IssueRecours, acte: Acte) -> None:
        corrections.verifier_tranchage(self, acte)
        self._recours_tranche(issue=issue, acte=acte)

    @event("RecoursTranché")
    def _recours_tranche(self, issue: corrections.IssueRecours, acte: Acte) -> None:
        self.recours_en_cours = False

    def mener_inspection(self, *, conclusion: corrections.Conclusion, rejeu_identique: bool, acte: Acte) -> None:
        corrections.verifier_inspection(self, acte)
        self._inspection_menee(conclusion=conclusion, rejeu_identique=rejeu_identique, acte=acte)

    @event("InspectionMenée")
    def _inspection_menee(self, conclusion: corrections.Conclusion, rejeu_identique: bool, acte: Acte) -> None:
        pass
