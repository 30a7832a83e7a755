"""A batch larger than one window of events (issue 14): checked whole, written window by window, exactly once.

Given a batch whose planned events exceed the window (`appliquer_lot(fenetre=…)`), when it is applied, then
its log, its report and the candidates' states are those of the same batch in one window; a bad line past the
first window still refuses the batch with nothing stored; a crash between windows and a re-run apply each line
once; no window holds more than its bound; a file changed between two windows is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots import lot as lots
from adapters.lots.lot import LotRefuse, appliquer_lot, lire_lot
from tests.scenario import SESSION, note
from tests.test_lots import jsonl, lot_de_cohorte, taille

CANDIDATS = 12  # 1 + 12 × 20 = 241 events
TRANSACTION = 20


def contenu_du_journal(service: ServiceRegistre) -> list[tuple[Any, int, str]]:
    """Each stored event without its timestamp: aggregate, version, kind."""
    return [(n.originator_id, n.originator_version, n.topic)
            for n in service.registre.enregistreur.select_notifications(start=1, limit=100_000)]  # fmt: skip


def etats(service: ServiceRegistre) -> list[dict[str, Any]]:
    """The candidates' read model, without the moment of each row's last change."""
    return sorted(({k: v for k, v in e.items() if k != "modifie_le"} for e in service.etats(SESSION)),
                  key=lambda e: e["numero"])  # fmt: skip


def appliquer(url: str, contenu: bytes | Path, fenetre: int) -> tuple[Any, list[Any], list[dict[str, Any]]]:
    with ServiceRegistre(url) as service:
        rapport = appliquer_lot(service.registre, lire_lot(contenu), taille_transaction=TRANSACTION, fenetre=fenetre)
        return rapport, contenu_du_journal(service), etats(service)


@pytest.mark.parametrize("fenetre", [1, 40, 100, 239])
def test_un_lot_en_plusieurs_fenetres_donne_le_meme_journal_qu_en_une(url_persistante: str, fenetre: int) -> None:
    contenu = lot_de_cohorte(CANDIDATS)
    rapport, journal, vus = appliquer(url_persistante, contenu, fenetre)
    with ServiceRegistre("memoire://") as temoin:
        attendu = appliquer_lot(temoin.registre, lire_lot(contenu), taille_transaction=TRANSACTION)
        assert journal == contenu_du_journal(temoin) and vus == etats(temoin)
    assert (rapport.lignes, rapport.appliquees, rapport.evenements, rapport.doublons, rapport.deja_appliquees) == (
        attendu.lignes, attendu.appliquees, attendu.evenements, attendu.doublons, attendu.deja_appliquees
    )  # fmt: skip
    assert rapport.evenements == 1 + CANDIDATS * 20


def test_aucune_fenetre_ne_garde_plus_que_sa_borne(monkeypatch: pytest.MonkeyPatch) -> None:
    ecrites: list[int] = []
    vrai = lots._ecrire

    def compter(registre: Any, lot: Any, plan: Any, *autres: Any) -> None:
        ecrites.append(sum(len(t.evenements) for t in plan.transactions))
        vrai(registre, lot, plan, *autres)

    monkeypatch.setattr(lots, "_ecrire", compter)
    with ServiceRegistre("memoire://") as service:
        appliquer_lot(service.registre, lire_lot(lot_de_cohorte(CANDIDATS)), taille_transaction=TRANSACTION, fenetre=50)
        assert taille(service) == 1 + CANDIDATS * 20
    # A window closes on the transaction that reaches it; a transaction closes on the command that fills it.
    assert len(ecrites) >= 4 and max(ecrites) < 50 + TRANSACTION + 20


def test_une_ligne_fautive_apres_la_premiere_fenetre_refuse_tout_le_lot(url_persistante: str) -> None:
    # The last line breaks a rule found only when it is run (an unknown candidate), not when it is read.
    contenu = lot_de_cohorte(CANDIDATS) + jsonl(note("PHILO", 12, numero="00000099"))
    with ServiceRegistre(url_persistante) as service:
        with pytest.raises(LotRefuse) as refus:
            appliquer_lot(service.registre, lire_lot(contenu), taille_transaction=TRANSACTION, fenetre=40)
        assert taille(service) == 0, "un lot refusé n'enregistre rien, même plus grand qu'une fenêtre"
    assert [e.ligne for e in refus.value.erreurs] == [contenu.count(b"\n")]
    assert "Candidat inconnu" in refus.value.erreurs[0].message


def test_panne_entre_deux_fenetres_puis_relance_chaque_ligne_une_fois(
    url_persistante: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    contenu = lot_de_cohorte(CANDIDATS)
    vrai = lots._ecrire
    appels = {"n": 0}

    def panne_a_la_deuxieme_fenetre(*args: Any) -> None:
        appels["n"] += 1
        if appels["n"] == 2:
            raise SystemExit("panne simulée entre deux fenêtres")  # kill -9 after the first window's commit
        vrai(*args)

    with ServiceRegistre(url_persistante) as service:
        monkeypatch.setattr(lots, "_ecrire", panne_a_la_deuxieme_fenetre)
        with pytest.raises(SystemExit):
            appliquer_lot(service.registre, lire_lot(contenu), taille_transaction=TRANSACTION, fenetre=60)
        monkeypatch.undo()
        assert 0 < taille(service) < 1 + CANDIDATS * 20
    rapport, journal, _ = appliquer(url_persistante, contenu, 60)
    assert rapport.deja_appliquees > 0 and len(journal) == 1 + CANDIDATS * 20
    assert len({(a, v) for a, v, _ in journal}) == len(journal), "chaque événement une seule fois"
    assert appliquer(url_persistante, contenu, 60)[0].appliquees == 0


def test_un_fichier_modifie_entre_deux_fenetres_est_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fichier = tmp_path / "lot.jsonl"
    fichier.write_bytes(lot_de_cohorte(CANDIDATS))
    vrai = lots._ecrire

    def ecrire_puis_modifier(*args: Any) -> None:
        vrai(*args)
        fichier.write_bytes(fichier.read_bytes().replace(b'"note":"1', b'"note":"0'))  # after the first window

    monkeypatch.setattr(lots, "_ecrire", ecrire_puis_modifier)
    with ServiceRegistre(f"sqlite:///{tmp_path}/registre.db") as service, pytest.raises(LotRefuse) as refus:
        appliquer_lot(service.registre, lire_lot(fichier), taille_transaction=TRANSACTION, fenetre=60)
    assert refus.value.erreurs[0].code == "FICHIER_MODIFIE"
