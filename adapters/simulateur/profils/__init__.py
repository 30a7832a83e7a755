"""Profiles of an académie's session (TOML): the published targets a synthetic cohort must reproduce.

A profile holds, per voie and per cell (techno série, bac pro spécialité), the number of présents
and the provisional first-groupe rate (R45), with the published evolution where there is one (R46),
plus our unpublished assumptions (second-groupe share, absences…). ``charger_profil`` validates it
and checks, by exact arithmetic, that integer counts exist that reproduce every published figure.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.errors import RefusMetier
from domain.valeurs import Voie


class ProfilInvalide(RefusMetier):
    code = "PROFIL_INVALIDE"


class _Donnee(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Evolution = Decimal | Literal["n/a"] | None


class SessionProfil(_Donnee):
    code: str = Field(pattern=r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$")
    libelle: str
    precedente: str | None = None
    source: str


class Publie(_Donnee):
    """One published figure set: présents, provisional rate (one decimal), evolution in points."""

    presents: int = Field(ge=0)
    taux: Decimal = Field(ge=0, le=100)
    evolution: Evolution = None


class Cellule(Publie):
    voie: Voie
    serie: str | None = None


class HypothesesVoie(_Donnee):
    second_groupe: Decimal = Field(ge=0, le=1)
    reussite_second_groupe: Decimal = Field(ge=0, le=1)


class HypothesesCommunes(_Donnee):
    absents: Decimal = Field(ge=0, le=1)
    absences_injustifiees: Decimal = Field(ge=0, le=1)
    remplacements: Decimal = Field(ge=0, le=1)
    handicap: Decimal = Field(ge=0, le=1)
    options: Decimal = Field(ge=0, le=1)
    individuels: Decimal = Field(ge=0, le=1)
    conservations: int = Field(ge=0)
    taille_jury: int = Field(ge=10, le=5000)


class Hypotheses(_Donnee):
    general: HypothesesVoie
    technologique: HypothesesVoie
    professionnel: HypothesesVoie
    commun: HypothesesCommunes

    def de(self, voie: str) -> HypothesesVoie:
        resultat: HypothesesVoie = getattr(self, voie)
        return resultat


class Profil(_Donnee):
    nom: str
    session: SessionProfil
    voies: dict[Voie, Publie]
    cellules: tuple[Cellule, ...] = Field(min_length=1)
    hypotheses: Hypotheses

    @property
    def annee(self) -> int:
        return int(self.session.code[:4])

    @model_validator(mode="after")
    def _sommes(self) -> Profil:
        for voie, publie in self.voies.items():
            somme = sum(c.presents for c in self.cellules if c.voie == voie)
            if somme != publie.presents:
                raise ValueError(f"voie {voie} : Σ présents des cellules = {somme}, publié {publie.presents}")
        cles = [(c.voie, c.serie) for c in self.cellules]
        if len(set(cles)) != len(cles):
            raise ValueError("une cellule (voie, série) figure deux fois")
        return self

    @property
    def presents(self) -> int:
        return sum(c.presents for c in self.cellules)


def _dossier() -> Path:
    return Path(str(resources.files("adapters.simulateur.profils")))


def profils_disponibles() -> list[str]:
    return sorted(p.stem for p in _dossier().glob("*.toml"))


def charger_profil(nom: str) -> Profil:
    """A shipped profile by name (``aix-marseille-2024``) or a path to a TOML file."""
    chemin = Path(nom) if nom.endswith(".toml") else _dossier() / f"{nom}.toml"
    if not chemin.exists():
        raise ProfilInvalide(f"Profil introuvable : {nom} (disponibles : {', '.join(profils_disponibles())})")
    try:
        donnees = tomllib.loads(chemin.read_text(encoding="utf-8"), parse_float=Decimal)
        return Profil.model_validate({"nom": chemin.stem, **donnees})
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise ProfilInvalide(f"Profil {chemin.name} invalide : {e}") from None
