"""The règlement as validated data: one frozen `Reglement` per session / voie / série.

Every coefficient, threshold and band lives in the TOML files of ``donnees/``; these models only say
what a well-formed rule set is (R1, R2, R4, R10, R11, R16, R18, R23, R38–R40) and pin it by a sha256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from itertools import pairwise
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    computed_field,
    model_serializer,
    model_validator,
)

from domain.reglement.erreurs import LIBELLES_VOIE, EpreuveInconnue

Voie = Literal["general", "technologique", "professionnel"]
Annee = Literal["premiere", "terminale"]
CodeEpreuve = str


class _Donnee(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Fields added after sets were pinned in stored decisions (ADR 0019): left out of the dump, hence of
    # the empreinte, while they hold their default, so that every earlier set keeps its exact empreinte.
    champs_recents: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _sans_champs_recents_par_defaut(self, handler: SerializerFunctionWrapHandler) -> Any:
        donnees = handler(self)
        if isinstance(donnees, dict):
            for nom in self.champs_recents:
                if nom in donnees and getattr(self, nom) == type(self).model_fields[nom].default:
                    del donnees[nom]
        return donnees


class Nature(StrEnum):
    """How an épreuve is assessed; drives second-groupe eligibility (R19) and bénéfice (R32)."""

    ecrit_terminal = "ecrit_terminal"
    oral_terminal = "oral_terminal"
    anticipee_ecrit = "anticipee_ecrit"
    anticipee_oral = "anticipee_oral"
    controle_continu = "controle_continu"
    eps = "eps"
    option = "option"
    professionnelle = "professionnelle"
    generale = "generale"


class Epreuve(_Donnee):
    """One graded component with its coefficient (R2, R4, R10, R11, R38)."""

    code: CodeEpreuve = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    libelle: str = Field(min_length=1)
    nature: Nature
    coefficient: Decimal = Field(gt=0, le=100)
    obligatoire: bool = True
    note_entiere: bool
    rattrapable: bool = False
    remplacable: bool = False
    professionnelle: bool = False
    points_au_dessus_de_10: bool = False
    annee: Annee | None = None
    confirme: bool = True
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _coherence(self) -> Epreuve:
        if self.nature == Nature.option and self.obligatoire:
            raise ValueError(f"{self.code}: une option ne peut pas être obligatoire (R6)")
        if self.rattrapable and not self.obligatoire:
            raise ValueError(f"{self.code}: seule une épreuve obligatoire est rattrapable (R19)")
        if self.remplacable and self.nature in (Nature.eps, Nature.option):
            raise ValueError(f"{self.code}: ni l'EPS ni une option n'ont d'épreuve de remplacement (R34)")
        return self


class Mention(_Donnee):
    """A mention band: ``seuil`` ≤ moyenne < next band's seuil (R23, R40)."""

    code: Literal["assez_bien", "bien", "tres_bien", "tres_bien_felicitations"]
    libelle: str
    seuil: Decimal = Field(gt=0, le=20)
    confirme: bool = True
    source: str


class Seuils(_Donnee):
    """Deliberation thresholds on the 0–20 scale (R16, R18, R31)."""

    admission: Decimal = Field(gt=0, le=20)
    second_groupe: Decimal = Field(gt=0, le=20)
    certificat: Decimal | None = Field(default=None, gt=0, le=20)
    source: str

    @model_validator(mode="after")
    def _ordre(self) -> Seuils:
        if not self.second_groupe <= self.admission:
            raise ValueError("le seuil du second groupe doit être ≤ au seuil d'admission (R16, R18)")
        return self


class Structure(_Donnee):
    """Expected coefficient totals of the compulsory épreuves (R1: 60 terminal + 40 CC = 100)."""

    total_obligatoire: Decimal
    terminal: Decimal | None = None
    controle_continu: Decimal | None = None
    regle: str


