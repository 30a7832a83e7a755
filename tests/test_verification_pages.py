"""`bac verifier` walks the log a page at a time (adapters.audit.preuves.marche, issue 14): an intact page is taken
whole, any other row by row. Given the same damaged log, whatever the page size and whether pages are taken whole
or not, the report is the same (R52; ADR 0008) — the whole-page way may only skip work, never a finding."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves import troncons
from adapters.audit.preuves.chaine import feuille, feuilles_de
from adapters.audit.preuves.merkle import Frontiere
from adapters.audit.preuves.troncons import decouper
from adapters.audit.preuves.verification import verifier_journal
from tests.modeles import Copie
from tests.test_integrite import Base, _jury_delibere, modifier_un_octet, rechainer_comme_un_attaquant


@pytest.fixture
def journal(copie_de: Callable[..., Copie]) -> Iterator[tuple[ServiceRegistre, Base]]:
    """Its own copy of tests/test_integrite.py's deliberated jury: two deliberations, two seals."""
    with ServiceRegistre(copie_de("jury_delibere", _jury_delibere).url) as service:
        yield service, Base(service)


def _note(base: Base, rang: int) -> int:
    return base.position("NoteSaisie", rang)


def _rien(service: ServiceRegistre, base: Base) -> None:
    pass


def _octet(service: ServiceRegistre, base: Base) -> None:
    modifier_un_octet(base, _note(base, 5))


def _suppression(service: ServiceRegistre, base: Base) -> None:
    base.sql("DELETE FROM {t} WHERE {pos} = :p", p=_note(base, 3))


def _permutation(service: ServiceRegistre, base: Base) -> None:
    base.echanger(_note(base, 2), base.position("Délibéré", 0))


def _troncature(service: ServiceRegistre, base: Base) -> None:
    base.sql("DELETE FROM {t} WHERE {pos} >= :p", p=base.position("ContrôlePassé", 0))


def _maillon_reecrit(service: ServiceRegistre, base: Base) -> None:
    base.sql("UPDATE chaine_journal SET chaine = :c WHERE position = :p", c=bytes(32), p=_note(base, 4))


def _rang_decale(service: ServiceRegistre, base: Base) -> None:
    base.sql("UPDATE chaine_journal SET rang = rang + 1000000 WHERE position = :p", p=_note(base, 6))


def _maillon_supprime(service: ServiceRegistre, base: Base) -> None:
    base.sql("DELETE FROM chaine_journal WHERE position = :p", p=_note(base, 1))


def _reecrit_et_rechaine(service: ServiceRegistre, base: Base) -> None:
    modifier_un_octet(base, _note(base, 5))
    rechainer_comme_un_attaquant(service)


ATTAQUES: list[Callable[[ServiceRegistre, Base], None]] = [
    _rien, _octet, _suppression, _permutation, _troncature, _maillon_reecrit, _rang_decale, _maillon_supprime,
    _reecrit_et_rechaine,
]  # fmt: skip


def _sans_duree(rapport: Any) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(rapport).items() if k != "secondes"}


@pytest.mark.parametrize("attaque", ATTAQUES, ids=lambda a: a.__name__.strip("_"))
def test_r52_meme_rapport_quelle_que_soit_la_page(
    journal: tuple[ServiceRegistre, Base], attaque: Callable[[ServiceRegistre, Base], None]
) -> None:
    """Given a deliberated jury's log damaged one way, when it is verified with pages of every size, taken whole or
    row by row, then every report is the one the row-by-row walk of one page gives."""
    service, base = journal
    attaque(service, base)
    reference = _sans_duree(verifier_journal(service.registre, service.moteur, page=100_000, par_page=False))
    assert reference["valide"] == (attaque is _rien)
    for page in (1, 2, 7, 64, 10_000):
        for par_page in (True, False):
            rapport = verifier_journal(service.registre, service.moteur, page=page, par_page=par_page)
            assert _sans_duree(rapport) == reference, (page, par_page)
    # Stretches of a few rows, walked one after the other here: the tree split on blocks, the findings joined.
    for bloc, troncon, page in ((1, 1, 10_000), (2, 4, 3), (4, 8, 64), (8, 8, 5), (16, 64, 10_000)):
        rapport = verifier_journal(service.registre, service.moteur, processus=1, bloc=bloc, troncon=troncon, page=page)
        assert _sans_duree(rapport) == reference, (bloc, troncon, page)


