"""Value objects shared by commands and events (the domain's vocabulary, validated by pydantic)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from domain.modele import Immutable, Texte

Voie = Literal["general", "technologique", "professionnel"]

# R5: where a contrôle-continu grade comes from; R13: épreuve grades.
Origine = Literal["epreuve_terminale", "controle_continu", "evaluation_ponctuelle"]

# R13: an unjustified absence counts 0; a justified one leaves the épreuve to replace (R34).
Absence = Literal["justifiee", "injustifiee"]

# Q9: the system a grade came from, for the audit trail.
SourceNote = Literal["santorin", "livret_scolaire", "cyclades", "saisie_manuelle", "import"]

Categorie = Literal[
    "scolaire_public",
    "scolaire_prive_sous_contrat",
    "scolaire_hors_contrat",
    "individuel",
    "cned",
    "apprenti",
    "formation_continue",
]

CodeSession = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$"),
    Field(description="Session code: year and académie slug, e.g. 2024-aix-marseille"),
]
NumeroCandidat = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5,12}$"),
    Field(description="Candidate number in the session (anonymous, used by the jury, R28)"),
]
CodeEpreuve = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9_]{2,40}$"),
]
CodeUAI = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9]{7}[A-Z]$"),
    Field(description="UAI (RNE) code of a school"),
]
Ine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9A-Z]{11}$"),
    Field(description="Identifiant national élève (11 characters)"),
]
Note = Annotated[Decimal, Field(ge=0, le=20, description="Grade on 0–20 (R13)")]


class Identite(Immutable):
    """Personal data of a candidate: never logged, never shown to the jury (R28)."""

    ine: Ine
    nom: Texte
    prenom: Texte
    date_naissance: date


class Correcteur(Immutable):
    """The examiner who graded a copy; their school is checked against the candidate's (R28)."""

    identifiant: Texte
    etablissement: CodeUAI | None = None


QualitePresident = Literal["professeur_des_universites", "maitre_de_conferences"]
CategorieMembre = Literal[
    "enseignant_chercheur",
    "ia_ipr",
    "professeur_lycee_public",
    "professeur_lycee_prive",
    "professionnel_employeur",
    "professionnel_salarie",
    "examinateur_adjoint",
]


class PresidentJury(Immutable):
    identifiant: Texte
    qualite: QualitePresident


class MembreJury(Immutable):
    identifiant: Texte
    categorie: CategorieMembre
    etablissement: CodeUAI | None = None
    # R27: examinateurs adjoints have a consultative vote on the grades they marked.
    voix: Literal["deliberative", "consultative"] = "deliberative"
