"""A jury's deliberation is one transaction of several MB: on PostgreSQL it is written without pipeline
mode (pitfall 1: such a transaction hung psycopg's pipeline), still atomic with the batch's position."""

from __future__ import annotations

from adapters.application.service import ServiceRegistre
from domain.evenements import Delibere
from tests.scenario import (
    SESSION,
    affecter,
    appliquer_comme,
    constituer_jury,
    deliberer,
    inscrire,
    notes_completes,
    ouvrir,
)

NUMEROS = [f"{i:08d}" for i in range(1, 401)]


def test_un_jury_de_400_candidats_delibere_en_une_transaction_de_plusieurs_mo(url_postgres: str) -> None:
    lignes = [ouvrir(), *(inscrire(n) for n in NUMEROS), constituer_jury(), affecter(*NUMEROS)]
    lignes += [ligne for n in NUMEROS for ligne in notes_completes(n, 11 + int(n) % 5)]
    lignes.append(deliberer(1))
    with ServiceRegistre(url_postgres) as service:
        lots = appliquer_comme(service, lignes)  # the service's, the recteur's, then the president's batch
        notifications = service.registre.enregistreur.select_notifications(start=1, limit=100_000)
        deliberes = [n for n in notifications if n.topic.endswith(Delibere.__qualname__)]
        assert len(deliberes) == 400 and sum(len(n.state) for n in deliberes) > 1_000_000
        ids = [n.id for n in notifications]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        # A streamed batch keeps no list of its lines: its report counts them, its position says how far it went.
        assert [service.registre.position_suivie(lot.nom_suivi) for lot, _ in lots] == [
            rapport.lignes for _, rapport in lots
        ]
        assert sum(rapport.lignes for _, rapport in lots) == len(lignes)
        assert service.statistiques(SESSION).ligne("ensemble").effectifs.admis == 400
