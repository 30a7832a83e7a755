"""Batch files: all-or-nothing validation, bounded transactions, each line applied exactly once."""

from __future__ import annotations

import orjson
import pytest

from adapters.application.service import ServiceRegistre
from adapters.lots import lot as lots
from adapters.lots.lot import LotRefuse, appliquer_lot, lire_lot
from adapters.simulateur.generateur import cohorte
from tests.scenario import ACTEUR, SESSION, executer_comme, inscrire, note, ouvrir


def jsonl(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


def lot_de_cohorte(nombre: int) -> bytes:
    return jsonl(ouvrir(), *cohorte(SESSION, 2024, nombre))


def taille(service: ServiceRegistre) -> int:
    return service.registre.enregistreur.max_notification_id() or 0


@pytest.fixture
def service() -> ServiceRegistre:
    return ServiceRegistre("memoire://")


def refus_de(service: ServiceRegistre, contenu: bytes) -> LotRefuse:
    with pytest.raises(LotRefuse) as refus:
        appliquer_lot(service.registre, lire_lot(contenu))
    assert taille(service) == 0, "un lot refusé n'enregistre rien"
    return refus.value


def test_toutes_les_lignes_fautives_sont_listees_et_rien_n_est_stocke(service: ServiceRegistre) -> None:
    contenu = (
        jsonl(
            ouvrir(),
            inscrire(),
            note("PHILO", 21),  # line 3: R13 (schema)
            note("PHILO", 12, numero="00000099"),  # line 4: unknown candidate (rules)
            note("SPE1", "12.5"),  # line 5: R13 (rules: whole points)
            note("PHILO", 12),  # line 6: fine
        )
        + b'{"type": "saisir_note", oups}\n'
    )  # line 7: malformed JSON
    erreurs = refus_de(service, contenu).erreurs
    assert [e.ligne for e in erreurs] == [3, 4, 5, 7]
    assert erreurs[0].champ == "note" and "R13" in str(erreurs[0].regle)
    assert "Candidat inconnu" in erreurs[1].message
    assert "R13" in str(erreurs[2].regle)
    assert "JSON mal formé" in erreurs[3].message


def test_fichier_non_utf8_refuse_avec_sa_ligne(service: ServiceRegistre) -> None:
    contenu = jsonl(ouvrir()) + '{"type": "ouvrir_session", "libelle": "é"}\n'.encode("latin-1")
    erreurs = refus_de(service, contenu).erreurs
    assert erreurs[0].ligne == 2 and "UTF-8" in erreurs[0].message


def test_type_de_commande_inconnu_refuse(service: ServiceRegistre) -> None:
    erreurs = refus_de(service, jsonl({"type": "effacer_tout"})).erreurs
    assert "type de commande inconnu" in erreurs[0].message


def test_ligne_qui_n_est_pas_un_objet_refusee(service: ServiceRegistre) -> None:
    assert "objet JSON" in refus_de(service, b"[1, 2]\n").erreurs[0].message


def test_lot_applique_par_transactions_bornees(service: ServiceRegistre) -> None:
    rapport = appliquer_lot(service.registre, lire_lot(lot_de_cohorte(30)), taille_transaction=100)
    assert rapport.evenements == taille(service) == 1 + 30 * 20
    assert rapport.transactions == 7  # ceil(601 / ~100): transactions close at command boundaries


def test_reappliquer_un_lot_applique_ne_change_rien(service: ServiceRegistre) -> None:
    contenu = lot_de_cohorte(5)
    appliquer_lot(service.registre, lire_lot(contenu))
    avant = taille(service)
    rapport = appliquer_lot(service.registre, lire_lot(contenu))
    assert rapport.appliquees == 0 and rapport.deja_appliquees == rapport.lignes
    assert taille(service) == avant


def test_crash_a_mi_lot_puis_relance_chaque_ligne_une_seule_fois(
    url_persistante: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    contenu = lot_de_cohorte(20)
    with ServiceRegistre(url_persistante) as service:
        vrai = service.registre.enregistrer
        appels = {"n": 0}

        def panne_a_la_troisieme(evenements: object, suivi: object = None, **autres: object) -> None:
            appels["n"] += 1
            if appels["n"] == 3:
                raise SystemExit("panne simulée")
            vrai(evenements, suivi, **autres)  # type: ignore[arg-type]

        monkeypatch.setattr(service.registre, "enregistrer", panne_a_la_troisieme)
        with pytest.raises(SystemExit):
            appliquer_lot(service.registre, lire_lot(contenu), taille_transaction=50)
        partiel = taille(service)
        assert 0 < partiel < 1 + 20 * 20
    with ServiceRegistre(url_persistante) as service:
        rapport = appliquer_lot(service.registre, lire_lot(contenu), taille_transaction=50)
        assert rapport.deja_appliquees > 0
        evenements = list(service.registre.enregistreur.select_notifications(start=1, limit=100_000))
        assert len(evenements) == 1 + 20 * 20
        cles = [(e.originator_id, e.originator_version) for e in evenements]
        assert len(set(cles)) == len(cles)
        # Every grade of every candidate exactly once.
        candidat = service.candidat(SESSION, "10000001")
        assert len(candidat.notes) == 18
        assert appliquer_lot(service.registre, lire_lot(contenu)).appliquees == 0


def test_ecrivain_concurrent_entre_plan_et_ecriture_replanifie(
    monkeypatch: pytest.MonkeyPatch, url_sqlite: str
) -> None:
    with ServiceRegistre(url_sqlite) as service, ServiceRegistre(url_sqlite) as concurrent:
        appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), inscrire())))
        contenu = jsonl(note("PHILO", 12), note("SPE1", 14))
        vrai_planifier = lots._planifier
        deja = {"fait": False}

        def planifier_puis_concurrent(*args: object, **kwargs: object) -> object:
            plan = vrai_planifier(*args, **kwargs)  # type: ignore[arg-type]
            if not deja["fait"]:
                deja["fait"] = True
                executer_comme(concurrent, note("GRAND_ORAL", 15))
            return plan

        monkeypatch.setattr(lots, "_planifier", planifier_puis_concurrent)
        rapport = appliquer_lot(service.registre, lire_lot(contenu))
        assert rapport.conflits == 1
        notes = service.candidat(SESSION, "00000001").notes
        assert set(notes) == {"PHILO", "SPE1", "GRAND_ORAL"}, "aucune écriture perdue"


def test_doublon_dans_le_meme_lot_refuse_a_sa_ligne(service: ServiceRegistre) -> None:
    appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), inscrire())))
    with pytest.raises(LotRefuse) as refus:
        appliquer_lot(service.registre, lire_lot(jsonl(note("PHILO", 12), note("PHILO", 13))))
    assert refus.value.erreurs[0].ligne == 2 and refus.value.erreurs[0].code == "NOTE_DEJA_SAISIE"
