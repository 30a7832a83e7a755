"""Value objects shared by commands and events (the domain's vocabulary, validated by pydantic)."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

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

# Strict input values (ADR 0015): what a person or a back-office can type, nothing a parser merely tolerates.
_DECIMAL_SIMPLE = re.compile(r"-?[0-9]{1,6}(\.[0-9]{1,6})?")  # ASCII digits only, "." as separator


def decimal_simple(valeur: Any) -> Any:
    """A number written with ASCII digits and a point ("12", "12.5", 12, 12.5), nothing else.

    Python's Decimal would also take "1_2", "١٢", "１２", "1E1", "NaN", "-0": each is refused here.
    """
    if isinstance(valeur, bool):
        raise ValueError("nombre attendu, pas un booléen")
    if isinstance(valeur, Decimal | int):
        texte = str(valeur)
    elif isinstance(valeur, float):
        if not math.isfinite(valeur):
            raise ValueError("nombre fini attendu")
        texte = repr(valeur)
    elif isinstance(valeur, str):
        texte = valeur
    else:
        raise ValueError("nombre décimal attendu (ex. 12 ou 12.5)")
    if not _DECIMAL_SIMPLE.fullmatch(texte):
        raise ValueError(
            "nombre en chiffres décimaux attendu, avec le point comme séparateur (ex. 12 ou 12.5) ; "
            "ni exposant, ni espace, ni soulignement, ni chiffre d'une autre écriture"
        )
    nombre = Decimal(texte)
    if nombre.is_zero() and nombre.is_signed():
        raise ValueError("zéro signé (-0) refusé : écrire 0")
    return nombre


DecimalSimple = Annotated[Decimal, BeforeValidator(decimal_simple)]
Note = Annotated[DecimalSimple, Field(ge=0, le=20, description="Grade on 0–20 (R13)")]

# A candidate's plausible age at the session (a birth date in 1800 or 9999 is a typing error).
AGE_MINIMAL, AGE_MAXIMAL = 10, 100


def caractere_interdit(texte: str) -> str | None:
    """The first control, format (bidi, zero-width), separator or unassigned character, if any.

    ``str.isprintable`` is the fast path (C); spaces other than ASCII (no-break, thin) are allowed.
    """
    if texte.isprintable():
        return None
    for caractere in texte:
        if not caractere.isprintable() and unicodedata.category(caractere) != "Zs":
            return caractere
    return None


TEXTES_VERIFIES = "textes_verifies"  # validation context: the door checked every character of the raw text


def texte_interdit(donnees: Any, chemin: tuple[str | int, ...] = ()) -> tuple[str, str] | None:
    """The path and character of the first forbidden character in any key or text of ``donnees``."""
    if isinstance(donnees, str):
        caractere = caractere_interdit(donnees)
        return (".".join(map(str, chemin)) or "(texte)", caractere) if caractere else None
    if isinstance(donnees, dict):
        for cle, valeur in donnees.items():
            if isinstance(cle, str) and (caractere := caractere_interdit(cle)):
                return (".".join(map(str, chemin)) or "(clé)", caractere)
            trouve = texte_interdit(valeur, (*chemin, str(cle)))
            if trouve:
                return trouve
    elif isinstance(donnees, list | tuple):
        for rang, valeur in enumerate(donnees):
            trouve = texte_interdit(valeur, (*chemin, rang))
            if trouve:
                return trouve
    return None


def nom_caractere(caractere: str) -> str:
    return f"U+{ord(caractere):04X} {unicodedata.name(caractere, '')}".rstrip()


def date_iso(valeur: Any) -> Any:
    """A calendar date as AAAA-MM-JJ (or a date): not a timestamp, not a date-time."""
    if isinstance(valeur, datetime) or not isinstance(valeur, date | str):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    if isinstance(valeur, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", valeur):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return valeur


DateCalendaire = Annotated[date, BeforeValidator(date_iso)]

IdCommande = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]


class EntreeStricte(Immutable):
    """What every command shares (ADR 0015): an optional stable id, and no control or bidi character anywhere."""

    id: IdCommande | None = Field(
        default=None,
        description="Stable id of this command: applied once whatever file or door it comes through "
        "(default: the sha256 of its canonical JSON, ADR 0015)",
    )

    # Whether the content alone says what the command does, so that its hash can be its identity.
    identite_par_contenu: ClassVar[bool] = True

    @model_validator(mode="before")
    @classmethod
    def _textes_sans_controle(cls, donnees: Any, info: ValidationInfo) -> Any:
        """No control, bidi or zero-width character in any key or text of a command (names, reasons, ids).

        A door that has checked the whole raw text at once says so (``textes_verifies`` in the validation
        context): its every key and text is then a printable piece of that text, and is not walked again."""
        if info.context and info.context.get(TEXTES_VERIFIES):
            return donnees
        trouve = texte_interdit(donnees)
        if trouve:
            champ, caractere = trouve
            raise PydanticCustomError(
                "texte_interdit",
                "caractère de contrôle ou de mise en forme interdit ({caractere}) dans « {champ} »",
                {"champ": champ, "caractere": nom_caractere(caractere)},
            )
        return donnees


class Identite(Immutable):
    """Personal data of a candidate: never logged, never shown to the jury (R28)."""

    ine: Ine
    nom: Texte
    prenom: Texte
    date_naissance: DateCalendaire


class IdentiteEffacee(Immutable):
    """What an `Inscrit` says of the person once the identity is erased (R56, ADR 0023): nothing but that.

    Grades, decisions and the candidate number stay; the name, first name, birth date and INE are gone for good.
    """

    effacee: Literal[True] = True

    def __str__(self) -> str:
        return "identité effacée"


# Identity as an `Inscrit` carries it: the person's, or the mark that it was erased (ADR 0023).
IdentiteInscrite = Identite | IdentiteEffacee


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
