"""A jury deliberated end to end on both real stores (SQLite file, PostgreSQL), then replayed (R54, Q9)."""

from __future__ import annotations

from typing import Any

from adapters.application.service import ServiceRegistre
from domain.deliberation import identique, rejouer
from domain.evenements import Delibere, Inscrit
from tests.scenario import (
    SESSION,
    affecter,
    constituer_jury,
    deliberer,
    executer_comme,
    inscrire,
    notes_completes,
    ouvrir,
)

NUMEROS = ("00000001", "00000002", "00000003", "00000004")


def executer(service: ServiceRegistre, *commandes: dict[str, Any]) -> None:
    for donnees in commandes:
        executer_comme(service, donnees)


def jury_delibere(service: ServiceRegistre) -> None:
    un, deux, trois, quatre = NUMEROS
    executer(
        service,
        ouvrir(),
        *(inscrire(n, livret_scolaire=n == trois) for n in NUMEROS),
        constituer_jury(),
        affecter(*NUMEROS),
        *notes_completes(un, 15, PHILO=18),
        *notes_completes(deux, 9, PHILO=5, SPE2=6, GRAND_ORAL=18, EMC_1=11),
        *notes_completes(trois, 7),
        *notes_completes(quatre, 9),
        {"type": "examiner_livret", "session": SESSION, "numero": trois, "jury": "J1", "acteur": "pres-j1",
         "role": "president_jury"},
        deliberer(1),
        {"type": "choisir_controle", "session": SESSION, "numero": deux, "epreuves": ["PHILO", "SPE2"]},
        {"type": "saisir_controle", "session": SESSION, "numero": deux, "epreuve": "PHILO", "note": "11"},
        {"type": "saisir_controle", "session": SESSION, "numero": deux, "epreuve": "SPE2", "note": "10"},
        deliberer(2),
    )  # fmt: skip


def test_jury_delibere_de_bout_en_bout(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)
        statuts = {e["numero"]: (e["statut"], e["groupe"], e["mention"]) for e in service.etats(SESSION)}
        assert statuts == {
            "00000001": ("admis", 1, "bien"),
            "00000002": ("admis", 2, None),  # R22 outcome B: 10.24, no mention (R21)
            "00000003": ("ajourne", 1, None),
            "00000004": ("ajourne", 2, None),  # 9.00, no contrôle chosen: grades stand (Q8)
        }
        avant = service.etats(SESSION)
        service.reconstruire()
        assert service.etats(SESSION) == avant
    with ServiceRegistre(url_persistante) as relu:  # a fresh process reads the stored decisions back
        for numero in NUMEROS:
            assert relu.decision(SESSION, numero).rejeu == "identique"


def test_rejeu_de_chaque_delibere_sur_ses_entrees_stockees(url_sqlite: str) -> None:
    """Rebuild every candidate from the log and re-run the rules on each stored `Délibéré`: same JSON."""
    with ServiceRegistre(url_sqlite) as service:
        jury_delibere(service)
        enregistreur = service.registre.enregistreur
        notifications = enregistreur.select_notifications(start=1, limit=10_000)
        evenements = [service.registre.mapper.to_domain_event(n) for n in notifications]
        candidats = {e.originator_id for e in evenements if isinstance(e, Inscrit)}
        deliberes = [e for e in evenements if isinstance(e, Delibere)]
        assert len(deliberes) == 6 and {e.originator_id for e in deliberes} <= candidats
        for e in deliberes:
            candidat: Any = service.registre.repository.get(e.originator_id, version=e.originator_version)
            d = candidat.deliberations[e.groupe]
            assert rejouer(candidat.reglement, d).model_dump_json() == e.trace.model_dump_json()
            assert identique(candidat.reglement, d)
