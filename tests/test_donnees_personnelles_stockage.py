"""Personal data on both real stores (R56, ADR 0023): erase a candidate in the middle of a session's log, then the
log verifies, every proof holds, the decision replays, and neither the person nor the destroyed key is anywhere in
the database's bytes (SQLite file, WAL and shared memory; PostgreSQL's tables as text)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves.marche import MAX_DEFAUTS
from adapters.stockage.cles import CleInvalide
from domain import ids
from domain.valeurs import IdentiteEffacee
from tests.scenario import SESSION, Scenario, inscrire, ouvrir
from tests.test_donnees_personnelles import NUMEROS, effacer, identite, session_deliberee


def _sqlite(url: str) -> Path | None:
    return Path(make_url(url).database or "") if url.startswith("sqlite") else None


def _psycopg(url: str) -> psycopg.Connection[Any]:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password or "", dbname=u.database)


def _cle(url: str, cle_id: str) -> bytes | None:
    chemin = _sqlite(url)
    if chemin is not None:
        with sqlite3.connect(chemin) as c:
            ligne = c.execute("SELECT cle FROM cles_identite WHERE cle_id = ?", (cle_id,)).fetchone()
    else:
        with _psycopg(url) as c:
            ligne = c.execute("SELECT cle FROM cles.cles_identite WHERE cle_id = %s", (cle_id,)).fetchone()
    return bytes(ligne[0]) if ligne else None


def reecrire_cle(url: str, numero: str) -> None:
    """The attacker's edit of one key row: 32 other bytes for this candidate's key."""
    cle_id = ids.candidat_id(SESSION, numero).hex
    chemin = _sqlite(url)
    if chemin is not None:
        with sqlite3.connect(chemin) as c:
            c.execute("UPDATE cles_identite SET cle = randomblob(32) WHERE cle_id = ?", (cle_id,))
    else:
        with _psycopg(url) as c:
            autre = "decode(md5(random()::text) || md5(random()::text), 'hex')"  # 32 other bytes
            c.execute(f"UPDATE cles.cles_identite SET cle = {autre} WHERE cle_id = %s", (cle_id,))


def _journal(url: str) -> list[tuple[Any, ...]]:
    chemin = _sqlite(url)
    requete = "SELECT originator_id, originator_version, topic, state FROM {} ORDER BY 1, 2"
    if chemin is not None:
        with sqlite3.connect(chemin) as c:
            return [tuple(r) for r in c.execute(requete.format("stored_events"))]
    with _psycopg(url) as c:
        return [(str(a), v, t, bytes(s)) for a, v, t, s in c.execute(requete.format("registre_events"))]


def _octets_de_la_base(url: str) -> bytes:
    """Every byte the database holds: the SQLite file and its -wal / -shm; every PostgreSQL table as text."""
    chemin = _sqlite(url)
    if chemin is not None:
        with sqlite3.connect(chemin) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fichiers = [chemin, Path(f"{chemin}-wal"), Path(f"{chemin}-shm")]
        return b"".join(f.read_bytes() for f in fichiers if f.exists())
    morceaux: list[bytes] = []
    with _psycopg(url) as c:
        tables = c.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        ).fetchall()
        assert ("cles", "cles_identite") in tables
        for schema, table in tables:
            for (ligne,) in c.execute(f'SELECT t::text FROM "{schema}"."{table}" t'):
                morceaux.append(ligne.encode())
    return b"\n".join(morceaux)


def _traces(octets: bytes, numero: str, cle: bytes) -> list[str]:
    personne = identite(numero)
    cherches = {"nom": personne["nom"].encode(), "ine": personne["ine"].encode(), "clé": cle,
                "clé (hex)": cle.hex().encode()}  # fmt: skip
    return [quoi for quoi, motif in cherches.items() if motif in octets]


def test_r56_effacer_au_milieu_du_journal_garde_la_preuve_entiere(url_persistante: str) -> None:
    s = Scenario(url_persistante)
    try:
        session_deliberee(s)
        service = s.service
        cid = ids.candidat_id(SESSION, "00000002").hex
        cle = _cle(url_persistante, cid)
        assert cle is not None and len(cle) == 32  # AES-256
        # The search can find the key while it exists (raw in SQLite's pages, hex in PostgreSQL's text).
        assert set(_traces(_octets_de_la_base(url_persistante), "00000002", cle)) & {"clé", "clé (hex)"}
        decision = service.decision(SESSION, "00000002")
        journal_avant = _journal(url_persistante)

        s.executer(effacer())  # in the middle: events of other candidates follow
        s.etant_donne({"type": "clore_inscriptions", "session": SESSION})  # the log goes on after it

        assert _cle(url_persistante, cid) is None  # the key row is gone, in the erasure's own transaction
        journal_apres = _journal(url_persistante)
        assert set(journal_avant) <= set(journal_apres)  # not one stored byte of the log changed
        rapport = service.verifier()
        assert rapport.valide, rapport.defauts
        for numero in ("00000001", "00000002", "00000003"):
            dossier = service.preuve(SESSION, numero)
            assert dossier.preuves and all(p.verifiee for p in dossier.preuves), numero
        apres = service.decision(SESSION, "00000002")
        assert (apres.decision, apres.moyenne, apres.rejeu) == (decision.decision, decision.moyenne, "identique")
        assert service.candidat(SESSION, "00000002").identite == IdentiteEffacee()
    finally:
        s.fermer()
    # A fresh process reads the same: the key is gone from the store, not only from a cache.
    with ServiceRegistre(url_persistante) as service:
        assert service.candidat(SESSION, "00000002").identite == IdentiteEffacee()
        assert service.candidat(SESSION, "00000001").identite.nom == "Quenouillard1"  # type: ignore[union-attr]
        assert service.verifier().valide
    octets = _octets_de_la_base(url_persistante)
    assert _traces(octets, "00000002", cle) == []
    for numero in NUMEROS:  # no one's identity is in clear, erased or not
        assert identite(numero)["nom"].encode() not in octets and identite(numero)["ine"].encode() not in octets


def test_attaque_toute_la_table_des_cles_reecrite_un_rapport_borne(url_persistante: str) -> None:
    """Given twelve candidates' identities (24 identity-bearing events) and every key rewritten, when the log is
    verified, then it is invalid and the report lists MAX_DEFAUTS findings, like the walk's own findings: a
    rewritten key table does not print one line per event."""
    numeros = [f"{i:08d}" for i in range(1, 13)]
    s = Scenario(url_persistante)
    try:
        s.etant_donne(ouvrir(), *(inscrire(n, identite=identite(n)) for n in numeros))
    finally:
        s.fermer()
    chemin = _sqlite(url_persistante)
    if chemin is not None:
        with sqlite3.connect(chemin) as c:
            c.execute("UPDATE cles_identite SET cle = randomblob(32)")
    else:
        with _psycopg(url_persistante) as c:
            c.execute("UPDATE cles.cles_identite SET cle = decode(md5(random()::text) || md5(random()::text), 'hex')")
    with ServiceRegistre(url_persistante) as service:
        rapport = service.verifier()
    assert not rapport.valide
    assert [d.nature for d in rapport.defauts] == ["cle_invalide"] * MAX_DEFAUTS


def test_attaque_une_ligne_de_la_table_des_cles_reecrite(url_persistante: str) -> None:
    s = Scenario(url_persistante)
    try:
        session_deliberee(s)
    finally:
        s.fermer()
    reecrire_cle(url_persistante, "00000001")
    with ServiceRegistre(url_persistante) as service:
        with pytest.raises(CleInvalide, match="Clé invalide"):
            service.candidat(SESSION, "00000001")
        rapport = service.verifier()
        assert not rapport.valide
        assert {d.nature for d in rapport.defauts} == {"cle_invalide"}
        assert service.candidat(SESSION, "00000002").identite.nom == "Quenouillard2"  # type: ignore[union-attr]
