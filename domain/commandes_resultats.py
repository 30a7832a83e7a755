"""Commands of the results week added by issue 13 (ADR 0019): same shape and rules as `domain.commandes`.

A module of their own (its union `CommandeQuelconque` imports them) so that `domain/commandes.py` stays small;
the base below carries exactly `Commande`'s fields, without importing it (no import cycle).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic.json_schema import JsonDict

from domain.modele import Role, Texte
from domain.valeurs import Absence, CodeEpreuve, CodeSession, DecimalSimple, EntreeStricte, NumeroCandidat

CodeJury = Annotated[str, Field(pattern=r"^[A-Z0-9-]{1,20}$")]


def regle(*regles: str) -> JsonDict:
    return {"regle": ", ".join(regles)}


class Commande(EntreeStricte):  # the id and the strict texts of every command (ADR 0015)
    # As domain/commandes.py: who and in which role come from the verified credential (ADR 0017).
    acteur: Texte | None = Field(default=None, description="Who asks: must be the authenticated actor if given")
    role: Role | None = Field(default=None, description="One of the authenticated actor's roles, if given")
    raison: Texte | None = None


def _motivee(commande: Commande, quoi: str, regles: str) -> None:
    if commande.raison is None:
        raise ValueError(f"{quoi} est motivé(e) : « raison » est obligatoire ({regles})")


class ModifierChoixControle(Commande):
    """R19: the candidate changes his choice of contrôles before the oral (the whole new choice)."""

    type: Literal["modifier_choix_controle"]
    session: CodeSession
    numero: NumeroCandidat
    epreuves: tuple[CodeEpreuve, ...] = Field(min_length=1, max_length=5, json_schema_extra=regle("R19", "R39"))


class CorrigerControle(Commande):
    """R29, ADR 0009: an erreur matérielle on a contrôle grade (or absence), corrected with its reason."""

    type: Literal["corriger_controle"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R19"))
    note: DecimalSimple | None = Field(default=None, ge=0, le=20, json_schema_extra=regle("R13", "R20"))
    absence: Absence | None = Field(default=None, json_schema_extra=regle("Q8"))
    motif: Literal["transcription", "report", "calcul", "coefficient"] = Field(json_schema_extra=regle("R29"))

    @model_validator(mode="after")
    def _forme(self) -> CorrigerControle:
        if (self.note is None) == (self.absence is None):
            raise ValueError("indiquer soit la note de contrôle corrigée, soit une absence (R20, Q8)")
        _motivee(self, "Une correction", "R29, Q9")
        return self


class CorrigerNoteConservee(Commande):
    """R29, R32: a kept grade mistranscribed from its session, corrected with its reason."""

    type: Literal["corriger_note_conservee"]
    session: CodeSession
    numero: NumeroCandidat
    epreuve: CodeEpreuve = Field(json_schema_extra=regle("R32"))
    note: DecimalSimple = Field(ge=0, le=20, json_schema_extra=regle("R13", "R32"))
    motif: Literal["transcription", "report", "calcul", "coefficient"] = Field(json_schema_extra=regle("R29"))

    @model_validator(mode="after")
    def _raison(self) -> CorrigerNoteConservee:
        _motivee(self, "Une correction", "R29, Q9")
        return self


class RefuserFelicitations(Commande):
    """Q4: the sovereign jury withholds the automatic félicitations, with its reason."""

    type: Literal["refuser_felicitations"]
    session: CodeSession
    numero: NumeroCandidat
    jury: CodeJury = Field(json_schema_extra=regle("R26", "Q4"))

    @model_validator(mode="after")
    def _raison(self) -> RefuserFelicitations:
        _motivee(self, "Le refus des félicitations", "Q4")
        return self


class PriverDeMention(Commande):
    """R37: the commission de discipline's privation de toute mention, recorded as a sanction."""

    type: Literal["priver_de_mention"]
    session: CodeSession
    numero: NumeroCandidat
    decision_commission: Texte = Field(description="Reference of the commission de discipline's decision")

    @model_validator(mode="after")
    def _raison(self) -> PriverDeMention:
        _motivee(self, "Une sanction", "R37")
        return self


class EffacerIdentite(Commande):
    """R56 (ADR 0023): erase a candidate's identity (name, birth date, INE); grades and decisions stay."""

    type: Literal["effacer_identite"]
    session: CodeSession
    numero: NumeroCandidat
    regle: Texte = Field(
        description="The retention rule applied, e.g. R56-identite (domain/donnees_personnelles.py)",
        json_schema_extra=regle("R56"),
    )

    @model_validator(mode="after")
    def _raison(self) -> EffacerIdentite:
        _motivee(self, "Un effacement d'identité", "R56")
        return self


class ModifierConsentement(Commande):
    """R57: the candidate (or his legal representative) gives or withdraws his consent to the publication of his
    name on the lists of admitted candidates; the whole new answer, with the reason (the written request)."""

    type: Literal["modifier_consentement"]
    session: CodeSession
    numero: NumeroCandidat
    consentement: bool = Field(json_schema_extra=regle("R57"))

    @model_validator(mode="after")
    def _raison(self) -> ModifierConsentement:
        _motivee(self, "Un changement de consentement", "R57")
        return self
