"""Issue 13.5, property-based: a seal's size is never below the last position its decisions read.

Whatever mix of single commands and batches brings the grades and the deliberation (the deliberation in the
same batch as the grades, or alone, or the grades one by one), each `ActeScellé` covers its act, every
`Délibéré` of that act and every event stored before the act (ADR 0013).
"""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.application.service import ServiceRegistre
from tests.scenario import (
    affecter,
    appliquer_comme,
    constituer_jury,
    deliberer,
    executer_comme,
    inscrire,
    notes_completes,
    ouvrir,
)

NUMEROS = ("00000001", "00000002", "00000003")


def _appliquer(service: ServiceRegistre, commandes: list[dict[str, Any]], en_lot: bool) -> None:
    if en_lot:
        appliquer_comme(service, commandes)  # consecutive lines of one actor make one batch
    else:
        for c in commandes:
            executer_comme(service, c)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bases=st.lists(st.integers(4, 17), min_size=3, max_size=3),
    coupures=st.lists(st.booleans(), min_size=3, max_size=3),
    en_lot=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_r52_un_sceau_couvre_tout_ce_que_ses_decisions_ont_lu(
    bases: list[int], coupures: list[bool], en_lot: list[bool]
) -> None:
    with ServiceRegistre("memoire://") as service:
        _appliquer(service, [ouvrir(), *(inscrire(n) for n in NUMEROS), constituer_jury(), affecter(*NUMEROS)], False)
        paquet: list[dict[str, Any]] = []
        rang = 0
        for numero, base, coupe in zip(NUMEROS, bases, coupures, strict=True):
            paquet += notes_completes(numero, base)
            if coupe:  # a batch (or singles) boundary drawn between candidates
                _appliquer(service, paquet, en_lot[rang])
                paquet, rang = [], rang + 1
        _appliquer(service, [*paquet, deliberer(1)], en_lot[3])  # the deliberation with the last grades, or alone
        lignes = service.registre.enregistreur.select_notifications(start=0, limit=10_000)
        (sceau,) = [n for n in lignes if n.topic.endswith("ActeScellé")]
        tete = orjson.loads(sceau.state)["sceau"]
        avant = [n.id for n in lignes if n.id < sceau.id]
        assert tete["position"] == max(avant) and tete["taille"] == len(avant)
        deliberes = [n.id for n in lignes if n.topic.rsplit(".", 1)[-1] == "Délibéré"]
        assert len(deliberes) == len(NUMEROS) and max(deliberes) <= tete["position"]
        assert service.verifier().premier_defaut is None
