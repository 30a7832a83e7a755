"""Erasure and retention through the doors (R56, ADR 0023): `POST /commandes` and the `bac` CLI, refusals included."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.conftest import ServeurHttp
from tests.test_cli import SESSION, bac, db, inscrire, resultat  # noqa: F401 - the fixture `db`
from tests.test_donnees_personnelles import effacer
from tests.test_http import UN, Registre, entete, poster


def test_r56_effacer_par_http(serveur: ServeurHttp) -> None:
    registre = Registre(serveur)
    r = poster(serveur, registre.correcteur, effacer(UN))
    assert r.status_code == 403, r.text  # a correcteur may not erase (R26)
    r = poster(serveur, registre.dec, effacer(UN))
    assert r.status_code == 200 and r.json()["resultat"]["evenements"] == ["IdentitéEffacée"], r.text
    probleme = registre.refus(registre.recteur, effacer(UN), 409)
    assert probleme["code"] == "DEJA_EFFACEE"
    assert registre.refus(registre.dec, effacer("00000077"), 404)["code"] == "INTROUVABLE"
    h = entete(registre.dec)
    historique = httpx.get(f"{serveur.base}/sessions/{SESSION}/candidats/{UN}/historique", headers=h).json()
    evenements = historique["resultat"]["evenements"]
    assert evenements[0]["details"]["identite"] == "identité effacée"
    assert evenements[-1]["evenement"] == "IdentitéEffacée" and evenements[-1]["details"]["regle"] == "R56-identite"
    assert httpx.get(f"{serveur.base}/journal/verification", headers=h).json()["resultat"]["valide"] is True


def test_r56_effacer_et_retention_en_ligne_de_commande(db: list[str], tmp_path: Path) -> None:  # noqa: F811
    assert bac("ouvrir-session", SESSION, *db)[0] == 0
    assert inscrire(db)[0] == 0
    code, sortie = bac("retention", "--date", "2031-01-01", "--json", *db)
    assert code == 0 and resultat(sortie)["echues"] == []  # the session is not closed
    cloture = tmp_path / "cloture.jsonl"
    cloture.write_text(json.dumps({"type": "clore_session", "session": SESSION}) + "\n", encoding="utf-8")
    assert bac("apply", str(cloture), *db)[0] == 0
    code, sortie = bac("retention", "--date", "2031-01-01", *db)
    assert code == 0 and "NON CONFIRMÉE [U]" in sortie and "00012345" in sortie and "rien n'est effacé" in sortie
    code, sortie = bac("effacer-identite", "--session", SESSION, "--numero", "00012345", *db)
    assert code != 0 and "raison" in sortie  # mandatory (R56)
    code, sortie = bac("retention", "--date", "2031-01-01", "--appliquer", "--json", *db)
    assert code == 0 and resultat(sortie)["effaces"] == 1
    code, sortie = bac(
        "effacer-identite", "--session", SESSION, "--numero", "00012345", "--raison", "Encore", "--json", *db
    )
    assert code != 0 and json.loads(sortie)["code"] == "DEJA_EFFACEE" and "Traceback" not in sortie
    code, sortie = bac("retention", "--date", "pas-une-date", *db)
    assert code != 0 and "Date invalide" in sortie
    code, sortie = bac("verifier", "--json", *db)
    assert code == 0, sortie


def test_attaque_cle_reecrite_la_ligne_de_commande_le_dit_sans_trace(db: list[str]) -> None:  # noqa: F811
    import sqlite3

    assert bac("ouvrir-session", SESSION, *db)[0] == 0
    assert inscrire(db)[0] == 0
    with sqlite3.connect(db[1].removeprefix("sqlite:///")) as c:
        c.execute("UPDATE cles_identite SET cle = randomblob(32)")
    code, sortie = bac("verifier", "--json", *db)
    assert code == 3 and "CLE_INVALIDE" in sortie and "Traceback" not in sortie
    code, sortie = bac("historique", SESSION, "00012345", *db)
    assert code == 3 and "Clé invalide" in sortie and "Traceback" not in sortie
