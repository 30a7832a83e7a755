"""`bac preuve`: RFC 6962 audit paths of one aggregate's events against the last sealed root (docs/preuves.md).

Each proof carries the stored record's canonical bytes, so anyone holding the procès-verbal's root can
recompute leaf → path → root with hashlib alone, and compare the record with the database's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine, text

from adapters.audit.preuves.chaine import donnees_feuille, feuilles
from adapters.audit.preuves.merkle import chemin_inclusion, hash_feuille, verifier_inclusion
from adapters.audit.preuves.verification import notifications
from adapters.stockage.registre import Registre
from domain.evenements import GroupeDelibere


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


def dernier_sceau(registre: Registre) -> tuple[int, Any] | None:
    borne = registre.enregistreur.max_notification_id() or 0
    dernier = None
    for n in notifications(registre, borne, (get_topic(GroupeDelibere),)):
        e: Any = registre.mapper.to_domain_event(n)
        if e.sceau is not None:
            dernier = (n.id, e)
    return dernier


def preuves_de(registre: Registre, moteur: Engine, agregat_id: UUID) -> DossierPreuves:
    sceau = dernier_sceau(registre)
    enregistrements = enregistrements_de(registre, agregat_id)
    if sceau is None:
        dossier = DossierPreuves(str(agregat_id), None, None, 0, None, None, None)
        dossier.non_scelles = [{"position": p, "version": v} for p, v, _, _ in enregistrements]
        return dossier
    position_sceau, acte = sceau
    s = acte.sceau
    jury: str
    try:
        jury = registre.repository.get(acte.originator_id).code  # type: ignore[attr-defined]
    except Exception:
        jury = str(acte.originator_id)
    dossier = DossierPreuves(str(agregat_id), position_sceau, jury, s.taille, s.racine, s.signature, s.cle_publique)
    arbre = feuilles(moteur, s.taille)
    rangs = _rangs(moteur, [p for p, *_ in enregistrements])
    racine = bytes.fromhex(s.racine)
    for position, version, topic, etat in enregistrements:
        rang = rangs.get(position)
        if position > s.position or rang is None or rang >= s.taille:
            dossier.non_scelles.append({"position": position, "version": version, "evenement": _nom(topic)})
            continue
        donnees = donnees_feuille(position, agregat_id, version, topic, etat)
        feuille = hash_feuille(donnees)
        chemin = chemin_inclusion(arbre, rang, s.taille)
        dossier.preuves.append(
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
    return dossier


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
