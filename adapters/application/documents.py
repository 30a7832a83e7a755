"""Issuing and verifying the examination's papers (issue 11, ADR 0020), beside `ServiceRegistre`.

`emettre` derives a paper's content from the log (the explanation of the decision, the jury's acts), hashes
it, and records `DocumentÉmis` under the code that hash gives — once: the same facts give the same code, so a
second issue of the same paper records nothing. `verifier` answers the public page: issued and current,
superseded by a later deliberation, or never issued, and says nothing else.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from adapters.audit import historique as audit
from adapters.publication.documents import modeles, pdf
from adapters.publication.documents.modeles import ActeBrut, DocumentVue
from adapters.stockage.registre import Registre
from domain import ids
from domain.document import LIBELLES_NATURE, NATURES, ROLES_EMETTEURS, Document, code_de, document_id, normaliser_code
from domain.errors import EtatIncompatible, Introuvable, NonHabilite, RefusMetier
from domain.evenements import Delibere, GroupeDelibere
from domain.modele import Acte

# The refusals the pages' door raises and maps through `reponses` (doors import the application room only).
__all__ = ["DocumentRendu", "Introuvable", "NonHabilite", "RefusMetier", "ServiceDocuments", "Verification"]

# Where the printed QR code sends whoever holds the paper (the public verification page).
VARIABLE_BASE = "BAC_URL_VERIFICATION"
BASE_PAR_DEFAUT = "http://127.0.0.1:8000"

Statut = Literal["authentique", "remplace", "altere", "non_emis"]
Progression = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DocumentRendu:
    nature: str
    session: str
    numero: str | None
    jury: str | None
    groupe: int | None
    vue: DocumentVue
    impression: pdf.Impression
    nouveau: bool  # False: this very paper had been issued before (same content, same code)

    @property
    def code(self) -> str:
        return self.impression.code

    @property
    def empreinte(self) -> str:
        return self.impression.empreinte

    @property
    def nom_fichier(self) -> str:
        sujet = f"{self.jury}-groupe{self.groupe}" if self.nature == "pv" else self.numero
        return f"{self.nature}-{self.session}-{sujet}.pdf"

    def pdf(self) -> bytes:
        return pdf.pdf(self.vue, self.impression)

    def html(self) -> str:
        return pdf.html(self.vue, self.impression)


@dataclass(frozen=True)
class Verification:
    """What the public page may say: never a grade, a name or another candidate."""

    code: str
    statut: Statut
    nature: str | None = None
    session: str | None = None
    decision: str | None = None
    empreinte: str | None = None
    emis_le: str | None = None


@dataclass
class RapportDocuments:
    ecrits: list[Path] = field(default_factory=list)
    refuses: list[tuple[str, str]] = field(default_factory=list)  # (subject, rule-citing reason)
    nouveaux: int = 0


def _decision_imprimee(vue: DocumentVue) -> str:
    if isinstance(vue, modeles.ProcesVerbal):
        return f"{vue.nombre_decisions} décision(s) du {'premier' if vue.groupe == 1 else 'second'} groupe"
    e = vue.entete
    return e.libelle_decision + (f", mention {e.mention}" if e.mention else "")


class ServiceDocuments:
    def __init__(self, service: Any, *, base_verification: str | None = None) -> None:
        self.service = service  # the ServiceRegistre of this database
        self.registre: Registre = service.registre
        self.base = base_verification or os.environ.get(VARIABLE_BASE, BASE_PAR_DEFAUT)

    # The content of a paper, from the log ----------------------------------------------------

    def vue(
        self, nature: str, session: str, *, numero: str | None = None, jury: str | None = None, groupe: int = 1
    ) -> tuple[DocumentVue, int]:
        """The view model and the version of the aggregate it was derived from; refusals name their rule."""
        if nature not in NATURES:
            raise RefusMetier(f"Nature de document inconnue : {nature[:40]}", code="NATURE_INCONNUE")
        if nature == "pv":
            if jury is None:
                raise RefusMetier("Un procès-verbal porte sur un jury : préciser le jury", code="JURY_MANQUANT")
            return self._pv(session, jury, groupe)
        if numero is None:
            raise RefusMetier("Préciser le numéro du candidat", code="CANDIDAT_MANQUANT")
        explication = self.service.expliquer(session, numero)
        candidat = self.service.candidat(session, numero)
        construire: dict[str, Callable[[Any, Any], DocumentVue]] = {
            "releve": modeles.releve,
            "attestation": modeles.attestation,
            "certificat": modeles.certificat,
        }
        return construire[nature](explication, candidat), candidat.version

    def _pv(self, session: str, code: str, groupe: int) -> tuple[DocumentVue, int]:
        try:
            jury = audit.jury_de(self.registre, session, code)
        except AggregateNotFoundError:
            raise Introuvable(f"Jury inconnu : {code[:40]} dans la session {session}") from None
        actes = [
            e for e in self.registre.evenements_de(jury.id) if isinstance(e, GroupeDelibere) and e.groupe == groupe
        ]
        if not actes:
            raise EtatIncompatible(
                f"Le jury {code} n'a pas délibéré au groupe {groupe} : pas de procès-verbal", code="NON_DELIBERE"
            )
        bruts = {
            e.acte.correlation_id: ActeBrut(e, sceau=audit.sceau_de_l_acte(self.registre, jury.id, e.acte))
            for e in actes
        }
        for numero in dict.fromkeys(n for e in actes for n in e.numeros):
            for d in self.registre.evenements_de(ids.candidat_id(session, numero)):
                if isinstance(d, Delibere) and d.acte.correlation_id in bruts:
                    bruts[d.acte.correlation_id].deliberes[numero] = d
        return modeles.proces_verbal(jury, groupe, list(bruts.values())), jury.version

    def jury(self, session: str, code: str) -> tuple[Any, list[DocumentVue]]:
        """A jury and the procès-verbal of each groupe it deliberated (for its page)."""
        try:
            jury = audit.jury_de(self.registre, session, code)
        except AggregateNotFoundError:
            raise Introuvable(f"Jury inconnu : {code[:40]} dans la session {session}") from None
        groupes = sorted({g for g, _ in jury.deliberations})
        return jury, [self._pv(session, code, g)[0] for g in groupes]

    def sceaux_de_session(self, session: str, jurys: set[str]) -> set[tuple[str, str]]:
        """(jury code, Merkle root) of every seal of this session's juries, to pick them out of the log's."""
        sceaux = set()
        for code in jurys:
            jury_id = ids.jury_id(session, code)
            for e in self.registre.evenements_de(jury_id):
                if isinstance(e, GroupeDelibere) and (sceau := audit.sceau_de_l_acte(self.registre, jury_id, e.acte)):
                    sceaux.add((code, sceau["racine"]))
        return sceaux

    # Issuing -----------------------------------------------------------------------------------

    def emettre(
        self,
        nature: str,
        session: str,
        *,
        numero: str | None = None,
        jury: str | None = None,
        groupe: int = 1,
        acteur: str,
        role: str,
        raison: str | None = None,
    ) -> DocumentRendu:
        vue, version = self.vue(nature, session, numero=numero, jury=jury, groupe=groupe)
        empreinte = modeles.empreinte(vue)
        code = code_de(empreinte)
        correlation = uuid.uuid4()
        if role not in ROLES_EMETTEURS:  # checked before the Acte is built: its role is a closed list
            raise NonHabilite(f"Le rôle {role[:40]} ne délivre pas de documents de l'examen", regle="R31")
        acte = Acte.model_validate(
            {"acteur": acteur, "role": role, "raison": raison or f"Délivrance : {LIBELLES_NATURE[nature].lower()}",
             "correlation_id": correlation, "causation_id": correlation}
        )  # fmt: skip
        document = Document.emettre(
            nature=nature, session=session, numero=None if nature == "pv" else numero,  # type: ignore[arg-type]
            jury=jury if nature == "pv" else None, groupe=groupe if nature == "pv" else None,
            decision=_decision_imprimee(vue), empreinte=empreinte, version_source=version, acte=acte,
            empreinte_anonyme=modeles.empreinte_anonyme(vue),
        )  # fmt: skip
        nouveau = not self._existe(code)
        if nouveau:
            try:
                self.registre.enregistrer(document.collect_events())
            except IntegrityError:  # issued at the same moment by another door: the same paper, once
                nouveau = False
            else:
                self.service.rattraper()
        return DocumentRendu(
            nature=nature, session=session, numero=numero if nature != "pv" else None,
            jury=jury if nature == "pv" else None, groupe=groupe if nature == "pv" else None, vue=vue,
            impression=pdf.impression(code, empreinte, self.base), nouveau=nouveau,
        )  # fmt: skip

    def _existe(self, code: str) -> bool:
        return bool(self.registre.recorder.select_events(document_id(code), limit=1))

    def disponibles(self, session: str, numero: str) -> list[tuple[str, str, str | None]]:
        """The candidate's papers today: (nature, title, code if already issued) — the refused ones left out."""
        sortie = []
        for nature in ("releve", "attestation", "certificat"):
            try:
                vue, _ = self.vue(nature, session, numero=numero)
            except RefusMetier:
                continue
            code = code_de(modeles.empreinte(vue))
            sortie.append((nature, LIBELLES_NATURE[nature], code if self._existe(code) else None))
        return sortie

    def lot(
        self,
        nature: str,
        session: str,
        dossier: Path,
        *,
        jury: str | None = None,
        acteur: str,
        role: str,
        progression: Progression | None = None,
    ) -> RapportDocuments:
        """Every paper of one kind for a jury or a whole session, into a folder; the not entitled are listed
        with the rule that refuses them (R31, R16), never written."""
        etats = [e for e in self.service.etats(session) if e["decision"] and (jury is None or e["jury"] == jury)]
        if nature == "pv":
            sujets: list[dict[str, Any]] = [
                {"jury": j, "groupe": g}
                for j in sorted({e["jury"] for e in etats if e["jury"]})
                for g in sorted({e["groupe"] for e in etats if e["jury"] == j})
            ]
        else:
            sujets = [{"numero": e["numero"]} for e in etats]
        if not sujets:
            raise Introuvable(f"Aucun candidat délibéré dans la session {session}" + (f", jury {jury}" if jury else ""))
        dossier.mkdir(parents=True, exist_ok=True)
        rapport = RapportDocuments()
        for fait, sujet in enumerate(sujets, start=1):
            try:
                rendu = self.emettre(nature, session, acteur=acteur, role=role, **sujet)
            except EtatIncompatible as refus:
                rapport.refuses.append((sujet.get("numero") or str(sujet.get("jury")), str(refus)))
            else:
                chemin = dossier / rendu.nom_fichier
                chemin.write_bytes(rendu.pdf())
                rapport.ecrits.append(chemin)
                rapport.nouveaux += rendu.nouveau
            if progression:
                progression("documents", fait, len(sujets))
        return rapport

    # Verifying (the public page) ---------------------------------------------------------------

    def verifier(self, saisi: str, *, empreinte: str | None = None) -> Verification:
        code = normaliser_code(saisi)
        if code is None:
            return Verification(code=saisi[:40], statut="non_emis")
        try:
            document: Any = self.registre.repository.get(document_id(code))
        except AggregateNotFoundError:
            return Verification(code=code, statut="non_emis")
        nature = LIBELLES_NATURE[document.nature]
        commun = {"code": code, "nature": nature, "session": document.session, "empreinte": document.empreinte}
        if empreinte is not None and empreinte.strip().lower()[:64] != document.empreinte:
            return Verification(statut="altere", decision=document.decision, **commun)
        try:
            vue, _ = self.vue(
                document.nature, document.session, numero=document.numero, jury=document.jury,
                groupe=document.groupe or 1,
            )  # fmt: skip
            actuel = modeles.empreinte(vue) == document.empreinte or _en_vigueur_sans_identite(vue, document)
        except RefusMetier:
            actuel = False
        if not actuel:  # re-deliberated since: say so, and show nothing of the person
            return Verification(statut="remplace", **commun)
        emis = document.created_on.isoformat()[:19]
        return Verification(statut="authentique", decision=document.decision, emis_le=emis, **commun)


def _en_vigueur_sans_identite(vue: Any, document: Any) -> bool:
    """A paper issued before its holder's identity was erased (R56, ADR 0023) is still in force if all but the
    person is unchanged: the anonymous hash recorded at issue says so (papers issued before it cannot tell)."""
    personne = getattr(getattr(vue, "entete", None), "personne", None)
    anonyme = getattr(document, "empreinte_anonyme", None)
    return bool(personne is not None and personne.effacee and anonyme and modeles.empreinte_anonyme(vue) == anonyme)
