"""Aggregates kept in a process's memory (adapters/stockage/registre.py): used only while they are the stored ones.

Given a candidate kept in memory by one process, when aggregates are loaded in bulk (a jury's candidates), then
the kept one is used as is while its last stored event is the one it knows (same version, same timestamp: read
from the stored row, on both stores); replayed when another process wrote after it; replayed when it reached
the stored version by an event that was never stored (a plan whose write failed); and so when the stored
events are compressed, the timestamp then read from the decompressed state.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import orjson
import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from domain import ids
from tests.scenario import ACTEUR, SESSION, inscrire, note, ouvrir
from tests.test_integrite import Base


def lot(*lignes: dict[str, Any]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


NUMEROS = ("00000001", "00000002", "00000003")


@pytest.fixture(params=["sans", "zlib"])
def compression(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "zlib":
        monkeypatch.setenv("COMPRESSOR_TOPIC", "eventsourcing.compressor:ZlibCompressor")
    yield request.param


def candidats_ids() -> list[UUID]:
    return [ids.candidat_id(SESSION, n) for n in NUMEROS]


def preparer(url: str) -> None:
    with ServiceRegistre(url) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *(inscrire(n) for n in NUMEROS))))


def test_un_agregat_garde_a_jour_sert_tel_quel(url_persistante: str, compression: str) -> None:
    preparer(url_persistante)
    with ServiceRegistre(url_persistante) as service:
        assert bool(service.registre.mapper.compressor) == (compression == "zlib")
        premiers = service.registre.charger_plusieurs(candidats_ids())
        seconds = service.registre.charger_plusieurs(candidats_ids())
        assert all(seconds[i] is premiers[i] for i in candidats_ids()), "rien n'a changé : pas de rejeu"


def test_un_agregat_garde_est_rejoue_apres_l_ecriture_d_un_autre_processus(
    url_persistante: str, compression: str
) -> None:
    preparer(url_persistante)
    with ServiceRegistre(url_persistante) as a, ServiceRegistre(url_persistante) as b:
        gardes = a.registre.charger_plusieurs(candidats_ids())
        appliquer_lot(b.registre, lire_lot(lot(note("PHILO", 12, NUMEROS[1]))))
        recharges = a.registre.charger_plusieurs(candidats_ids())
        cible = ids.candidat_id(SESSION, NUMEROS[1])
        assert recharges[cible] is not gardes[cible]
        assert recharges[cible].version == gardes[cible].version + 1
        assert "PHILO" in recharges[cible].notes
        autres = [i for i in candidats_ids() if i != cible]
        assert all(recharges[i] is gardes[i] for i in autres)


def test_un_agregat_arrive_a_la_version_stockee_par_un_evenement_jamais_stocke_est_rejoue(
    url_persistante: str, compression: str
) -> None:
    """A plan moved the kept aggregate to version n + 1 in memory and its write failed; another process then
    stored its own version n + 1. Same version, another event: only the timestamp tells them apart."""
    preparer(url_persistante)
    with ServiceRegistre(url_persistante) as a, ServiceRegistre(url_persistante) as b:
        cible = ids.candidat_id(SESSION, NUMEROS[0])
        garde = a.registre.charger_plusieurs([cible])[cible]
        appliquer_lot(b.registre, lire_lot(lot(note("PHILO", 12, NUMEROS[0]))))
        stocke = b.registre.charger_plusieurs([cible])[cible]
        garde.version = stocke.version  # the event of the failed write, as far as the check can see
        garde.modified_on = stocke.modified_on - timedelta(microseconds=1)
        recharge = a.registre.charger_plusieurs([cible])[cible]
        assert recharge is not garde
        assert recharge.modified_on == stocke.modified_on
        assert "PHILO" in recharge.notes


def test_une_derniere_ligne_reecrite_en_texte_qui_n_est_plus_du_json_est_dite_comme_au_rejeu(
    url_persistante: str, compression: str
) -> None:
    """The attack: the last stored row of a kept candidate overwritten with bytes that are not JSON. The database
    cannot read a timestamp from it: the loading refuses as the replay of that row refuses, never a driver error."""
    preparer(url_persistante)
    with ServiceRegistre(url_persistante) as service:
        cible = ids.candidat_id(SESSION, NUMEROS[2])
        service.registre.charger_plusieurs(candidats_ids())  # kept in memory
        base = Base(service)
        derniere = base.position("Inscrit", 2)  # the third candidate's only event
        base.ecrire(derniere, b"\x00pas du json{")
        with pytest.raises(Exception) as au_chargement:
            service.registre.charger_plusieurs([cible])
        service.registre.memoire.clear()
        with pytest.raises(Exception) as au_rejeu:
            service.registre.charger_plusieurs([cible])
        assert type(au_chargement.value) is type(au_rejeu.value), (au_chargement.value, au_rejeu.value)