class LimitesOptions(_Donnee):
    """How options count and how many may be taken (R6; D334-4, D334-8 in 2016; D336-4; R39)."""

    regle_calcul: Literal["moyenne_complete", "points_au_dessus_de_10"]
    max_total: int | None = Field(default=None, ge=0)
    max_premiere: int | None = Field(default=None, ge=0)
    max_terminale: int | None = Field(default=None, ge=0)
    hors_limite: tuple[CodeEpreuve, ...] = ()
    coefficient_supplementaire_max: Decimal | None = None
    regle: str
    confirme: bool = True
    source: str


class Jury(_Donnee):
    """Points de jury (R30, Q2): allowed at all, capped from 2026, forbidden to reach the 8/20 line."""

    points_autorises: bool = True
    points_max: Decimal | None = Field(default=None, ge=0)
    interdit_vers_second_groupe: bool = False
    confirme: bool = True
    source: str


class Substitution(_Donnee):
    """Which premier-groupe épreuves a contrôle grade replaces, at their coefficient (R20, Q3)."""

    choix: CodeEpreuve
    remplace: tuple[CodeEpreuve, ...] = Field(min_length=1)
    confirme: bool = True
    source: str


class GroupeControle(_Donnee):
    """Bac pro: the contrôle is one oral sous-épreuve taken from each group (R39)."""

    libelle: str
    codes: tuple[CodeEpreuve, ...] = Field(min_length=1)


class SecondGroupe(_Donnee):
    """Épreuves de contrôle (R18–R22; bac pro R39)."""

    max_epreuves: int = Field(ge=1)
    substitutions: tuple[Substitution, ...] = ()
    groupes: tuple[GroupeControle, ...] = ()
    seuil_sous_moyenne_professionnelle: Decimal | None = None
    regle: str
    regle_calcul: str = "R20"
    regle_decision: str = "R21"
    source: str


class Benefice(_Donnee):
    """Bénéfice des notes (R32, R33, R42): which grades may be kept, for how long."""

    nb_sessions: int = Field(ge=1)
    seuil: Decimal = Field(ge=0, le=20)
    natures: tuple[Nature, ...] = Field(min_length=1)
    meme_serie: bool
    mention_possible_handicap: bool = True
    mention_possible_etalement: bool = False
    confirme: bool = True
    regle: str
    source: str

    champs_recents: ClassVar[frozenset[str]] = frozenset({"mention_possible_etalement"})


class SpecialitePro(_Donnee):
    """Bac pro spécialité reference data for statistics (R43, Q13)."""

    libelle: str
    code_nsf: str = Field(pattern=r"^[0-9]{3}$")
    groupe: Literal["Production", "Services"]
    confirme: bool = True
    source: str

    @model_validator(mode="after")
    def _groupe_nsf(self) -> SpecialitePro:
        attendu = {"2": "Production", "3": "Services"}.get(self.code_nsf[0])
        if attendu != self.groupe:
            raise ValueError(f"NSF {self.code_nsf} → groupe {attendu}, pas {self.groupe} (R43, Q13)")
        return self


class Equivalence(_Donnee):
    """Q16: a kept grade of an épreuve this set no longer has counts for ``nouvelle`` (explicit, never guessed)."""

    ancienne: CodeEpreuve = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    nouvelle: CodeEpreuve
    confirme: bool = True
    source: str = Field(min_length=1)


