"""Concurrent back offices over HTTP (issue 10): 16 clients writing grades to overlapping candidates at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import ServeurHttp
from tests.scenario import SESSION, inscrire, notes_completes, ouvrir
from tests.test_http import AIX, accorder, entete, poster

pytestmark = pytest.mark.porte

CLIENTS = 16
CANDIDATS = [f"{i:08d}" for i in range(1, 5)]


@pytest.fixture
def serveur_partout(url_persistante: str) -> Iterator[ServeurHttp]:
    """The service on SQLite and on PostgreSQL: the stores lock differently (file lock, table lock)."""
    s = ServeurHttp(url_persistante)
    yield s
    s.arreter()


def test_16_clients_concurrents_aucune_note_perdue_aucune_5xx(serveur_partout: ServeurHttp) -> None:
    serveur = serveur_partout
    jeton = accorder(serveur, serveur.jeton_admin, "dec", "service_examens", AIX)
    for donnees in (ouvrir(), *(inscrire(n) for n in CANDIDATS)):
        assert poster(serveur, jeton, donnees).status_code == 200
    # Every grade of 4 candidates, dealt round-robin: each candidate is written by most of the 16 clients.
    notes = [n for numero in CANDIDATS for n in notes_completes(numero, 13)]
    parts: list[list[dict[str, Any]]] = [notes[i::CLIENTS] for i in range(CLIENTS)]
    statuts: list[int] = []
    erreurs: list[BaseException] = []
    depart = threading.Barrier(CLIENTS)

    def client(siennes: list[dict[str, Any]]) -> None:
        try:
            with httpx.Client(base_url=serveur.base, headers=entete(jeton), timeout=60) as http:
                depart.wait()
                for donnees in siennes:
                    for _ in range(5):  # a 409 (conflict repeated past the service's retries) is retried by the client
                        r = http.post("/commandes", json=donnees)
                        statuts.append(r.status_code)
                        if r.status_code != 409:
                            break
        except BaseException as e:  # pragma: no cover - reported below
            erreurs.append(e)

    fils = [threading.Thread(target=client, args=(p,)) for p in parts]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=300)
    assert not erreurs
    assert not [s for s in statuts if s >= 500], "aucune erreur 5xx"
    assert set(statuts) <= {200, 409}
    with httpx.Client(base_url=serveur.base, headers=entete(jeton)) as http:
        for numero in CANDIDATS:
            etat = http.get(f"/sessions/{SESSION}/candidats/{numero}").json()["resultat"]
            attendues = {n["epreuve"] for n in notes if n["numero"] == numero}
            assert set(etat["notes"]) == attendues, f"note perdue pour {numero}"
    assert serveur.taille_journal() == 6 + len(CANDIDATS) * 2 + 1 + len(notes)  # habilitation, session, inscriptions
