"""The brevet de technicien as validated data (R58–R60; seed 003_aacc5faa8ca732ac.txt, D336-49 to D336-58 [I]).

A diploma of its own, not a voie of the baccalauréat: two séries of épreuves, each with general and professional
épreuves, an admission to the second série, a title granted on two averages. One TOML file per spécialité in
``donnees/brevet/``; the coefficients are set by the spécialité's arrêté, which the seeds do not hold: they ship
with ``confirme = false``. ADR 0019.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field, model_validator

from domain.errors import ReglementInvalide
from domain.reglement.erreurs import ReglementIntrouvable


class _Donnee(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EpreuveBrevet(_Donnee):
    """One épreuve obligatoire of the first or the second série (D336-53, D336-56)."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    libelle: str = Field(min_length=1)
    serie: Literal[1, 2]
    professionnelle: bool
    coefficient: Decimal = Field(gt=0, le=100)
    dispensable_d336_51: bool = False  # D336-54: langue vivante orale, éducation physique
    confirme: bool = True
    source: str = Field(min_length=1)


class SeuilsBrevet(_Donnee):
    """D336-56 and D336-57 thresholds on the 0–20 scale."""

    seconde_serie: Decimal = Field(gt=0, le=20)  # ≥ 10: admitted to the second série
    examen_dossier: Decimal = Field(gt=0, le=20)  # ≥ 8 and < 10: the jury may admit after the dossier
    dispense_strictement_au_dessus: Decimal = Field(gt=0, le=20)  # > 10: the jury may dispense (D336-50 only)
    titre_general: Decimal = Field(gt=0, le=20)
    titre_professionnel: Decimal = Field(gt=0, le=20)
    remplacement_subies: Decimal = Field(gt=0, le=20)  # D336-57: ≥ 8 on the épreuves sat
    remplacement_professionnel_premiere: Decimal = Field(gt=0, le=20)  # ≥ 8 professional, first série
    remplacement_professionnel_tous: Decimal = Field(gt=0, le=20)  # ≥ 10 on all professional épreuves
    source: str

    @model_validator(mode="after")
    def _ordre(self) -> SeuilsBrevet:
        if not self.examen_dossier <= self.seconde_serie:
            raise ValueError("le seuil d'examen du dossier doit être ≤ à celui de la deuxième série (R58)")
        return self


class JuryBrevet(_Donnee):
    """D336-58 [I]: half public education, half the profession (employers and employees), private if possible."""

    part_enseignement_public: Decimal = Field(gt=0, lt=1)
    part_profession: Decimal = Field(gt=0, lt=1)
    source: str


class ReglementBrevetTechnicien(_Donnee):
    """One spécialité of the brevet de technicien, validated; ``empreinte`` pins it like a `Reglement`."""

    specialite: str = Field(pattern=r"^[A-Z0-9_]+$")
    libelle: str
    version: str = Field(min_length=1)
    sessions: tuple[int, ...] = Field(min_length=1)
    sessions_confirmees: bool = False
    epreuves: tuple[EpreuveBrevet, ...] = Field(min_length=4)
    seuils: SeuilsBrevet
    jury: JuryBrevet
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _coherence(self) -> ReglementBrevetTechnicien:
        codes = [e.code for e in self.epreuves]
        if len(set(codes)) != len(codes):
            raise ValueError("codes d'épreuve en double")
        for serie in (1, 2):
            genres = {e.professionnelle for e in self.epreuves if e.serie == serie}
            if genres != {True, False}:
                raise ValueError(f"la série {serie} doit comporter des épreuves générales et professionnelles (R58)")
        if self.jury.part_enseignement_public + self.jury.part_profession != 1:
            raise ValueError("le jury est pour moitié enseignement public, pour moitié profession (R60)")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def empreinte(self) -> str:
        contenu = self.model_dump(mode="json", exclude={"empreinte"})
        texte = json.dumps(contenu, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(texte.encode("utf-8")).hexdigest()

    def epreuves_de(self, serie: int) -> tuple[EpreuveBrevet, ...]:
        return tuple(e for e in self.epreuves if e.serie == serie)

    @property
    def non_confirmes(self) -> tuple[str, ...]:
        items = [e.code for e in self.epreuves if not e.confirme]
        return (*items, *(() if self.sessions_confirmees else ("sessions",)))


def lire_brevet(texte: str, nom: str) -> ReglementBrevetTechnicien:
    try:
        contenu = tomllib.loads(texte, parse_float=Decimal)
        return ReglementBrevetTechnicien.model_validate(contenu)
    except tomllib.TOMLDecodeError as exc:
        raise ReglementInvalide(f"{nom} : TOML illisible ({exc})") from None
    except ValidationError as exc:
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(racine)'} : {e['msg']}" for e in exc.errors())
        raise ReglementInvalide(f"{nom} : {details}") from None


@cache
def _brevets() -> dict[str, ReglementBrevetTechnicien]:
    dossier = resources.files("domain.reglement").joinpath("donnees").joinpath("brevet")
    tous = {}
    for fichier in sorted(dossier.iterdir(), key=lambda f: f.name):
        if fichier.name.endswith(".toml"):
            r = lire_brevet(fichier.read_text(encoding="utf-8"), fichier.name)
            tous[r.specialite] = r
    return tous


def charger_brevet_technicien(specialite: str, session: int) -> ReglementBrevetTechnicien:
    """The rule set of this spécialité for this session, or a refusal naming R58."""
    r = _brevets().get(specialite)
    if r is None or session not in r.sessions:
        connues = ", ".join(sorted(_brevets())) or "aucune"
        raise ReglementIntrouvable(
            f"Aucun règlement du brevet de technicien « {specialite} » pour la session {session} "
            f"(spécialités livrées : {connues})",
            regle="R58",
        )
    return r
