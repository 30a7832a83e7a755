"""Issue 13 end to end on both real stores: `bac apply` lines and the single commands (R17, R20, R31, R37; Q4, Q8)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cli.main import app
from tests.scenario import affecter, constituer_jury, deliberer, inscrire, jeton_pour, notes_completes, ouvrir

runner = CliRunner()
SESSION, S27 = "2024-aix-marseille", "2027-aix-marseille"
UN, DEUX = "00000001", "00000002"
R22 = {"PHILO": 5, "SPE2": 6, "GRAND_ORAL": 18, "EMC_1": 11}


ROLES = {"dec": "service_examens", "pres-j1": "president_jury", "recteur-aix": "recteur"}


def bac(*args: str, acteur: str | None = None) -> tuple[int, str]:
    """The CLI as ``acteur`` (by default the exam office's agent; the recteur records a privation, R37), with
    his own token in BAC_JETON (ADR 0017)."""
    acteur = acteur or ("recteur-aix" if args[0] == "priver-de-mention" else "dec")
    env = {}
    if "--db" in args:
        env["BAC_JETON"] = jeton_pour(args[args.index("--db") + 1], acteur, ROLES[acteur])
    resultat = runner.invoke(app, list(args), env=env)
    return resultat.exit_code, resultat.stdout if "--json" in args else resultat.output


def resultat(reponse: Any) -> Any:
    """The success envelope of --json (issue 10): statut ok, then the result."""
    assert reponse["statut"] == "ok", reponse
    return reponse["resultat"]


def appliquer(url: str, tmp_path: Path, nom: str, lignes: list[dict]) -> None:
    """The lines sent as the actors they name: consecutive lines of one actor make one batch (one actor's act)."""
    lignes = [{"acteur": "dec", "role": "service_examens"} | ligne for ligne in lignes]
    lots: list[list[dict]] = []
    for ligne in lignes:
        if lots and lots[-1][0]["acteur"] == ligne["acteur"]:
            lots[-1].append(ligne)
        else:
            lots.append([ligne])
    for rang, lot in enumerate(lots):
        fichier = tmp_path / f"{rang}-{nom}"
        fichier.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lot) + "\n", encoding="utf-8")
        code, sortie = bac("apply", str(fichier), "--db", url, acteur=lot[0]["acteur"])
        assert code == 0, sortie


def test_q8_absent_au_second_groupe_par_les_commandes_puis_delibere(url_persistante: str, tmp_path: Path) -> None:
    db = ("--db", url_persistante)
    appliquer(url_persistante, tmp_path, "premier.jsonl", [
        ouvrir(), inscrire(UN), constituer_jury(), affecter(UN), *notes_completes(UN, 9, **R22), deliberer(1),
    ])  # fmt: skip
    commun = ("--session", SESSION, "--numero", UN)
    assert bac("choisir-controle", *commun, "--epreuve", "PHILO", "--epreuve", "SPE2", *db)[0] == 0
    assert bac("modifier-choix-controle", *commun, "--epreuve", "PHILO", "--epreuve", "SPE1", *db)[0] == 0
    code, sortie = bac("saisir-controle", *commun, "--epreuve", "PHILO", "--absence", "injustifiee", "--json", *db)
    assert code == 0 and resultat(json.loads(sortie))["evenements"] == ["AbsentAuContrôle"]
    code, sortie = bac("saisir-controle", *commun, "--epreuve", "SPE1", "--json", *db)  # neither grade nor absence
    assert code != 0 and "Q8" in sortie and "Traceback" not in sortie
    assert bac("saisir-controle", *commun, "--epreuve", "SPE1", "--note", "10", *db)[0] == 0
    assert bac("deliberer", "--session", SESSION, "--jury", "J1", "--groupe", "2", *db, acteur="pres-j1")[0] == 0
    code, sortie = bac("decision", SESSION, UN, "--json", *db)
    e = resultat(json.loads(sortie))
    # PHILO absent: its 5 stays; SPE1 10 replaces 9 at coef 16: 912 + 16 = 928 → ajourné, certificate (R31, Q8).
    assert (e["decision"], Decimal(e["total_points"]), e["rejeu"]) == ("ajourne", 928, "identique")
    assert e["certificat"] == "certificat de fin d'études secondaires"
    assert any("Absence injustifiée au contrôle « PHILO »" in r for r in e["remarques"])
    assert any("R31, Q8" in r for r in e["remarques"])
    assert e["substitutions"][0]["note_controle"] == "absence injustifiée"
    code, sortie = bac(
        "corriger-controle", *commun, "--epreuve", "SPE1", "--note", "16", "--motif", "transcription",
        "--raison", "bordereau mal reporté", *db,
    )  # fmt: skip
    assert code == 0, sortie
    assert bac("deliberer", "--session", SESSION, "--jury", "J1", "--groupe", "2", *db, acteur="pres-j1")[0] == 0
    e = resultat(json.loads(bac("decision", SESSION, UN, "--json", *db)[1]))
    assert (e["decision"], Decimal(e["total_points"]), e["mention"]) == ("admis", 1024, None)  # R29, R21


def test_q4_r37_session_2027_felicitations_et_privation(url_persistante: str, tmp_path: Path) -> None:
    db = ("--db", url_persistante)
    appliquer(url_persistante, tmp_path, "s27.jsonl", [
        ouvrir(S27), inscrire(UN, session=S27), inscrire(DEUX, session=S27), constituer_jury(session=S27),
        affecter(UN, DEUX, session=S27), *notes_completes(UN, 18, session=S27),
        *notes_completes(DEUX, 18, session=S27),
    ])  # fmt: skip
    code, sortie = bac(
        "refuser-felicitations", "--session", S27, "--numero", UN, "--jury", "J1", "--raison", "livret", *db,
        acteur="pres-j1",
    )  # fmt: skip
    assert code == 0, sortie
    code, sortie = bac(
        "priver-de-mention", "--session", S27, "--numero", DEUX, "--decision", "CD-2027-4", "--raison", "fraude", *db
    )
    assert code == 0, sortie
    appliquer(url_persistante, tmp_path, "delib.jsonl", [deliberer(1, session=S27)])
    un = resultat(json.loads(bac("decision", S27, UN, "--json", *db)[1]))
    deux = resultat(json.loads(bac("decision", S27, DEUX, "--json", *db)[1]))
    assert (un["mention"], un["reglement_version"], un["rejeu"]) == ("Très bien", "2027-general-v1", "identique")
    assert any("Q4" in r for r in un["remarques"])
    assert deux["mention"] is None and any("R37" in r for r in deux["remarques"])
    code, sortie = bac("ouvrir-session", "2028-aix-marseille", *db)
    assert code == 0
    code, sortie = bac(
        "inscrire", "--session", "2028-aix-marseille", "--numero", "00000003", "--ine", "333333333AB", "--nom", "X",
        "--prenom", "Y", "--naissance", "2009-01-01", "--voie", "general", "--specialite", "MATHS", "--specialite",
        "PC", "--json", *db,
    )  # fmt: skip
    assert code != 0 and "session 2028" in sortie and "general-2028.toml" in sortie
