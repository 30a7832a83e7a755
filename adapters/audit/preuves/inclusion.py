"""`bac preuve`: RFC 6962 audit paths of a candidate's events under the seal of their own jury's act (docs/preuves.md).

The seal is the one of the act that decided the candidate's last `Délibéré` (issue 13.5): since ADR 0013 it
covers that decision too. Without a deliberation (or for an act sealed by none), the last seal of the log.

Each proof carries the stored record's canonical bytes, so anyone holding the procès-verbal's root can
recompute leaf → path → root with hashlib alone, and compare the record with the database's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson
import structlog
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic
from sqlalchemy import Engine, text

from adapters.audit.preuves.actes import (
    ActesDuJournal,
    SceauLu,
    ids_acte,
    ids_de,
    lire_actes,
    lire_parmi,
    notifications,
)
from adapters.audit.preuves.arbre import BLOC, Arbre
from adapters.audit.preuves.chaine import donnees_feuille
from adapters.audit.preuves.merkle import hash_feuille, verifier_inclusion
from adapters.stockage.registre import Registre
from domain import ids
from domain.evenements import Delibere
from domain.sceau import sceau_id

journal = structlog.get_logger("bac.preuves")


@dataclass(frozen=True)
class PreuveInclusion:
    position: int
    rang: int
    version: int
    evenement: str
    donnees: str  # canonical bytes of the stored record, hex
    feuille: str
    chemin: list[str]
    verifiee: bool


@dataclass
class DossierPreuves:
    agregat: str
    sceau_position: int | None
    sceau_jury: str | None
    taille: int
    racine: str | None
    signature: str | None
    cle_publique: str | None
    preuves: list[PreuveInclusion] = field(default_factory=list)
    non_scelles: list[dict[str, Any]] = field(default_factory=list)
    sceau_de: str = "aucun"  # "proces_verbal" (the candidate's own jury act) | "dernier_sceau" | "aucun"
    sceau_forme: str | None = None  # "acte" (covers the act) | "avant_acte" (older form, before the act)


def enregistrements_de(registre: Registre, agregat_id: UUID) -> list[tuple[int, int, str, bytes]]:
    """(position, version, topic, stored state) of one aggregate's records, read from the log's table."""
    stockage = registre.stockage
    moteur = registre.moteur_sql
    if stockage.moteur == "memoire" or moteur is None:
        borne = registre.enregistreur.max_notification_id() or 0
        return [
            (n.id, n.originator_version, n.topic, n.state)
            for n in notifications(registre, borne)
            if n.originator_id == agregat_id
        ]
    if stockage.moteur == "sqlite":
        requete = "SELECT rowid, originator_version, topic, state FROM stored_events WHERE originator_id = :a"
        cle: Any = agregat_id.hex
    else:
        requete = (
            "SELECT notification_id, originator_version, topic, state FROM registre_events WHERE originator_id = :a"
        )
        cle = agregat_id
    with moteur.connect() as connexion:
        lignes = connexion.execute(text(requete + " ORDER BY originator_version"), {"a": cle}).all()
    return [(int(p), int(v), str(t), bytes(s)) for p, v, t, s in lignes]


def sceau_du_candidat(
    registre: Registre, lus: ActesDuJournal, enregistrements: list[Any]
) -> tuple[SceauLu, str] | None:
    """The seal of the act that made the candidate's last decision, else the log's last seal."""
    sujet = get_topic(Delibere)
    deliberes = [etat for _, _, topic, etat in enregistrements if topic == sujet]
    if deliberes:
        acte = lus.par_cle().get(ids_acte(registre, deliberes[-1]))
        if acte is not None:
            lu = lus.sceaux.get(acte.position) if acte.ancien else lus.sceau_de(acte)
            if lu is not None:
                return lu, "proces_verbal"
    if not lus.sceaux:
        return None
    return lus.sceaux[max(lus.sceaux)], "dernier_sceau"


def preuves_de(
    registre: Registre, moteur: Engine, agregat_id: UUID, *, session: str | None = None, bloc: int = BLOC
) -> DossierPreuves:
    """The audit paths of the aggregate's records under its seal. With the candidate's ``session``, the seal of
    his last deliberation is looked for among his jury's records first (`sceau_de_sa_deliberation`). ``bloc``
    (leaves under one kept root) is for the tests: small blocks make a small log's proofs use kept roots."""
    enregistrements = enregistrements_de(registre, agregat_id)
    rapide = None if session is None else sceau_de_sa_deliberation(registre, session, enregistrements)
    if rapide is not None:
        trouve: tuple[SceauLu, str] | None = (rapide, "proces_verbal")
    else:
        trouve = sceau_du_candidat(registre, lire_actes(registre, registre.enregistreur.max_notification_id() or 0),
                                   enregistrements)  # fmt: skip
    if trouve is None:
        dossier = DossierPreuves(str(agregat_id), None, None, 0, None, None, None)
        dossier.non_scelles = [{"position": p, "version": v} for p, v, _, _ in enregistrements]
        return dossier
    lu, de = trouve
    s = lu.sceau
    dossier = DossierPreuves(
        str(agregat_id), lu.position, lu.jury, s.taille, s.racine, s.signature, s.cle_publique, sceau_de=de,
        sceau_forme=lu.forme,
    )  # fmt: skip
    rangs = _rangs(moteur, [p for p, *_ in enregistrements])
    arbre = Arbre(moteur, s.taille, bloc=bloc)
    dossier.preuves, dossier.non_scelles = _preuves(arbre, agregat_id, enregistrements, rangs, lu)
    if arbre.utilise_gardees and not all(p.verifiee for p in dossier.preuves):
        # A kept block root is derived data, never trusted: the paths again from the leaves alone, and `bac
        # verifier` names the root that differs.
        journal.warning("preuve.racine_de_bloc_gardee_differente", taille=s.taille, bloc=bloc)
        arbre = Arbre(moteur, s.taille, bloc=bloc, gardees=False)
        dossier.preuves, dossier.non_scelles = _preuves(arbre, agregat_id, enregistrements, rangs, lu)
    if all(p.verifiee for p in dossier.preuves):
        arbre.garder()
    return dossier