@pytest.mark.parametrize("attaque", [_rien, _octet, _troncature, _reecrit_et_rechaine], ids=lambda a: a.__name__[1:])
@pytest.mark.parametrize("depart", ["fork", "forkserver"])
def test_r52_meme_rapport_quand_des_processus_se_partagent_le_journal(
    journal: tuple[ServiceRegistre, Base],
    attaque: Callable[[ServiceRegistre, Base], None],
    depart: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given a damaged log, when two worker processes walk its stretches (each opening the log by its URL), forked
    from this process or from a fork server, then the report is the one a single walk gives (ADR 0028)."""
    service, base = journal
    attaque(service, base)
    reference = _sans_duree(verifier_journal(service.registre, service.moteur, processus=1))
    assert len(decouper(service.registre, service.registre.borne(), 16)) >= 3
    contexte = multiprocessing.get_context(depart)
    if depart == "forkserver":
        contexte.set_forkserver_preload([troncons.__name__])
    monkeypatch.setattr(troncons, "_contexte", lambda: contexte)
    ici, parcourir = os.getpid(), troncons.parcourir

    def ailleurs_seulement(*args: Any, **kwargs: Any) -> Any:  # a forked worker inherits this patch
        assert os.getpid() != ici, "tronçon parcouru dans le processus appelant"
        return parcourir(*args, **kwargs)

    monkeypatch.setattr(troncons, "parcourir", ailleurs_seulement)  # nothing walked here: the workers walk
    rapport = verifier_journal(service.registre, service.moteur, processus=2, bloc=4, troncon=16, page=5)
    assert _sans_duree(rapport) == reference


def test_r52_sans_processus_disponibles_le_journal_est_parcouru_ici(
    journal: tuple[ServiceRegistre, Base], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a pool that loses its workers, when the log is verified, then its stretches are walked in this process
    and the report is the same: a verification never fails for want of processes."""
    service, base = journal
    _octet(service, base)
    reference = _sans_duree(verifier_journal(service.registre, service.moteur, processus=1))

    def perdu(*_: object, **__: object) -> None:
        raise BrokenProcessPool("un processus s'est arrêté")

    monkeypatch.setattr(troncons, "_dans_des_processus", perdu)
    rapport = verifier_journal(service.registre, service.moteur, processus=2, bloc=4, troncon=16)
    assert _sans_duree(rapport) == reference


@given(
    avant=st.lists(st.binary(min_size=32, max_size=32), max_size=40),
    ajout=st.lists(st.binary(min_size=32, max_size=32), max_size=70),
)
def test_etendre_la_frontiere_c_est_ajouter_chaque_feuille(avant: list[bytes], ajout: list[bytes]) -> None:
    une, d_un_coup = Frontiere(), Frontiere()
    for f in avant + ajout:
        une.ajouter(f)
    d_un_coup.etendre(avant)
    d_un_coup.etendre(ajout)
    assert (d_un_coup.taille, d_un_coup.noeuds, d_un_coup.racine()) == (une.taille, une.noeuds, une.racine())


IDENTS = st.one_of(
    st.uuids(), st.uuids().map(str), st.uuids().map(lambda u: u.hex), st.uuids().map(lambda u: str(u).upper())
)


@given(
    st.lists(
        st.tuples(st.integers(0, 2**63 - 1), IDENTS, st.integers(0, 2**63 - 1), st.text(max_size=30), st.binary()),
        max_size=20,
    )
)
def test_les_feuilles_d_une_page_sont_celles_de_chaque_ligne(lignes: list[tuple[Any, ...]]) -> None:
    assert feuilles_de(lignes) == [feuille(*ligne) for ligne in lignes]
