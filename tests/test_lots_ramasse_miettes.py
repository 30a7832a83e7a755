"""The cyclic GC around a batch (ADR 0004): paused while it plans and writes, its objects promoted after it.

Given a batch whose aggregates stay in the process's memory, when it has been applied, then its objects are
no longer in the young generations (the first collection after a results-day stage otherwise traverses every
one of them: 1.6 s after the premier groupe, measured); a reference cycle dropped during the batch is still
reclaimed by a full collection (promoted, never exempted: nothing leaks); the GC is left as the caller had it.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot, sans_ramasse_miettes
from tests.test_lots import lot_de_cohorte


@pytest.fixture
def ramasse_miettes_actif() -> Iterator[None]:
    actif = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not actif:
            gc.disable()


class _Noeud:
    def __init__(self) -> None:
        self.autre: _Noeud | None = None


def test_les_objets_d_un_lot_applique_ne_restent_pas_dans_les_jeunes_generations(ramasse_miettes_actif: None) -> None:
    with ServiceRegistre("memoire://") as service:
        rapport = appliquer_lot(service.registre, lire_lot(lot_de_cohorte(40)))
        jeunes = len(gc.get_objects(0)) + len(gc.get_objects(1))
        assert rapport.evenements > 500
        # The 40 candidates kept in memory hold thousands of objects; only what ran after the batch is young.
        assert jeunes < rapport.evenements, f"{jeunes} objets encore jeunes après un lot de {rapport.evenements}"


def test_un_cycle_abandonne_pendant_un_lot_est_repris_par_la_collecte_suivante(ramasse_miettes_actif: None) -> None:
    repris: list[bool] = []
    with sans_ramasse_miettes():
        assert not gc.isenabled()
        a, b = _Noeud(), _Noeud()
        a.autre, b.autre = b, a
        weakref.finalize(a, repris.append, True)
        del a, b  # unreachable now, but a cycle: only the cyclic GC reclaims it
    assert gc.isenabled()
    assert not repris
    gc.collect()
    assert repris == [True], "un objet promu reste à la charge du ramasse-miettes : rien n'est gelé pour toujours"
    assert gc.get_freeze_count() == 0


def test_le_ramasse_miettes_est_rendu_tel_que_l_appelant_l_avait() -> None:
    actif = gc.isenabled()
    try:
        gc.disable()
        with sans_ramasse_miettes():
            pass
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(RuntimeError), sans_ramasse_miettes():
            raise RuntimeError("refus en cours de lot")
        assert gc.isenabled()
    finally:
        (gc.enable if actif else gc.disable)()
