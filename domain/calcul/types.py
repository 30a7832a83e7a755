"""Inputs and results of the grading arithmetic: frozen pydantic models, JSON-stable (Decimal → str).

Every result carries `Etape` rows (rule id, what was compared, with which numbers) so that a
decision can be read without code and replayed bit for bit (R54, Q9).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Fige(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Etape(_Fige):
    """One row of the explanation: ``regle`` fired, ``valeur`` compared with ``seuil``."""

    regle: str
    libelle: str
    valeur: str = ""
    seuil: str = ""


class Origine(StrEnum):
    """Where a retained grade comes from (R5, R13, R20, R32)."""

    epreuve = "epreuve"
    controle_continu = "controle_continu"
    evaluation_ponctuelle = "evaluation_ponctuelle"
    controle = "controle"
    conservee = "conservee"
    absence_injustifiee = "absence_injustifiee"


class MotifDispense(StrEnum):
    """Why an épreuve is neutralised (its coefficient removed, never a 0 grade)."""

    eps_sante = "eps_sante"  # D334-6 / D336-6, R7, Q6
    titulaire_autre_bac = "titulaire_autre_bac"  # D334-7 / D336-7, R12, R35
    handicap_auditif = "handicap_auditif"  # D334-6, R35


class NoteCandidat(_Fige):
    """A grade as entered: raw value (CC averages are rounded later, R14) and its origin."""

    code: str
    note: Decimal | None = None
    origine: Origine = Origine.epreuve
    session_obtention: int | None = None


class Dispense(_Fige):
    code: str
    motif: MotifDispense


class Dossier(_Fige):
    """Everything the premier-groupe arithmetic needs about one candidate (no identity)."""

    notes: tuple[NoteCandidat, ...] = ()
    options: tuple[str, ...] = ()
    dispenses: tuple[Dispense, ...] = ()
    handicap_benefice: bool = False


class Ligne(_Fige):
    """One épreuve in the trace: grade retained, coefficient counted, points (R15)."""

    code: str
    libelle: str
    note_saisie: Decimal
    note: Decimal
    coefficient: Decimal
    points: Decimal
    origine: Origine
    mode: Literal["moyenne", "points_au_dessus_de_10"] = "moyenne"
    regles: tuple[str, ...]


class LigneDispense(_Fige):
    code: str
    libelle: str
    coefficient_retire: Decimal
    motif: MotifDispense
    regles: tuple[str, ...]


class Calcul(_Fige):
    """The premier-groupe average with its full trace (R13–R15, Q1, Q6)."""

    session: int
    voie: str
    serie: str | None
    version_reglement: str
    empreinte_reglement: str
    lignes: tuple[Ligne, ...]
    dispenses: tuple[LigneDispense, ...] = ()
    epreuves_manquantes: tuple[str, ...] = ()
    total_points: Decimal
    total_coefficients: Decimal
    moyenne_affichee: Decimal
    points_professionnels: Decimal | None = None
    coefficients_professionnels: Decimal | None = None
    notes_conservees: bool = False
    handicap_benefice: bool = False
    dispense_autre_bac: bool = False
    etapes: tuple[Etape, ...]

    def ligne(self, code: str) -> Ligne | None:
        return next((lg for lg in self.lignes if lg.code == code), None)


class Resultat(StrEnum):
    admis = "admis"
    second_groupe = "second_groupe"
    ajourne = "ajourne"
    sans_decision_finale = "sans_decision_finale"
    en_attente_remplacement = "en_attente_remplacement"


class ContexteJury(_Fige):
    """What the jury decided or knows at deliberation (R17, R29, R30, R34, R37)."""

    points_jury: Decimal = Field(default=Decimal(0))
    livret_fourni: bool = False
    livret_examine: bool = False
    etalement_handicap: bool = False
    remplacements_autorises: tuple[str, ...] = ()
    privation_mention: bool = False
    # Issue 13 (ADR 0019): defaults read older stored contexts unchanged.
    felicitations_refusees: bool = False  # Q4: the sovereign jury withheld the automatic félicitations
    etalement_acheve: bool = False  # R17, R33: the last épreuves of an étalement were sat at this session


class DecisionPremierGroupe(_Fige):
    """Outcome of the premier-groupe deliberation (R16–R18, R23, R24, R29–R31, R34)."""

    resultat: Resultat
    mention: str | None = None
    libelle_mention: str | None = None
    calcul: Calcul
    contexte: ContexteJury
    total_apres_jury: Decimal
    moyenne_affichee: Decimal
    certificat: str | None = None
    etapes: tuple[Etape, ...]


class NoteControle(_Fige):
    """A second-groupe (contrôle) grade for the chosen épreuve ``code`` (R19, R20), or an absence (Q8)."""

    code: str
    note: Decimal | None = None
    absence: Literal["justifiee", "injustifiee"] | None = None


class Substitue(_Fige):
    """Best-of trace of one contrôle (R20): the premier-groupe points vs the contrôle points."""

    choix: str
    remplace: tuple[str, ...]
    coefficient: Decimal
    note_controle: Decimal | None
    points_premier_groupe: Decimal
    points_controle: Decimal
    points_retenus: Decimal
    retenue: Literal["premier_groupe", "controle"]
    absence: Literal["justifiee", "injustifiee"] | None = None


class DecisionSecondGroupe(_Fige):
    """Outcome after the épreuves de contrôle (R20, R21, R31; bac pro R39): never a mention."""

    resultat: Resultat
    mention: None = None
    premier_groupe: DecisionPremierGroupe
    substitutions: tuple[Substitue, ...]
    points_jury: Decimal
    total_points: Decimal
    moyenne_affichee: Decimal
    certificat: str | None = None
    etapes: tuple[Etape, ...]