class Reglement(_Donnee):
    """A resolved, validated rule set; ``empreinte`` pins its exact content in decisions (R54, Q9)."""

    session: int = Field(ge=2000, le=2100)
    voie: Voie
    serie: str | None = Field(default=None, pattern=r"^[A-Z0-9]+$")
    libelle_serie: str | None = None
    version: str = Field(min_length=1)
    regles_epreuves: str
    arrondi_notes_non_entieres: Literal["dixieme_superieur", "aucun"]
    epreuves: tuple[Epreuve, ...] = Field(min_length=1)
    seuils: Seuils
    mentions: tuple[Mention, ...]
    structure: Structure | None = None
    options: LimitesOptions
    jury: Jury
    second_groupe: SecondGroupe
    benefice: Benefice
    certificat: str | None = None
    specialite_pro: SpecialitePro | None = None
    sources: tuple[str, ...] = ()
    equivalences: tuple[Equivalence, ...] = ()
    absence_justifiee_zero: bool = False  # R61 (D336-28, abrogated hôtellerie): any absence is sanctioned by 0

    champs_recents: ClassVar[frozenset[str]] = frozenset({"equivalences", "absence_justifiee_zero"})

    @model_validator(mode="before")
    @classmethod
    def _ignorer_empreinte(cls, data: Any) -> Any:
        # A dumped Reglement carries its computed empreinte; it is recomputed, never trusted.
        if isinstance(data, dict) and "empreinte" in data:
            data = {k: v for k, v in data.items() if k != "empreinte"}
        return data

    @model_validator(mode="after")
    def _coherence(self) -> Reglement:
        codes = [e.code for e in self.epreuves]
        doublons = sorted({c for c in codes if codes.count(c) > 1})
        if doublons:
            raise ValueError(f"codes d'épreuve en double : {', '.join(doublons)}")
        connus = set(codes)
        seuils = [m.seuil for m in self.mentions]
        if any(b <= a for a, b in pairwise(seuils)):
            raise ValueError("les seuils de mention doivent être strictement croissants (R23)")
        if seuils and seuils[0] <= self.seuils.admission:
            raise ValueError("la première mention doit être au-dessus du seuil d'admission (R23)")
        if self.structure is not None:
            self._verifier_structure()
        references = [*self.options.hors_limite]
        for s in self.second_groupe.substitutions:
            references += [s.choix, *s.remplace]
        for g in self.second_groupe.groupes:
            references += list(g.codes)
        inconnus = sorted(set(references) - connus)
        if inconnus:
            raise ValueError(f"codes référencés mais non définis : {', '.join(inconnus)}")
        par_code = {e.code: e for e in self.epreuves}
        choix = [s.choix for s in self.second_groupe.substitutions]
        choix += [c for g in self.second_groupe.groupes for c in g.codes]
        non_rattrapables = sorted({c for c in choix if not par_code[c].rattrapable})
        if non_rattrapables:
            raise ValueError(f"choix de contrôle non rattrapables : {', '.join(non_rattrapables)} (R19)")
        for eq in self.equivalences:
            if eq.ancienne in connus or eq.nouvelle not in connus:
                raise ValueError(
                    f"équivalence {eq.ancienne} → {eq.nouvelle} : l'ancienne doit avoir disparu, "
                    "la nouvelle exister (Q16)"
                )
        if len({eq.ancienne for eq in self.equivalences}) != len(self.equivalences):
            raise ValueError("une épreuve disparue a deux équivalences (Q16)")
        if (self.voie == "professionnel") != (self.specialite_pro is not None):
            raise ValueError("une spécialité (NSF, groupe) est requise pour la voie professionnelle et elle seule")
        return self

    def _verifier_structure(self) -> None:
        s = self.structure
        assert s is not None
        obligatoires = [e for e in self.epreuves if e.obligatoire and not e.points_au_dessus_de_10]
        total = sum((e.coefficient for e in obligatoires), Decimal(0))
        if total != s.total_obligatoire:
            raise ValueError(f"Σ coefficients obligatoires = {total}, attendu {s.total_obligatoire} ({s.regle})")
        cc = sum(
            (e.coefficient for e in obligatoires if e.nature in (Nature.controle_continu, Nature.eps)),
            Decimal(0),
        )
        if s.controle_continu is not None and cc != s.controle_continu:
            raise ValueError(f"Σ coefficients de contrôle continu = {cc}, attendu {s.controle_continu} ({s.regle})")
        if s.terminal is not None and total - cc != s.terminal:
            raise ValueError(f"Σ coefficients terminaux = {total - cc}, attendu {s.terminal} ({s.regle})")

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def empreinte(self) -> str:
        """sha256 of the canonical JSON of the validated content (sorted keys, no spaces)."""
        contenu = self.model_dump(mode="json", exclude={"empreinte"})
        texte = json.dumps(contenu, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(texte.encode("utf-8")).hexdigest()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Reglement:
        """A copy whose empreinte is recomputed (the cached one would describe the original)."""
        copie = super().model_copy(update=update, deep=deep)
        copie.__dict__.pop("empreinte", None)
        copie.__dict__.pop("index_epreuves", None)
        return copie

    # Flat aliases for the most used values (names of the design brief).
    @property
    def seuil_admission(self) -> Decimal:
        return self.seuils.admission

    @property
    def seuil_second_groupe(self) -> Decimal:
        return self.seuils.second_groupe

    @property
    def regle_options(self) -> str:
        return self.options.regle_calcul

    @property
    def points_jury_max(self) -> Decimal | None:
        return self.jury.points_max

    @property
    def points_jury_interdit_second_groupe(self) -> bool:
        return self.jury.interdit_vers_second_groupe

    @property
    def max_epreuves_second_groupe(self) -> int:
        return self.second_groupe.max_epreuves

    @property
    def cle(self) -> tuple[int, str, str | None]:
        return (self.session, self.voie, self.serie)

    @property
    def libelle_voie(self) -> str:
        return LIBELLES_VOIE[self.voie]

    @cached_property
    def index_epreuves(self) -> dict[str, tuple[int, Epreuve]]:
        """code → (rang, épreuve): every grade of every deliberation looks its épreuve up, several times."""
        return {e.code: (i, e) for i, e in enumerate(self.epreuves)}

    def epreuve(self, code: str) -> Epreuve:
        """The épreuve of this code, or `EpreuveInconnue` naming the structure rules."""
        return self._trouver(code)[1]

    def _trouver(self, code: str) -> tuple[int, Epreuve]:
        trouvee = self.index_epreuves.get(code)
        if trouvee is None:
            raise EpreuveInconnue(
                f"Épreuve « {code} » inconnue pour la {self.libelle_voie}, session {self.session}",
                regle=self.regles_epreuves,
            )
        return trouvee

    def epreuves_obligatoires(self) -> tuple[Epreuve, ...]:
        return tuple(e for e in self.epreuves if e.obligatoire)

    def rang(self, code: str) -> int:
        """Position of an épreuve in the set: the canonical order of every trace."""
        return self._trouver(code)[0]

    def substitution(self, choix: str) -> tuple[str, ...]:
        """Épreuves replaced by the contrôle chosen as ``choix`` (R20, Q3); default: itself."""
        for s in self.second_groupe.substitutions:
            if s.choix == choix:
                return s.remplace
        return (choix,)

    def equivalence(self, ancienne: str) -> Equivalence | None:
        """Q16: the épreuve of this set that stands for a vanished one, if the data says so."""
        return next((eq for eq in self.equivalences if eq.ancienne == ancienne), None)

    @property
    def non_confirmes(self) -> tuple[str, ...]:
        """Codes / sections shipped with a recommended but unconfirmed value, for operators."""
        items = [e.code for e in self.epreuves if not e.confirme]
        items += [f"mention:{m.code}" for m in self.mentions if not m.confirme]
        items += [f"substitution:{s.choix}" for s in self.second_groupe.substitutions if not s.confirme]
        items += [f"equivalence:{eq.ancienne}" for eq in self.equivalences if not eq.confirme]
        for nom, bloc in (("options", self.options), ("jury", self.jury), ("benefice", self.benefice)):
            if not bloc.confirme:
                items.append(nom)
        if self.specialite_pro is not None and not self.specialite_pro.confirme:
            items.append("specialite_pro")
        return tuple(items)
