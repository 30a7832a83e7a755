"""Read-model rows on the driver's cursor (projections/lignes.py): stored and read back exactly as SQLAlchemy
Core stores and reads them, on both real stores, so a log folded before this path gives the same rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import create_engine, insert, select, text

from projections.lignes import TRANCHE_ECRITURE, ecrire_lignes, lire_lignes
from projections.tables import etat_candidats, metadonnees


def _ligne(cle: str, **champs: Any) -> dict[str, Any]:
    ligne = {c.name: None for c in etat_candidats.columns}
    ligne.update(
        candidat_id=cle, session="2024-aix-marseille", numero="24000001", voie="general", categorie="scolaire",
        notes_saisies=3, epreuves_attendues=18, statut="notes_en_cours", version=4,
        modifie_le=datetime(2024, 7, 5, 8, 30, 1, 123456, tzinfo=timezone(timedelta(hours=2))),
    )  # fmt: skip
    ligne.update(champs)
    return ligne


def _brut(moteur: Any) -> list[tuple[Any, ...]]:
    with moteur.connect() as connexion:
        return [tuple(r) for r in connexion.execute(text("SELECT * FROM etat_candidats ORDER BY candidat_id"))]


def test_les_lignes_ecrites_et_lues_sont_celles_de_sqlalchemy(url_persistante: str) -> None:
    # Given a row written by SQLAlchemy Core, when the same row is written on the driver's cursor under another
    # key, then both are stored alike (same text for a date on SQLite), and both read back as Core reads them.
    moteur = create_engine(url_persistante)
    metadonnees.create_all(moteur)
    with moteur.begin() as connexion:
        connexion.execute(insert(etat_candidats), [_ligne("a" * 36)])
        ecrire_lignes(connexion, etat_candidats, "candidat_id", [_ligne("b" * 36)])
    (a, b) = _brut(moteur)
    assert a[1:] == b[1:]
    with moteur.connect() as connexion:
        par_core = {r.candidat_id: dict(r._mapping) for r in connexion.execute(select(etat_candidats))}
        lues = lire_lignes(connexion, etat_candidats, "candidat_id", ["a" * 36, "b" * 36, "inconnu"])
    assert lues == par_core and set(lues) == {"a" * 36, "b" * 36}
    moteur.dispose()


def test_une_ligne_deja_la_est_remplacee_colonne_par_colonne(url_persistante: str) -> None:
    # Given rows stored, when rows with the same keys are upserted (a column left empty in every row, beyond one
    # PostgreSQL statement's slice), then every other column is replaced and no row is added.
    moteur = create_engine(url_persistante)
    metadonnees.create_all(moteur)
    cles = [f"{i:036d}" for i in range(TRANCHE_ECRITURE + 3)]
    with moteur.begin() as connexion:
        ecrire_lignes(connexion, etat_candidats, "candidat_id", [_ligne(c) for c in cles])
    plus_tard = datetime(2024, 7, 6, 12, 0, tzinfo=UTC)
    with moteur.begin() as connexion:
        ecrire_lignes(
            connexion, etat_candidats, "candidat_id",
            [_ligne(c, statut="admis", decision="admis", groupe=1, version=9, modifie_le=plus_tard) for c in cles],
        )  # fmt: skip
    with moteur.connect() as connexion:
        lues = lire_lignes(connexion, etat_candidats, "candidat_id", cles)
    assert len(_brut(moteur)) == len(cles)
    assert {(lg["statut"], lg["groupe"], lg["version"], lg["mention"]) for lg in lues.values()} == {
        ("admis", 1, 9, None)
    }
    assert {lg["modifie_le"].replace(tzinfo=UTC) for lg in lues.values()} == {plus_tard}
    moteur.dispose()
