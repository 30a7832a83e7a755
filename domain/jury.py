"""The `Jury` aggregate: designated by the recteur, presided by a PU or MCF, deliberating on its candidates."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.errors import DejaFait, RefusMetier
from domain.modele import Acte, Agregat
from domain.valeurs import MembreJury, PresidentJury, Voie

CATEGORIES_PROFESSIONNELLES = frozenset({"professionnel_employeur", "professionnel_salarie"})


class Jury(Agregat):
    @staticmethod
    def create_id(session: str, code: str, **_: Any) -> UUID:
        return ids.jury_id(session, code)

    @classmethod
    def constituer(
        cls,
        *,
        session: str,
        code: str,
        voie: Voie,
        president: PresidentJury,
        membres: tuple[MembreJury, ...],
        acte: Acte,
    ) -> Jury:
        """R26 (president PU/MCF, designated by the recteur), R27 (one third professionals in techno/pro)."""
        if acte.role != "recteur":
            raise RefusMetier("Seul le recteur désigne les membres du jury", regle="R26", code="JURY_NON_DESIGNE")
        if not membres:
            raise RefusMetier("Un jury ne peut pas être constitué sans membres", regle="R27", code="JURY_INCOMPLET")
        identifiants = [m.identifiant for m in membres] + [president.identifiant]
        if len(set(identifiants)) != len(identifiants):
            raise RefusMetier("Un membre figure deux fois dans le jury", regle="R27", code="JURY_INVALIDE")
        if voie in ("technologique", "professionnel"):
            professionnels = sum(1 for m in membres if m.categorie in CATEGORIES_PROFESSIONNELLES)
            # The president counts as a member of the jury for the proportion.
            if professionnels * 3 < len(membres) + 1:
                raise RefusMetier(
                    f"Le jury {code} compte {professionnels} professionnel(s) sur {len(membres) + 1} membres : "
                    "il en faut au moins un tiers",
                    regle="R27, D336-20",
                    code="JURY_SANS_PROFESSIONNELS",
                )
        return cls(session=session, code=code, voie=voie, president=president, membres=membres, acte=acte)

    @event("JuryConstitué")
    def __init__(
        self,
        session: str,
        code: str,
        voie: Voie,
        president: PresidentJury,
        membres: tuple[MembreJury, ...],
        acte: Acte,
    ) -> None:
        self.session = session
        self.code = code
        self.voie = voie
        self.president = president
        self.membres = membres
        self.candidats: list[str] = []

    def affecter(self, *, numeros: tuple[str, ...], acte: Acte) -> None:
        self.verifier_affectation(numeros)
        self._candidats_affectes(numeros=numeros, acte=acte)

    def verifier_affectation(self, numeros: tuple[str, ...]) -> None:
        deja = sorted(set(numeros) & set(self.candidats))
        if deja:
            raise DejaFait(f"Candidat(s) déjà affecté(s) au jury {self.code} : {', '.join(deja)}", code="DEJA_AFFECTE")
        if len(set(numeros)) != len(numeros):
            raise RefusMetier("Un candidat figure deux fois dans l'affectation", code="AFFECTATION_INVALIDE")

    @event("CandidatsAffectés")
    def _candidats_affectes(self, numeros: tuple[str, ...], acte: Acte) -> None:
        self.candidats.extend(numeros)
