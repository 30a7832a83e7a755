"""The acts and seals of a log, read once: what `bac verifier`, `bac preuve` and `bac ancres` work from.

Two forms of seal are read (ADR 0008, 0013): the older `GroupeDélibéré.sceau`, taken just before the act,
and `ActeScellé`, taken once the act's events are written, which names the act it covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic

from adapters.stockage.registre import Registre
from domain.evenements import ActeScelle, GroupeDelibere, SessionClose
from domain.sceau import ActeSource, SceauJournal, message_a_signer, message_a_signer_acte

PAGE = 10_000
SUJET_GROUPE, SUJET_SCEAU, SUJET_CLOTURE = get_topic(GroupeDelibere), get_topic(ActeScelle), get_topic(SessionClose)


@dataclass
class ActeLu:
    """A jury's deliberation or a session's closing, where it lies in the log."""

    position: int
    objet: str  # deliberation | cloture
    agregat_id: UUID
    version: int
    correlation_id: UUID
    causation_id: UUID | None
    groupe: int
    ancien: bool  # sealed in the older form, inside the act


@dataclass
class SceauLu:
    """One seal (either form) as stored: its tree head, what it covers and what was signed."""

    position: int  # of the event carrying it
    forme: str  # "avant_acte" (GroupeDélibéré.sceau) or "acte" (ActeScellé)
    objet: str
    jury: str
    groupe: int
    sceau: SceauJournal
    message: bytes
    source: ActeSource | None = None  # the act an `ActeScellé` names


@dataclass
class ActesDuJournal:
    actes: dict[tuple[UUID, int], ActeLu] = field(default_factory=dict)
    sceaux: dict[int, SceauLu] = field(default_factory=dict)
    illisibles: list[int] = field(default_factory=list)

    def par_cle(self) -> dict[tuple[UUID, UUID | None], ActeLu]:
        """Deliberations by (correlation, causation): the ids every `Délibéré` of the act carries."""
        return {(a.correlation_id, a.causation_id): a for a in self.actes.values() if a.objet == "deliberation"}

    def sceau_de(self, acte: ActeLu) -> SceauLu | None:
        for s in self.sceaux.values():
            if s.source is not None and (s.source.agregat_id, s.source.version) == (acte.agregat_id, acte.version):
                return s
        return None


def notifications(registre: Registre, borne: int, topics: tuple[str, ...] = ()) -> Iterator[Any]:
    depart = 0
    while depart < borne:
        page = registre.enregistreur.select_notifications(
            start=depart, limit=PAGE, stop=borne, topics=topics, inclusive_of_start=False
        )
        yield from page
        if len(page) < PAGE:
            return
        depart = page[-1].id


def lire_actes(registre: Registre, borne: int) -> ActesDuJournal:
    """Every act and seal of the log up to ``borne``."""
    return lire_parmi(registre, notifications(registre, borne, (SUJET_GROUPE, SUJET_SCEAU, SUJET_CLOTURE)))


def lire_parmi(registre: Registre, lignes: Iterable[Any], lus: ActesDuJournal | None = None) -> ActesDuJournal:
    """The acts and seals among these stored records (notifications, in log order), added to ``lus``."""
    lus = ActesDuJournal() if lus is None else lus
    codes: dict[UUID, str] = {}
    for n in lignes:
        if n.topic not in (SUJET_GROUPE, SUJET_SCEAU, SUJET_CLOTURE):
            continue
        try:
            e: Any = registre.mapper.to_domain_event(n)
        except Exception:  # a payload no longer valid: reported by the caller, never fatal
            lus.illisibles.append(n.id)
            continue
        if n.topic == SUJET_SCEAU:
            source = e.source
            lus.sceaux[n.id] = SceauLu(
                n.id, "acte", source.objet, source.jury or f"session {source.session}", source.groupe or 0, e.sceau,
                message_a_signer_acte(source, taille=e.sceau.taille, position=e.sceau.position, racine=e.sceau.racine),
                source,
            )  # fmt: skip
            continue
        objet = "deliberation" if n.topic == SUJET_GROUPE else "cloture"
        ancien = objet == "deliberation" and e.sceau is not None
        lus.actes[(e.originator_id, e.originator_version)] = ActeLu(
            n.id, objet, e.originator_id, e.originator_version, e.acte.correlation_id, e.acte.causation_id,
            getattr(e, "groupe", 0), ancien,
        )  # fmt: skip
        if ancien:
            if e.originator_id not in codes:
                try:
                    codes[e.originator_id] = registre.repository.get(e.originator_id).code
                except Exception:  # a damaged jury stream must not stop the verifier: its code is only a label
                    codes[e.originator_id] = e.originator_id.hex[:8]
            s = e.sceau
            message = message_a_signer(
                jury_id=e.originator_id, groupe=e.groupe, correlation_id=e.acte.correlation_id, taille=s.taille,
                position=s.position, racine=s.racine,
            )  # fmt: skip
            lus.sceaux[n.id] = SceauLu(n.id, "avant_acte", "deliberation", codes[e.originator_id], e.groupe, s, message)
    return lus


def ids_acte(registre: Registre, etat: bytes) -> tuple[UUID, UUID | None]:
    """The (correlation, causation) ids a stored event carries, read without rebuilding the event (a
    `Délibéré`'s trace is most of its payload)."""
    return ids_de(orjson.loads(registre.mappeur.clair(etat)))


def ids_de(donnees: dict[str, Any]) -> tuple[UUID, UUID | None]:
    """`ids_acte` of a stored event's JSON already parsed."""
    acte = donnees["acte"]
    causation = acte.get("causation_id")
    return UUID(acte["correlation_id"]), None if causation is None else UUID(causation)
