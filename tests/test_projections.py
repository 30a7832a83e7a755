"""Projections: rows derived from the log only; a rebuild gives identical rows (ADR 0005)."""

from __future__ import annotations

import orjson

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.simulateur.generateur import cohorte
from tests.scenario import ACTEUR, SESSION, executer_comme, ouvrir, sans_suivi


def lot(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


def test_reconstruction_donne_des_lignes_identiques(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        # Several transactions and several catch-ups, so the rebuild folds other page boundaries.
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 12))), taille_transaction=40)
        service.rattraper()
        appliquer_lot(service.registre, lire_lot(lot(*cohorte(SESSION, 2024, 5, premier_numero=20_000_001))))
        executer_comme(service, {"type": "clore_inscriptions", "session": SESSION})
        avant = service.etats(SESSION)
        assert len(avant) == 17 and all(e["statut"] == "notes_completes" for e in avant)
        assert service.reconstruire() > 0
        assert service.etats(SESSION) == avant


def test_statut_suit_les_notes(url_sqlite: str) -> None:
    with ServiceRegistre(url_sqlite) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *list(cohorte(SESSION, 2024, 1))[:3])))
        service.rattraper()
        (etat,) = service.etats(SESSION)
        assert etat["statut"] == "notes_en_cours" and etat["notes_saisies"] == 2
        assert etat["epreuves_attendues"] == 18  # R2 + R4: 18 compulsory épreuves of the bac général


def test_rattrapage_sans_nouvel_evenement_ne_fait_rien(url_sqlite: str) -> None:
    with ServiceRegistre(url_sqlite) as service:
        sans_suivi(service)  # written as another process would: left to the pull
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 2))))
        assert service.rattraper() > 0
        assert service.rattraper() == 0
