"""The `Candidate` aggregate: one person's registration for one session, and every grade entered for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.errors import DejaFait, RefusMetier
from domain.modele import Acte, Agregat, Immutable
from domain.reglement import Reglement, charger_reglement, valider_note
from domain.valeurs import Absence, Categorie, CodeUAI, Correcteur, Identite, Origine, SourceNote, Voie

# R5: candidates whose contrôle continu comes from the livret scolaire; the others sit évaluations ponctuelles.
CATEGORIES_SCOLAIRES = frozenset({"scolaire_public", "scolaire_prive_sous_contrat", "cned", "apprenti"})
NATURES_TERMINALES = frozenset({"ecrit_terminal", "oral_terminal", "anticipee_ecrit", "anticipee_oral"})


class NoteEnregistree(Immutable):
    """The grade of one épreuve as it stands in the candidate's record."""

    note: Decimal | None
    absence: Absence | None
    origine: Origine
    source: SourceNote
    version: int


class Candidate(Agregat):
    """A candidate of one session (R36: one session and one série per year and person)."""

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
    ) -> Candidate:
        """Guards of an inscription that depend only on the règlement of the session (R2, R6, R9, R38)."""
        reglement = charger_reglement(annee, voie, serie)
        for code in options:
            epreuve = reglement.epreuve(code)
            if epreuve.nature != "option":
                raise RefusMetier(
                    f"« {code} » n'est pas un enseignement optionnel de la voie {voie}",
                    regle="R6",
                    code="OPTION_INVALIDE",
                )
        if len(set(options)) != len(options):
            raise RefusMetier("Une option est déclarée deux fois", regle="R6", code="OPTION_INVALIDE")
        if voie != "professionnel" and len(set(specialites)) != len(specialites):
            raise RefusMetier("Les spécialités doivent être distinctes", regle="R2", code="SPECIALITES_INVALIDES")
        if etalement and not handicap:
            raise RefusMetier(
                "L'étalement des épreuves est réservé aux candidats en situation de handicap",
                regle="R17",
                code="ETALEMENT_INVALIDE",
            )
        return cls(
            session=session,
            annee=annee,
            numero=numero,
            identite=identite,
            voie=voie,
            serie=serie,
            specialites=specialites,
            options=options,
            categorie=categorie,
            etablissement=etablissement,
            livret_scolaire=livret_scolaire,
            handicap=handicap,
            etalement=etalement,
            titulaire_bac=titulaire_bac,
            acte=acte,
        )

    @event("Inscrit")
    def __init__(
        self,
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
        self.notes: dict[str, NoteEnregistree] = {}
        self.jury: str | None = None

    @property
    def reglement(self) -> Reglement:
        return charger_reglement(self.annee, self.voie, self.serie)

    @property
    def scolaire(self) -> bool:
        return self.categorie in CATEGORIES_SCOLAIRES

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
        definition = self.reglement.epreuve(epreuve)
        if definition.nature == "option" and epreuve not in self.options:
            raise RefusMetier(
                f"Le candidat {self.numero} n'a pas choisi l'option « {epreuve} »",
                regle="R6",
                code="OPTION_NON_CHOISIE",
            )
        if note is not None:
            valider_note(definition, note)
        terminale = definition.nature in NATURES_TERMINALES
        if terminale and origine != "epreuve_terminale":
            raise RefusMetier(
                f"L'épreuve « {epreuve} » est une épreuve terminale : origine « {origine} » impossible",
                regle="R1",
                code="ORIGINE_INVALIDE",
            )
        if not terminale and origine == "epreuve_terminale":
            raise RefusMetier(
                f"« {epreuve} » est évalué en contrôle continu, pas par une épreuve terminale",
                regle="R1",
                code="ORIGINE_INVALIDE",
            )
        if not terminale and origine == "controle_continu" and not self.scolaire:
            raise RefusMetier(
                f"Le candidat {self.numero} n'est pas scolarisé : son contrôle continu vient "
                "d'évaluations ponctuelles, pas du livret scolaire",
                regle="R5",
                code="ORIGINE_INVALIDE",
            )
        if (
            terminale
            and correcteur is not None
            and correcteur.etablissement is not None
            and correcteur.etablissement == self.etablissement
        ):
            raise RefusMetier(
                f"Le correcteur {correcteur.identifiant} enseigne dans l'établissement du candidat {self.numero} : "
                "un examinateur ne peut pas évaluer ses propres élèves",
                regle="R28, D334-9, D336-9",
                code="CORRECTEUR_NON_INDEPENDANT",
            )
        if epreuve in self.notes:
            raise DejaFait(
                f"La note de « {epreuve} » du candidat {self.numero} est déjà saisie ; "
                "une note n'est jamais écrasée, seule une correction d'erreur matérielle peut la modifier",
                regle="R29",
                code="NOTE_DEJA_SAISIE",
            )
        self._note_saisie(
            epreuve=epreuve,
            note=note,
            absence=absence,
            origine=origine,
            source=source,
            correcteur=correcteur,
            acte=acte,
        )

    @event("NoteSaisie")
    def _note_saisie(
        self,
        epreuve: str,
        note: Decimal | None,
        absence: Absence | None,
        origine: Origine,
        source: SourceNote,
        correcteur: Correcteur | None,
        acte: Acte,
    ) -> None:
        self.notes[epreuve] = NoteEnregistree(
            note=note, absence=absence, origine=origine, source=source, version=self.version + 1
        )

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
