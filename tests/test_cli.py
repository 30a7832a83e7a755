"""The CLI: French texts, --json for machines, refusals without traceback and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()
SESSION = "2024-aix-marseille"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A registry made by `bac init`, whose administrator grants the exam office's agent; his token in BAC_JETON."""
    base = ["--db", f"sqlite:///{tmp_path}/registre.db"]
    code, sortie = bac("init", "--json", *base)
    assert code == 0
    monkeypatch.setenv("BAC_JETON", resultat(sortie)["jeton_administrateur"])
    code, sortie = bac(
        "habilitation", "accorder", "dec", "--role", "service_examens", "--academie", "aix-marseille",
        "--raison", "Agent du service des examens", "--json", *base,
    )  # fmt: skip
    assert code == 0
    monkeypatch.setenv("BAC_JETON", resultat(sortie)["jeton"])
    return base


def bac(*args: str) -> tuple[int, str]:
    """Exit code, and stdout when --json is asked (logs go to stderr), else everything printed."""
    resultat = runner.invoke(app, list(args))
    return resultat.exit_code, resultat.stdout if "--json" in args else resultat.output


def resultat(sortie: str) -> Any:
    """The success envelope of --json (one answer shape, issue 10): statut ok, then the result."""
    reponse = json.loads(sortie)
    assert reponse["statut"] == "ok", reponse
    return reponse["resultat"]


def inscrire(db: list[str], numero: str = "00012345", ine: str = "123456789AB") -> tuple[int, str]:
    return bac(
        "inscrire",
        "--session",
        SESSION,
        "--numero",
        numero,
        "--ine",
        ine,
        "--nom",
        "Dupont",
        "--prenom",
        "Jeanne",
        "--naissance",
        "2006-05-01",
        "--voie",
        "general",
        "--specialite",
        "MATHS",
        "--specialite",
        "PC",
        *db,
    )


def test_parcours_complet_en_ligne_de_commande(db: list[str]) -> None:
    assert bac("ouvrir-session", SESSION, *db)[0] == 0
    code, sortie = inscrire(db)
    assert code == 0 and "inscrit" in sortie
    code, sortie = bac(
        "saisir-note", "--session", SESSION, "--numero", "00012345", "--epreuve", "PHILO", "--note", "12", *db
    )
    assert code == 0 and "NoteSaisie" in sortie
    code, sortie = bac("historique", SESSION, "00012345", "--json", *db)
    assert code == 0
    assert [e["evenement"] for e in resultat(sortie)] == ["Inscrit", "NoteSaisie"]
    code, sortie = bac("candidat", SESSION, "00012345", "--json", *db)
    assert resultat(sortie)["notes"]["PHILO"]["note"] == "12"


def test_refus_affiche_la_regle_sans_trace_et_sort_en_erreur(db: list[str]) -> None:
    bac("ouvrir-session", SESSION, *db)
    inscrire(db)
    code, sortie = inscrire(db, numero="00012346")
    assert code == 1
    assert "R36" in sortie and "Traceback" not in sortie


def test_refus_en_json(db: list[str]) -> None:
    code, sortie = bac(
        "saisir-note", "--session", SESSION, "--numero", "1", "--epreuve", "PHILO", "--note", "21", "--json", *db
    )
    assert code == 1
    erreur = json.loads(sortie)  # a refusal: the problem itself
    assert erreur["statut"] == "refuse" and {e["champ"] for e in erreur["erreurs"]} >= {"numero", "note"}


def test_candidat_inconnu(db: list[str]) -> None:
    code, sortie = bac("candidat", SESSION, "00000404", *db)
    assert code == 1 and "Candidat inconnu" in sortie


def test_apply_lot_fautif_liste_les_lignes_et_n_enregistre_rien(db: list[str], tmp_path: Path) -> None:
    bac("ouvrir-session", SESSION, *db)
    fichier = tmp_path / "lot.jsonl"
    fichier.write_bytes(
        orjson.dumps(
            {
                "type": "saisir_note",
                "session": SESSION,
                "numero": "00012345",
                "epreuve": "PHILO",
                "note": 21,
                "origine": "epreuve_terminale",
            }
        )
        + b"\nxx\n"
    )
    code, sortie = bac("apply", str(fichier), *db)
    assert code == 1
    assert "ligne 1" in sortie and "ligne 2" in sortie and "R13" in sortie
    code, sortie = bac("candidats", SESSION, "--json", *db)
    assert resultat(sortie) == []


def test_apply_deux_fois_ne_change_rien(db: list[str], tmp_path: Path) -> None:
    bac("ouvrir-session", SESSION, *db)
    from adapters.simulateur.generateur import cohorte

    fichier = tmp_path / "lot.jsonl"
    fichier.write_bytes(b"".join(orjson.dumps(c) + b"\n" for c in cohorte(SESSION, 2024, 3)))
    code, sortie = bac("apply", str(fichier), "--json", *db)
    assert code == 0 and resultat(sortie)["evenements"] == 3 * 20
    code, sortie = bac("apply", str(fichier), "--json", *db)
    assert code == 0 and resultat(sortie)["evenements"] == 0


def test_url_invalide(tmp_path: Path) -> None:
    code, sortie = bac("init", "--db", "mysql://x/y")
    assert code == 2 and "Base non prise en charge" in sortie


def test_projections_rebuild(db: list[str]) -> None:
    bac("ouvrir-session", SESSION, *db)
    inscrire(db)
    code, sortie = bac("projections", "rebuild", "--json", *db)
    # One Inscrit folded by each projection (candidate states, statistics).
    assert code == 0 and resultat(sortie)["evenements"] == 2
