"""PostgreSQL's statistics of the read models follow their growth while a process fills them (projections/analyse.py;
issue 14): without them, each fold's read of its keys scanned the whole table (24 ms a read on average over the
Aix-Marseille general inscriptions). Given a batch of a cohort, when it is applied, then each read-model table has
been analysed, a few times only (each time it has doubled), and a table that grew by less than the threshold not
at all; on SQLite, nothing is asked."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from projections import analyse
from tests.test_lots import lot_de_cohorte


def _analysees(service: ServiceRegistre) -> dict[str, bool]:
    with service.moteur.connect() as connexion:
        lignes = connexion.execute(
            text("SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname IN "
                 "('etat_candidats', 'statistiques_candidats')")
        ).all()  # fmt: skip
    return {str(nom): bool(fait) for nom, fait in lignes}


def test_les_vues_sont_analysees_quand_elles_grandissent(url_persistante: str, monkeypatch: pytest.MonkeyPatch) -> None:
    demandes: list[tuple[str, bool]] = []
    apres_ecriture = analyse.apres_ecriture

    def espion(connexion, table, ecrites):  # type: ignore[no-untyped-def]
        fait = apres_ecriture(connexion, table, ecrites)
        demandes.append((table.name, fait))
        return fait

    monkeypatch.setattr("projections.lignes.apres_ecriture", espion)
    monkeypatch.setattr(analyse, "SEUIL", 10)
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot_de_cohorte(9)))  # 9 candidates: under the threshold
        if url_persistante.startswith("sqlite"):
            assert not any(fait for _, fait in demandes)  # SQLite's planner needs none of it here
            return
        assert _analysees(service) == {"etat_candidats": False, "statistiques_candidats": False}
        appliquer_lot(service.registre, lire_lot(lot_de_cohorte(120)))  # 111 more: 9 → 120 rows
        assert _analysees(service) == {"etat_candidats": True, "statistiques_candidats": True}
        for table in ("etat_candidats", "statistiques_candidats"):
            fois = sum(fait for nom, fait in demandes if nom == table)
            assert 1 <= fois <= 5, (table, fois)  # doubling from 10 to 120 rows: a handful, not one per fold


def test_une_analyse_bloquee_ne_retient_pas_le_pli(url_postgres: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given another session holding the lock ANALYZE takes (a VACUUM would), when a fold's writes ask for an
    ANALYZE, then the fold waits `DELAI_VERROU_MS` at most, goes on in the same transaction without it, and the
    next growth asks again once the lock is free."""
    from projections.tables import etat_candidats

    monkeypatch.setattr(analyse, "SEUIL", 10)
    with ServiceRegistre(url_postgres) as service:
        with service.moteur.connect() as autre, service.moteur.begin() as connexion:
            autre.execute(text("BEGIN"))
            autre.execute(text("LOCK TABLE etat_candidats IN SHARE UPDATE EXCLUSIVE MODE"))
            debut = time.monotonic()
            assert not analyse.apres_ecriture(connexion, etat_candidats, 50)
            assert time.monotonic() - debut < 5
            assert connexion.execute(text("SELECT count(*) FROM etat_candidats")).scalar() == 0  # still usable
            assert connexion.execute(text("SELECT current_setting('lock_timeout')")).scalar() == "15s"
            autre.execute(text("ROLLBACK"))
        with service.moteur.begin() as connexion:
            assert analyse.apres_ecriture(connexion, etat_candidats, 50)
