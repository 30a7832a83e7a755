"""A log written by older code still reads, explains and verifies (issue 8; ADR 0002, ADR 0012).

`tests/fixtures/journal_a5dbe83.db` was written by main at a5dbe83, before the rooms moved (see the fixture's
README). Its stored topics must still resolve, its decisions replay "identique" and its seals hold, on SQLite and
on PostgreSQL (the same stored rows, in the same order, copied into a fresh server database).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import resolve_topic

from adapters.application.service import ServiceRegistre

FIXTURES = Path(__file__).parent / "fixtures"
JOURNAL = FIXTURES / "journal_a5dbe83.db"
ATTENDU = json.loads((FIXTURES / "journal_a5dbe83.attendu.json").read_text(encoding="utf-8"))
SESSION = "2024-aix-marseille"


def _lignes_stockees() -> list[tuple[str, int, str, bytes]]:
    with sqlite3.connect(JOURNAL) as connexion:
        return connexion.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
        ).fetchall()


def _cle_publique() -> str:
    privee = load_pem_private_key((FIXTURES / "cle_president_ancien.pem").read_bytes(), password=None)
    return privee.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


@pytest.fixture
def registre_ancien(url_persistante: str, tmp_path: Path) -> ServiceRegistre:
    if url_persistante.startswith("sqlite"):
        copie = tmp_path / "ancien.db"
        shutil.copyfile(JOURNAL, copie)
        return ServiceRegistre(f"sqlite:///{copie}")
    service = ServiceRegistre(url_persistante)
    service.registre.enregistreur.insert_events([StoredEvent(UUID(o), v, t, s) for o, v, t, s in _lignes_stockees()])
    # A log copied without its chain: only the explicit, logged rebuild chains a log that carries seals (ADR 0013).
    service.rechainer(acteur="test", raison="journal copié depuis SQLite")
    service.rattraper()
    return service


def test_chaque_sujet_stocke_se_resout_encore() -> None:
    sujets = {t for _, _, t, _ in _lignes_stockees()}
    noms = {sujet.rsplit(".", 1)[-1] for sujet in sujets}
    assert {"Inscrit", "NoteSaisie", "NoteCorrigée", "Délibéré", "ChoixContrôleEnregistré", "ContrôlePassé"} <= noms
    for sujet in sujets:
        resolve_topic(sujet)  # raises if a class moved without its old topic registered


def test_un_journal_ancien_se_lit_s_explique_et_se_verifie(registre_ancien: ServiceRegistre) -> None:
    with registre_ancien as service:
        for numero, attendu in ATTENDU["decisions"].items():
            e = service.expliquer(SESSION, numero)
            assert e.rejeu == "identique"
            assert (e.groupe, e.decision, e.mention, e.certificat) == (
                attendu["groupe"], attendu["decision"], attendu["mention"], attendu["certificat"],
            )  # fmt: skip
            assert (str(e.total_points), str(e.moyenne)) == (attendu["total_points"], attendu["moyenne"])
            historique = service.historique_complet(SESSION, numero)
            assert historique[0].evenement == "Inscrit"
            assert any(h.evenement == "Délibéré" for h in historique)
        rapport = service.verifier(cles=frozenset({_cle_publique()}))
        assert rapport.premier_defaut is None
        verifie = ATTENDU["verifier"]
        assert (rapport.evenements, rapport.racine) == (verifie["evenements"], verifie["racine"])
        assert [(s.position, s.taille, s.racine, s.signature) for s in rapport.sceaux] == [
            (s["position"], s["taille"], s["racine"], "valide") for s in verifie["sceaux"]
        ]
