"""`bac preuve` finds the seal of a candidate's decision among his jury's records (issue 14, R52, ADR 0030):
the same proof file as when every act of the log is read, for every candidate, on a new log and on a log written
by older code (seals of the older form, ADR 0013), on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves import inclusion
from adapters.audit.preuves.inclusion import preuves_de
from domain import ids
from tests.scenario import SESSION
from tests.test_deliberation_stores import NUMEROS, jury_delibere
from tests.test_journal_ancien import ATTENDU, registre_ancien  # noqa: F401 (a fixture)


def _memes_preuves(service: ServiceRegistre, numeros: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lectures: list[int] = []
    lire_actes = inclusion.lire_actes
    monkeypatch.setattr(inclusion, "lire_actes", lambda *a: lectures.append(1) or lire_actes(*a))
    for numero in numeros:
        candidat = ids.candidat_id(SESSION, numero)
        par_le_jury = preuves_de(service.registre, service.moteur, candidat, session=SESSION)
        avant = len(lectures)
        par_le_journal = preuves_de(service.registre, service.moteur, candidat)
        assert len(lectures) == avant + 1  # the reference reads every act of the log
        assert par_le_jury == par_le_journal, numero
        assert par_le_jury.sceau_de == "proces_verbal" and all(p.verifiee for p in par_le_jury.preuves)
    assert len(lectures) == len(numeros)  # the jury's records sufficed every time


def test_r52_sceau_trouve_par_le_jury_journal_neuf(url_persistante: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)
        _memes_preuves(service, list(NUMEROS), monkeypatch)


def test_r52_sceau_trouve_par_le_jury_journal_ancien(
    registre_ancien: ServiceRegistre,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with registre_ancien as service:
        _memes_preuves(service, list(ATTENDU["decisions"]), monkeypatch)


def test_r52_sans_deliberation_le_dernier_sceau_du_journal(url_persistante: str, tmp_path: Path) -> None:
    """A candidate never deliberated: his records' proof under the log's last seal, found among every act."""
    from tests.scenario import Scenario, inscrire

    s = Scenario(url_persistante)
    try:
        with ServiceRegistre(url_persistante) as service:
            jury_delibere(service)
        s.etant_donne(inscrire("00000099"))
    finally:
        s.fermer()
    with ServiceRegistre(url_persistante) as service:
        candidat = ids.candidat_id(SESSION, "00000099")
        dossier = preuves_de(service.registre, service.moteur, candidat, session=SESSION)
        assert dossier == preuves_de(service.registre, service.moteur, candidat)
        assert dossier.sceau_de == "dernier_sceau"
