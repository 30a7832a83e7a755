"""The `Jury` aggregate: designated by the recteur, presided by a PU or MCF, deliberating on its candidates."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain import ids
from domain.errors import DejaFait, NonHabilite, RefusMetier
from domain.modele import Acte, Agregat
from domain.sceau import SceauJournal
from domain.valeurs import MembreJury, PresidentJury, Voie

ROLES_DU_JURY = frozenset({"president_jury", "membre_jury"})

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
            raise NonHabilite("Seul le recteur désigne les membres du jury", regle="R26", code="JURY_NON_DESIGNE")
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
        self.deliberations: list[tuple[int, tuple[str, ...]]] = []

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

    def verifier_siege(self, acte: Acte, *, president_seulement: bool = False) -> None:
        """Only the designated jury acts (R26, R41: proof of regular composition); some acts are the president's."""
        if president_seulement:
            if acte.role != "president_jury" or acte.acteur != self.president.identifiant:
                raise NonHabilite(
                    f"Seul le président du jury {self.code} ({self.president.identifiant}, rôle president_jury) "
                    f"peut faire cet acte, pas {acte.acteur} ({acte.role})",
                    regle="R26",
                    code="PAS_PRESIDENT_DU_JURY",
                )
            return
        siegent = {self.president.identifiant, *(m.identifiant for m in self.membres)}
        if acte.role not in ROLES_DU_JURY or acte.acteur not in siegent:
            raise NonHabilite(
                f"{acte.acteur} ({acte.role}) ne siège pas au jury {self.code}", regle="R26", code="PAS_MEMBRE_DU_JURY"
            )

    def verifier_deliberation(self, numeros: tuple[str, ...], acte: Acte) -> None:
        """The president deliberates, on the jury's own candidates only (R26, R29)."""
        self.verifier_siege(acte, president_seulement=True)
        hors_jury = sorted(set(numeros) - set(self.candidats))
        if hors_jury:
            raise RefusMetier(
                f"Candidat(s) non affecté(s) au jury {self.code} : {', '.join(hors_jury)}",
                regle="R26",
                code="AUTRE_JURY",
            )

    def deliberer(
        self,
        *,
        groupe: int,
        numeros: tuple[str, ...],
        resultats: dict[str, int],
        acte: Acte,
        sceau: SceauJournal | None = None,
    ) -> None:
        """One act for all the candidates deliberated together (one correlation id, R29), sealing the log
        it decided on (R52, ADR 0008)."""
        self.verifier_deliberation(numeros, acte)
        self._groupe_delibere(
            groupe=groupe,
            nombre_candidats=len(numeros),
            numeros=numeros,
            resultats=resultats,
            president=self.president.identifiant,
            acte=acte,
            sceau=sceau,
        )

    @event("GroupeDélibéré")
    def _groupe_delibere(
        self,
        groupe: int,
        nombre_candidats: int,
        numeros: tuple[str, ...],
        resultats: dict[str, int],
        president: str,
        acte: Acte,
        sceau: SceauJournal | None = None,
    ) -> None:
        self.deliberations.append((groupe, numeros))
