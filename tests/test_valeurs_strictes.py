"""Strict input values (issue 9, point 8): what is stored is what a person meant, never what a parser tolerated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import LotRefuse, appliquer_lot, lire_lot
from cli.main import app
from tests.scenario import ACTEUR, executer_comme, inscrire, jeton_pour, note, ouvrir


def jsonl(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


@pytest.mark.parametrize(
    "valeur", ["1_2", "١٢", "１２", "-0", "-0.0", "1E1", "NaN", "inf", " 12", "12,5", "0x0C", True]
)
def test_r13_note_en_chiffres_decimaux_seulement(valeur: object) -> None:
    with ServiceRegistre("memoire://") as service, pytest.raises(LotRefuse) as refus:
        appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), inscrire(), {**note("PHILO", 12), "note": valeur})))
    assert (refus.value.erreurs[0].ligne, refus.value.erreurs[0].champ) == (3, "note")
    assert len(str(refus.value.erreurs[0])) < 400


@pytest.mark.parametrize("valeur", ["12", "12.5", 12, 12.5, "0"])
def test_notes_bien_ecrites_acceptees(valeur: object) -> None:
    from domain.commandes import COMMANDE

    assert COMMANDE.validate_python({**ACTEUR, **note("PHILO", 12), "note": valeur}).note is not None


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [
        ("identite.nom", "Dupont\x00"),
        ("identite.prenom", "\u202eelimE"),
        ("raison", "ok\u200b"),
        ("acteur", "dec\u2028"),
        ("etablissement", "0130001A\x1b"),
    ],
)
def test_textes_sans_caractere_de_controle_ni_bidi(champ: str, valeur: str) -> None:
    commande = inscrire()
    if champ.startswith("identite."):
        commande["identite"] = {**commande["identite"], champ.split(".")[1]: valeur}
    else:
        commande[champ] = valeur
    with ServiceRegistre("memoire://") as service:
        with pytest.raises(LotRefuse) as refus:
            appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), commande)))
        erreur = refus.value.erreurs[0]
        assert erreur.ligne == 2 and erreur.champ == champ and "U+" in erreur.message
        assert (service.registre.enregistreur.max_notification_id() or 0) == 0


def test_espace_insecable_admis_dans_un_texte() -> None:
    from domain.commandes import COMMANDE

    assert COMMANDE.validate_python({**ACTEUR, **ouvrir(), "libelle": "Session de juin\u00a0: 2024"})


@pytest.mark.parametrize("naissance", ["1800-01-01", "9999-12-31", "2020-01-01", 0, "2006-01-01T00:00:00"])
def test_date_de_naissance_invraisemblable_refusee(naissance: object) -> None:
    commande = inscrire()
    commande["identite"] = {**commande["identite"], "date_naissance": naissance}
    with ServiceRegistre("memoire://") as service, pytest.raises(LotRefuse) as refus:
        appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), commande)))
    assert refus.value.erreurs[0].champ.startswith("identite")


def test_cle_json_en_double_refusee() -> None:
    ligne = (
        b'{"type":"ouvrir_session","session":"2024-aix-marseille","libelle":"a","libelle":"b",'
        b'"acteur":"x","role":"recteur"}'
    )
    echappee = (
        b'{"type":"ouvrir_session","session":"2024-aix-marseille","libelle":"a\\u003a","acteur":"x","role":"recteur"}'
    )
    imbriquee = (
        b'{"type":"saisir_notes","session":"2024-aix-marseille","numero":"00000001","acteur":"x","role":"recteur",'
        b'"notes":[{"epreuve":"PHILO","epreuve":"SPE1","note":"1","origine":"controle_continu"}]}'
    )
    with ServiceRegistre("memoire://") as service:
        for contenu, attendu in ((ligne, "libelle"), (imbriquee, "epreuve")):
            with pytest.raises(LotRefuse) as refus:
                appliquer_lot(service.registre, lire_lot(contenu))
            assert (refus.value.erreurs[0].code, refus.value.erreurs[0].champ) == ("CLE_EN_DOUBLE", attendu)
        assert appliquer_lot(service.registre, lire_lot(echappee)).appliquees == 1  # an escaped ':' is no key


def test_registre_occupe_apres_l_attente_bornee(url_sqlite: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("adapters.stockage.configuration.DELAI_VERROU_S", 1)
    with ServiceRegistre(url_sqlite) as service:
        executer_comme(service, ouvrir())
    jeton = jeton_pour(url_sqlite, ACTEUR["acteur"], ACTEUR["role"])
    chemin = url_sqlite.removeprefix("sqlite:///")
    bloqueur = sqlite3.connect(chemin, isolation_level=None)
    bloqueur.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        resultat = CliRunner().invoke(
            app, ["ouvrir-session", "2025-aix-marseille", "--db", url_sqlite, "--json"], env={"BAC_JETON": jeton}
        )
    finally:
        bloqueur.rollback()
        bloqueur.close()
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
    probleme = orjson.loads(resultat.stdout)
    assert (probleme["code"], probleme["status"], resultat.exit_code) == ("REGISTRE_OCCUPE", 503, 1)
    assert "réessayez" in probleme["detail"]


def test_charge_utile_endommagee_journal_altere(url_sqlite: str) -> None:
    with ServiceRegistre(url_sqlite) as service:
        appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), inscrire())))
    with sqlite3.connect(url_sqlite.removeprefix("sqlite:///")) as connexion:
        connexion.execute("UPDATE stored_events SET state = X'7B7D' WHERE topic LIKE '%Inscrit%'")
    resultat = CliRunner().invoke(app, ["candidat", "2024-aix-marseille", "00000001", "--db", url_sqlite])
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
    assert resultat.exit_code == 3 and "illisible" in resultat.output


def test_url_sqlite_relative_et_base_injoignable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", "sqlite:///relative.db"]).exit_code == 0
    assert (tmp_path / "relative.db").exists()
    for url in ("postgresql+psycopg://u@127.0.0.1:1/x", "sqlite:////nonexistent/dir/x.db"):
        resultat = runner.invoke(app, ["candidats", "s", "--db", url, "--json"])
        assert resultat.exit_code == 2 and orjson.loads(resultat.stdout)["sortie"] == 2