def sceau_de_sa_deliberation(
    registre: Registre, session: str, enregistrements: list[tuple[int, int, str, bytes]]
) -> SceauLu | None:
    """`sceau_du_candidat`'s first answer, read from the records of the jury named by his last `Délibéré` and of
    that act's seal only, instead of every act of the log (a scan of the log by topic: 0.14–0.28 s on an
    Aix-Marseille day's, per proof). None when it is not found there: the caller then reads every act."""
    sujet = get_topic(Delibere)
    deliberes = [etat for _, _, topic, etat in enregistrements if topic == sujet]
    if not deliberes:
        return None
    try:
        decision = orjson.loads(registre.mappeur.clair(deliberes[-1]))  # parsed once: ≈ 7 KB, most of it trace
        cle, jury_id = ids_de(decision), ids.jury_id(session, str(decision["jury"]))
    except (ValueError, KeyError, TypeError):  # an unreadable decision: the whole log's acts decide, as before
        return None
    lus = lire_parmi(registre, _notifications_de(registre, jury_id))
    acte = lus.par_cle().get(cle)
    if acte is None or acte.agregat_id != jury_id:
        return None
    if acte.ancien:
        return lus.sceaux.get(acte.position)
    return lire_parmi(registre, _notifications_de(registre, sceau_id(acte.agregat_id, acte.version)), lus).sceau_de(
        acte
    )


def _notifications_de(registre: Registre, agregat_id: UUID) -> list[Notification]:
    return [
        Notification(id=p, originator_id=agregat_id, originator_version=v, topic=t, state=e)
        for p, v, t, e in enregistrements_de(registre, agregat_id)
    ]


def _preuves(
    arbre: Arbre,
    agregat_id: UUID,
    enregistrements: list[tuple[int, int, str, bytes]],
    rangs: dict[int, int],
    lu: SceauLu,
) -> tuple[list[PreuveInclusion], list[dict[str, Any]]]:
    """Each record's proof under the seal, or its place among the records the seal does not cover."""
    s = lu.sceau
    racine = bytes.fromhex(s.racine)
    preuves: list[PreuveInclusion] = []
    non_scelles: list[dict[str, Any]] = []
    for position, version, topic, etat in enregistrements:
        rang = rangs.get(position)
        if position > lu.position or rang is None or rang >= s.taille:
            non_scelles.append({"position": position, "version": version, "evenement": _nom(topic)})
            continue
        donnees = donnees_feuille(position, agregat_id, version, topic, etat)
        feuille = hash_feuille(donnees)
        chemin = arbre.chemin(rang)
        preuves.append(
            PreuveInclusion(
                position=position,
                rang=rang,
                version=version,
                evenement=_nom(topic),
                donnees=donnees.hex(),
                feuille=feuille.hex(),
                chemin=[h.hex() for h in chemin],
                verifiee=verifier_inclusion(feuille, rang, s.taille, chemin, racine),
            )
        )
    return preuves, non_scelles


def _nom(topic: str) -> str:
    return topic.rsplit(".", 1)[-1]


def _rangs(moteur: Engine, positions: list[int]) -> dict[int, int]:
    from sqlalchemy import select

    from projections.tables import chaine_journal

    if not positions:
        return {}
    with moteur.connect() as connexion:
        lignes = connexion.execute(
            select(chaine_journal.c.position, chaine_journal.c.rang).where(chaine_journal.c.position.in_(positions))
        ).all()
    return {int(p): int(r) for p, r in lignes}
