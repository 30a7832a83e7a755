"""The cyclic GC around a batch (ADR 0004): paused while it plans and writes, its objects promoted after it.

Given a batch whose aggregates stay in the process's memory, when it has been applied, then its objects are
no longer in the young generations (the first collection after a results-day stage otherwise traverses every
one of them: 1.6 s after the premier groupe, measured); a reference cycle dropped during the batch is still
reclaimed by a full collection (promoted, never exempted: nothing leaks); the GC is left as the caller had it.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
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


def test_les_parcours_du_journal_pausent_le_ramasse_miettes(
    ramasse_miettes_actif: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a log of a few hundred events, when `bac verifier` walks it, the chain is caught up again from zero
    and the read models are rebuilt, then every page of the log is read with the cyclic GC paused (a row object per
    event, no cycle: reading a million rows 1.9 s with it on, 0.9 s paused; rebuilding the day's views 42 s against
    20 s, measured), and the GC is on again after each."""
    from adapters.application import vues
    from adapters.audit.preuves import chaine, troncons
    from adapters.audit.preuves.chaine import effacer_chaine, rattraper_chaine
    from adapters.audit.preuves.verification import verifier_journal

    with ServiceRegistre(f"sqlite:///{tmp_path}/registre.db") as service:
        appliquer_lot(service.registre, lire_lot(lot_de_cohorte(20)))
        pendant: dict[str, list[bool]] = {"marche": [], "chaine": [], "vues": []}

        def espion(nom: str, lire: Callable[..., Any]) -> Callable[..., Any]:
            def lu(*args: Any, **kwargs: Any) -> Any:
                pendant[nom].append(gc.isenabled())
                return lire(*args, **kwargs)

            return lu

        monkeypatch.setattr(troncons, "rangees_du_journal", espion("marche", troncons.rangees_du_journal))
        monkeypatch.setattr(chaine, "page_du_journal", espion("chaine", chaine.page_du_journal))
        monkeypatch.setattr(service.registre, "notifications", espion("vues", service.registre.notifications))
        assert verifier_journal(service.registre, service.moteur, processus=1, page=50).valide
        assert gc.isenabled()
        effacer_chaine(service.moteur)
        assert rattraper_chaine(service.registre, service.moteur, depuis_zero=True) > 0
        assert gc.isenabled()
        assert vues.reconstruire_vues(service.registre, service.moteur, None) > 0
        assert gc.isenabled()
    assert all(pendant.values()) and not any(any(v) for v in pendant.values()), pendant
