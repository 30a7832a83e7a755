"""A results day as planned: per-cell counts, the candidates with their outcome, the juries (plain data)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from adapters.simulateur.generateur import NOMS, PRENOMS, SPECIALITES, DossierTire
from adapters.simulateur.profils import Profil

PART_CONSENTEMENT = 70  # per cent of candidates consenting to publication (R57; unconfirmed, ADR 0024)


@dataclass(frozen=True)
class PlanCellule:
    voie: str
    serie: str | None
    presents: int
    admis_1: int
    sg_admis: int
    sg_ajourne: int
    remplacement_admis: int
    absents: int

    @property
    def ajourne_1(self) -> int:
        return self.presents - self.admis_1 - self.sg_admis - self.sg_ajourne - self.remplacement_admis

    def issues(self) -> list[str]:
        return (
            ["admis_1"] * self.admis_1
            + ["sg_admis"] * self.sg_admis
            + ["sg_ajourne"] * self.sg_ajourne
            + ["remplacement_admis"] * self.remplacement_admis
            + ["ajourne_1"] * self.ajourne_1
            + ["absent"] * self.absents
        )


@dataclass
class CandidatPrevu:
    numero: str
    ine: str
    voie: str
    serie: str | None
    issue: str
    categorie: str
    options: tuple[str, ...]
    handicap: bool
    dossier: DossierTire
    origine: tuple[str, str, tuple[str, ...]] | None = None  # kept grades: session, numéro, épreuves (R32)
    jury: str = ""

    @property
    def livret(self) -> bool:
        return self.categorie != "individuel"

    @property
    def consentement_publication(self) -> bool:
        """R57: about seven candidates in ten tick the publication box (an assumption, no figure found),
        drawn from the number alone so that the same cohort consents the same way every run."""
        return int(hashlib.sha256(self.numero.encode()).hexdigest()[:8], 16) % 100 < PART_CONSENTEMENT


@dataclass
class Journee:
    """A session's results day: its planned candidates and its batch files, in order."""

    profil: Profil
    plans: list[PlanCellule]
    candidats: list[CandidatPrevu]
    jurys: dict[str, list[CandidatPrevu]] = field(default_factory=dict)

    @property
    def session(self) -> str:
        return self.profil.session.code


def identite(c: CandidatPrevu, annee: int) -> dict[str, str]:
    rang = int(c.numero[2:])
    return {
        "ine": c.ine,
        "nom": NOMS[rang % len(NOMS)],
        "prenom": PRENOMS[(rang // 7) % len(PRENOMS)],
        "date_naissance": f"{annee - 18}-{1 + rang % 12:02d}-{1 + rang % 28:02d}",
    }


def specialites(c: CandidatPrevu) -> list[str]:
    if c.voie == "professionnel":
        return []
    rang = int(c.numero[2:])
    premiere = SPECIALITES[rang % len(SPECIALITES)]
    seconde = SPECIALITES[(rang // len(SPECIALITES) + 1 + rang) % len(SPECIALITES)]
    if seconde == premiere:
        seconde = SPECIALITES[(SPECIALITES.index(premiere) + 1) % len(SPECIALITES)]
    return [premiere, seconde]
