"""Aggregates kept in a process's memory (adapters/stockage/registre.py): used only while they are the stored ones.

Given a candidate kept in memory by one process, when aggregates are loaded in bulk (a jury's candidates), then
the kept one is used as is while its last stored event is the one it knows (same version, same timestamp: read
from the stored row, on both stores); replayed when another process wrote after it; replayed when it reached
the stored version by an event that was never stored (a plan whose write failed); and so when the stored
events are compressed, the timestamp then read from the decompressed state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.stockage.chargement import TETE, horodatage_en_tete, horodatage_json
from domain import ids
from tests.modeles import Copie
from tests.scenario import ACTEUR, SESSION, inscrire, note, ouvrir
from tests.test_integrite import Base, _jury_delibere, verifier


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


# --- The timestamp read from the head of the stored state (adapters/stockage/chargement.py, issue 14) ---------


@pytest.fixture
def journal(copie_de: Callable[..., Copie]) -> Iterator[tuple[ServiceRegistre, Base]]:
    """Its own copy of a deliberated jury, on each store (tests/modeles.py): the candidates' last rows are decisions."""
    with ServiceRegistre(copie_de("jury_delibere", _jury_delibere).url) as service:
        yield service, Base(service)


def test_l_horodatage_lu_en_tete_est_celui_du_json_pour_chaque_evenement_du_journal(
    journal: tuple[ServiceRegistre, Base],
) -> None:
    """Every row of a deliberated jury's log (session, jury, inscriptions, grades, decisions, seals): the head's
    timestamp is the parsed JSON's, never a guess — the kept aggregates are checked against the same value."""
    _, base = journal
    lignes = base.lignes()
    assert len({sujet for _, sujet, _ in lignes}) >= 8
    for position, sujet, etat in lignes:
        attendu = horodatage_json(etat)
        assert attendu is not None, (position, sujet)
        assert horodatage_en_tete(etat[:TETE]) == attendu, (position, sujet)


CLES = st.text(alphabet=st.sampled_from('atimes"\\:{},'), min_size=1, max_size=12)
VALEURS = st.recursive(
    st.none()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text(alphabet=st.sampled_from('0123456789TZ:-."timestamp\\{},'), max_size=30),
    lambda enfants: st.lists(enfants, max_size=3) | st.dictionaries(CLES, enfants, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    horodatage=st.text(alphabet=st.sampled_from('0123456789TZ:-.+"\\'), max_size=32),
    devant=st.dictionaries(CLES, VALEURS, max_size=3),
    apres=st.dictionaries(CLES, VALEURS, max_size=4),
    coupe=st.integers(min_value=0, max_value=400),
)
def test_l_horodatage_en_tete_ne_dit_jamais_autre_chose_que_le_json(
    horodatage: str, devant: dict[str, Any], apres: dict[str, Any], coupe: int
) -> None:
    """Whatever comes before and after it, strings holding the key itself included: the head says the JSON's
    timestamp or nothing (then the whole state is parsed), as long as nothing before it is an object's key
    "timestamp" (the mapper writes the library's three fields first)."""
    devant.pop("timestamp", None)
    apres.pop("timestamp", None)
    etat = orjson.dumps({"originator_id": str(UUID(int=7)), **devant, "timestamp": horodatage, **apres})
    if b'"timestamp":"' in orjson.dumps(devant):
        return  # a nested key of that name before the field: not a state the mapper writes
    lu = horodatage_en_tete(etat[:coupe])
    assert lu is None or lu == horodatage
    if coupe >= len(etat) and not set(horodatage) & {'"', "\\"}:
        assert lu == horodatage  # the whole state at hand and nothing escaped: read, not left to the parser


def test_une_tete_reecrite_a_un_autre_horodatage_fait_rejouer(journal: tuple[ServiceRegistre, Base]) -> None:
    """The attack on the check itself: the last row of a kept candidate given another timestamp at its head. The
    check reads the head, so the kept aggregate is not used: it is replayed from the rewritten row."""
    service, base = journal
    position = base.position("Délibéré", 0)
    cible = UUID(str(base.sql("SELECT originator_id FROM {t} WHERE {pos} = :p", p=position).scalar_one()))
    garde = service.registre.charger_plusieurs([cible])[cible]
    assert service.registre.charger_plusieurs([cible])[cible] is garde
    etat = base.etat(position)
    ancien = horodatage_en_tete(etat[:TETE])
    assert ancien is not None and ancien[:4].isdigit()
    nouveau = str(int(ancien[:4]) - 1) + ancien[4:]
    base.ecrire(position, etat.replace(ancien.encode(), nouveau.encode(), 1))
    recharge = service.registre.charger_plusieurs([cible])[cible]
    assert recharge is not garde and recharge.version == garde.version
    assert recharge.modified_on.year == garde.modified_on.year - 1


def test_une_queue_reecrite_derriere_une_tete_intacte_est_trouvee_par_le_verificateur(
    journal: tuple[ServiceRegistre, Base],
) -> None:
    """What the head check does not look at, the hash chain does (R52): a decision's trace rewritten behind an
    intact head leaves the kept aggregate in use (no other writer moved it), and `bac verifier` names the row."""
    service, base = journal
    position = base.position("Délibéré", 0)
    cible = UUID(str(base.sql("SELECT originator_id FROM {t} WHERE {pos} = :p", p=position).scalar_one()))
    garde = service.registre.charger_plusieurs([cible])[cible]
    etat = bytearray(base.etat(position))
    i = etat.index(b'"libelle_mention":"') + len(b'"libelle_mention":"')
    assert i > TETE
    etat[i] = ord("X")
    base.ecrire(position, bytes(etat))
    assert service.registre.charger_plusieurs([cible])[cible] is garde
    d = verifier(service).premier_defaut
    assert d is not None and (d.position, d.nature) == (position, "modifie")
