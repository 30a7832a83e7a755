"""What a back-office service can ask of the registry: one pydantic model per command.

Each command has a documented JSON form (``type`` discriminates; JSON Schema exported to
``docs/schema/``). Field metadata ``regle`` names the rule a bad value breaks, so refusals
can cite it. Validation here is structural; rules that need the stored state (an unknown
candidate, a grade already entered…) are checked by the aggregates.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, model_validator
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from domain.commandes_resultats import (
    CorrigerControle,
    CorrigerNoteConservee,
    EffacerIdentite,
    ModifierChoixControle,
    ModifierConsentement,
    PriverDeMention,
    RefuserFelicitations,
)
from domain.modele import Immutable, Role, Texte
from domain.valeurs import (
    AGE_MAXIMAL,
    AGE_MINIMAL,
    Absence,
    Categorie,
    CodeEpreuve,
    CodeSession,
    CodeUAI,
    Correcteur,
    DecimalSimple,
    EntreeStricte,
    Identite,
    MembreJury,
    NumeroCandidat,
    Origine,
    PresidentJury,
    SourceNote,
    Voie,
)


def regle(*regles: str) -> JsonDict:
    return {"regle": ", ".join(regles)}


class Commande(EntreeStricte):
    # Who and in which role come from the verified credential (domain/habilitation.py): a body may name them
    # only to confirm them (another actor, or a role the actor does not hold, is refused).
    acteur: Texte | None = Field(default=None, description="Who asks: must be the authenticated actor if given")
    role: Role | None = Field(default=None, description="One of the authenticated actor's roles, if given")
    raison: Texte | None = None


class OuvrirSession(Commande):
    type: Literal["ouvrir_session"]
    session: CodeSession
    libelle: Texte


class CloreInscriptions(Commande):
    type: Literal["clore_inscriptions"]
    session: CodeSession


class CloreSession(Commande):
    type: Literal["clore_session"]
    session: CodeSession


class InscrireCandidat(Commande):
    type: Literal["inscrire"]
    session: CodeSession
    numero: NumeroCandidat
    identite: Identite
    voie: Voie = Field(json_schema_extra=regle("R9", "R38"))
    serie: Annotated[str, Field(pattern=r"^[A-Z0-9_]{1,20}$")] | None = Field(
        default=None,
        description="Série (techno) or spécialité (pro); none for the bac général",
        json_schema_extra=regle("R9"),
    )
    specialites: tuple[CodeEpreuve, ...] = Field(default=(), max_length=3, json_schema_extra=regle("R2"))
    options: tuple[CodeEpreuve, ...] = Field(default=(), max_length=6, json_schema_extra=regle("R6"))
    categorie: Categorie = Field(json_schema_extra=regle("R5"))
    etablissement: CodeUAI | None = None
    livret_scolaire: bool = Field(default=False, json_schema_extra=regle("R29"))
    handicap: bool = Field(default=False, json_schema_extra=regle("R17", "R33"))
    etalement: bool = Field(default=False, json_schema_extra=regle("R17"))
    titulaire_bac: bool = Field(default=False, json_schema_extra=regle("R12", "R24"))
    consentement_publication: bool = Field(
        default=False,
        description="The candidate (or his legal representative) agrees that his name appears on the published "
        "lists of admitted candidates; default: no publication",
        json_schema_extra=regle("R57"),
    )

    @model_validator(mode="after")
    def _voie_et_serie(self) -> InscrireCandidat:
        if self.voie == "general" and self.serie is not None:
            raise ValueError("la voie générale n'a pas de série depuis la session 2021 (R9, D334-3)")
        if self.voie != "general" and self.serie is None:
            raise ValueError("une série (technologique) ou une spécialité (professionnel) est obligatoire (R9, R38)")
        if self.voie != "professionnel" and len(self.specialites) != 2:
            raise ValueError("deux enseignements de spécialité sont attendus en terminale (R2, R10)")
        age = int(self.session[:4]) - self.identite.date_naissance.year
        if not AGE_MINIMAL <= age <= AGE_MAXIMAL:
            raise PydanticCustomError(
                "date_naissance_invraisemblable",
                "date de naissance invraisemblable : {age} ans à la session (entre {min} et {max} ans attendu)",
                {"champ": "identite.date_naissance", "age": age, "min": AGE_MINIMAL, "max": AGE_MAXIMAL},
            )
        return self


class NoteDeReleve(Immutable):
    """One grade as an import delivers it: a grade or an absence, its origin and source."""

    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R2", "R4", "R10", "R11"))
    note: DecimalSimple | None = Field(default=None, ge=0, le=20, json_schema_extra=regle("R13", "D334-8", "D336-8"))
    absence: Absence | None = Field(default=None, json_schema_extra=regle("R13", "R34"))
    origine: Origine = Field(json_schema_extra=regle("R1", "R5"))
    source: SourceNote = "import"
    correcteur: Correcteur | None = Field(default=None, json_schema_extra=regle("R28"))

    @model_validator(mode="after")
    def _note_ou_absence(self) -> NoteDeReleve:
        if (self.note is None) == (self.absence is None):
            raise ValueError("indiquer soit une note, soit une absence (justifiée ou injustifiée) (R13)")
        return self


class SaisirNote(Commande, NoteDeReleve):
    """One grade (a corrector's lot from Santorin, a manual entry)."""

    type: Literal["saisir_note"]
    session: CodeSession
    numero: NumeroCandidat


class SaisirNotes(Commande):
    """Several grades of one candidate in one act (the livret scolaire's annual averages, a transcript)."""

    type: Literal["saisir_notes"]
    session: CodeSession
    numero: NumeroCandidat
    notes: tuple[NoteDeReleve, ...] = Field(min_length=1, max_length=60)

    @model_validator(mode="after")
    def _epreuves_distinctes(self) -> SaisirNotes:
        codes = [n.epreuve for n in self.notes]
        if len(set(codes)) != len(codes):
            raise ValueError("une épreuve figure deux fois dans le relevé ; une note n'est saisie qu'une fois")
        return self


class ConstituerJury(Commande):
    type: Literal["constituer_jury"]
    session: CodeSession
    jury: Annotated[str, Field(pattern=r"^[A-Z0-9-]{1,20}$")]
    voie: Voie
    president: PresidentJury = Field(json_schema_extra=regle("R26"))
    membres: tuple[MembreJury, ...] = Field(min_length=1, json_schema_extra=regle("R27"))


class AffecterCandidats(Commande):
    type: Literal["affecter_candidats"]
    session: CodeSession
    jury: Annotated[str, Field(pattern=r"^[A-Z0-9-]{1,20}$")]
    numeros: tuple[NumeroCandidat, ...] = Field(min_length=1, max_length=5000)


CodeJury = Annotated[str, Field(pattern=r"^[A-Z0-9-]{1,20}$")]
Groupe = Literal[1, 2]


class ExaminerLivret(Commande):
    """R29: the jury examined the livret scolaire (before any ajournement)."""

    type: Literal["examiner_livret"]
    session: CodeSession
    numero: NumeroCandidat
    jury: CodeJury = Field(json_schema_extra=regle("R26", "R29"))


class AttribuerPointsJury(Commande):
    """R30, Q7: points added to the candidate's total by the jury, with the reason (``raison``)."""

    type: Literal["attribuer_points_jury"]
    session: CodeSession
    numero: NumeroCandidat
    jury: CodeJury
    groupe: Groupe = Field(default=1, json_schema_extra=regle("R30"))
    points: DecimalSimple = Field(gt=0, le=2000, json_schema_extra=regle("R30", "Q2"))

    @model_validator(mode="after")
    def _raison(self) -> AttribuerPointsJury:
        if self.raison is None:
            raise ValueError("des points de jury sont une décision motivée : « raison » est obligatoire (R30, Q7)")
        return self


class Deliberer(Commande):
    """One act of the jury for all its candidates still to deliberate for this groupe (R16–R24, R29).

    Without ``numeros`` its subjects are "those still due" (after a correction, R29, or a replacement
    épreuve, R34, the same words deliberate again): its identity is its ``id``, never its content, and a
    repetition with nothing due is refused by its own rule (RIEN_A_DELIBERER).
    """

    @property
    def identite_par_contenu(self) -> bool:  # type: ignore[override]
        return self.numeros is not None

    type: Literal["deliberer"]
    session: CodeSession
    jury: CodeJury
    groupe: Groupe = Field(json_schema_extra=regle("R16", "R21"))
    numeros: Annotated[tuple[NumeroCandidat, ...], Field(min_length=1, max_length=5000)] | None = Field(
        default=None,
        description="Only these candidates (e.g. after replacement épreuves, R34); default: all still to deliberate",
    )


class ChoisirControle(Commande):
    type: Literal["choisir_controle"]
    session: CodeSession
    numero: NumeroCandidat
    epreuves: tuple[CodeEpreuve, ...] = Field(min_length=1, max_length=5, json_schema_extra=regle("R19", "R39"))


class SaisirControle(Commande):
    """A contrôle grade, or the candidate's absence at it (Q8: the premier-groupe grade then stands)."""

    type: Literal["saisir_controle"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R19"))
    note: DecimalSimple | None = Field(default=None, ge=0, le=20, json_schema_extra=regle("R13", "R20"))
    absence: Absence | None = Field(default=None, json_schema_extra=regle("R20", "R31", "Q8"))

    @model_validator(mode="after")
    def _note_ou_absence(self) -> SaisirControle:
        if (self.note is None) == (self.absence is None):
            raise ValueError("indiquer soit la note de contrôle, soit une absence (justifiée ou injustifiée) (R20, Q8)")
        return self


class ConserverNotes(Commande):
    """R32, R33, R42: the new candidate keeps grades of an earlier session where he was ajourné."""

    type: Literal["conserver_notes"]
    session: CodeSession
    numero: NumeroCandidat
    session_origine: CodeSession
    numero_origine: NumeroCandidat
    epreuves: tuple[CodeEpreuve, ...] = Field(min_length=1, max_length=40, json_schema_extra=regle("R32"))


class RenoncerConservation(Commande):
    """R32: renouncing a kept grade is final."""

    type: Literal["renoncer_conservation"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R32"))


class AutoriserRemplacement(Commande):
    """R34: the recteur authorises replacement épreuves for a justified absence (force majeure)."""

    type: Literal["autoriser_remplacement"]
    session: CodeSession
    numero: NumeroCandidat
    epreuves: tuple[CodeEpreuve, ...] = Field(min_length=1, max_length=20, json_schema_extra=regle("R34"))


class CorrigerNote(Commande):
    """R29, Q9: an erreur matérielle corrected by the administration, with its reason; never an overwrite."""

    type: Literal["corriger_note"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve
    note: DecimalSimple | None = Field(default=None, ge=0, le=20, json_schema_extra=regle("R13"))
    absence: Absence | None = None
    motif: Literal["transcription", "report", "calcul", "coefficient"] = Field(json_schema_extra=regle("R29"))

    @model_validator(mode="after")
    def _forme(self) -> CorrigerNote:
        if (self.note is None) == (self.absence is None):
            raise ValueError("indiquer soit la note corrigée, soit une absence (R13)")
        if self.raison is None:
            raise ValueError("une correction est motivée : « raison » est obligatoire (R29, Q9)")
        return self


class NoteAHarmoniser(Immutable):
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R5"))
    note: DecimalSimple = Field(ge=0, le=20, json_schema_extra=regle("R13", "R14"))


class HarmoniserNotes(Commande):
    """R5, D336-4-1: the commission d'harmonisation's act, all its changes at once (refused whole)."""

    type: Literal["harmoniser_notes"]
    session: CodeSession
    commission: Annotated[str, Field(pattern=r"^[A-Z0-9-]{1,30}$")]
    membres: tuple[Texte, ...] = Field(min_length=1, max_length=50)
    changements: tuple[NoteAHarmoniser, ...] = Field(min_length=1, max_length=20_000)

    @model_validator(mode="after")
    def _forme(self) -> HarmoniserNotes:
        cles = [(c.numero, c.epreuve) for c in self.changements]
        if len(set(cles)) != len(cles):
            raise ValueError("une note figure deux fois dans l'harmonisation")
        if self.raison is None:
            raise ValueError("une harmonisation est motivée : « raison » est obligatoire (R5)")
        return self


class DeposerRecours(Commande):
    """R55: a candidate contests a decision (erreur matérielle only)."""

    type: Literal["deposer_recours"]
    session: CodeSession
    numero: NumeroCandidat
    objet: Texte
    epreuves: tuple[CodeEpreuve, ...] = Field(default=(), max_length=40)


class TrancherRecours(Commande):
    type: Literal["trancher_recours"]
    session: CodeSession
    numero: NumeroCandidat
    issue: Literal["rejete", "erreur_materielle_reconnue", "irrecevable"] = Field(json_schema_extra=regle("R55"))


class MenerInspection(Commande):
    """R54: a regulator's inspection of a disputed decision; the system records the rules' replay with it."""

    type: Literal["mener_inspection"]
    session: CodeSession
    numero: NumeroCandidat
    conclusion: Literal["conforme", "non_conforme"]


CommandeQuelconque = Annotated[
    OuvrirSession
    | CloreInscriptions
    | CloreSession
    | InscrireCandidat
    | SaisirNote
    | SaisirNotes
    | ConstituerJury
    | AffecterCandidats
    | ExaminerLivret
    | AttribuerPointsJury
    | Deliberer
    | ChoisirControle
    | SaisirControle
    | ConserverNotes
    | RenoncerConservation
    | AutoriserRemplacement
    | CorrigerNote
    | HarmoniserNotes
    | DeposerRecours
    | TrancherRecours
    | MenerInspection
    | ModifierChoixControle
    | CorrigerControle
    | CorrigerNoteConservee
    | RefuserFelicitations
    | PriverDeMention
    | EffacerIdentite
    | ModifierConsentement,
    Field(discriminator="type"),
]

COMMANDE = TypeAdapter(CommandeQuelconque)
