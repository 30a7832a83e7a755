"""What a back-office service can ask of the registry: one pydantic model per command.

Each command has a documented JSON form (``type`` discriminates; JSON Schema exported to
``docs/schema/``). Field metadata ``regle`` names the rule a bad value breaks, so refusals
can cite it. Validation here is structural; rules that need the stored state (an unknown
candidate, a grade already entered…) are checked by the aggregates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, model_validator
from pydantic.json_schema import JsonDict

from domain.modele import Immutable, Role, Texte
from domain.valeurs import (
    Absence,
    Categorie,
    CodeEpreuve,
    CodeSession,
    CodeUAI,
    Correcteur,
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


class Commande(Immutable):
    acteur: Texte = Field(description="Who asks (an agent or service id, never a person's name in clear)")
    role: Role
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

    @model_validator(mode="after")
    def _voie_et_serie(self) -> InscrireCandidat:
        if self.voie == "general" and self.serie is not None:
            raise ValueError("la voie générale n'a pas de série depuis la session 2021 (R9, D334-3)")
        if self.voie != "general" and self.serie is None:
            raise ValueError("une série (technologique) ou une spécialité (professionnel) est obligatoire (R9, R38)")
        if self.voie != "professionnel" and len(self.specialites) != 2:
            raise ValueError("deux enseignements de spécialité sont attendus en terminale (R2, R10)")
        return self


class SaisirNote(Commande):
    type: Literal["saisir_note"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R2", "R4", "R10", "R11"))
    note: Decimal | None = Field(default=None, ge=0, le=20, json_schema_extra=regle("R13", "D334-8", "D336-8"))
    absence: Absence | None = Field(default=None, json_schema_extra=regle("R13", "R34"))
    origine: Origine = Field(json_schema_extra=regle("R1", "R5"))
    source: SourceNote = "import"
    correcteur: Correcteur | None = Field(default=None, json_schema_extra=regle("R28"))

    @model_validator(mode="after")
    def _note_ou_absence(self) -> SaisirNote:
        if (self.note is None) == (self.absence is None):
            raise ValueError("indiquer soit une note, soit une absence (justifiée ou injustifiée) (R13)")
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


CommandeQuelconque = Annotated[
    OuvrirSession
    | CloreInscriptions
    | CloreSession
    | InscrireCandidat
    | SaisirNote
    | ConstituerJury
    | AffecterCandidats,
    Field(discriminator="type"),
]

COMMANDE = TypeAdapter(CommandeQuelconque)
