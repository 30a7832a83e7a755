"""The CLI as a new user meets it (issue 10): what it shows, the shapes of --json, French texts, small doors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from adapters.application.entrees import lire_date
from adapters.application.habilitations import habilitation_de
from adapters.application.service import ServiceRegistre
from adapters.stockage.configuration import stockage_depuis_url
from cli.main import app
from tests.scenario import jeton_pour

RACINE = Path(__file__).resolve().parents[1]
EXEMPLES = RACINE / "docs" / "exemples"
SESSION = "2024-aix-marseille"
runner = CliRunner()


JETON: dict[str, str] = {}  # the exam office agent's token, once the registry exists (ADR 0017)


def bac(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args), env=JETON)
    return r.exit_code, r.stdout if "--json" in args or "--format" in args else r.output


def ok(sortie: str) -> Any:
    reponse = json.loads(sortie)
    assert reponse["statut"] == "ok", reponse
    return reponse["resultat"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The README's registry: a 2024 candidate by hand, the examples' batch, two sheets, a deliberation; each act
    by its actor, with his own token (ADR 0017)."""
    dossier = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{dossier}/registre.db"
    db = ["--db", url]
    code, sortie = bac("init", "--json", *db)
    assert code == 0, sortie
    admin = ok(sortie)["jeton_administrateur"]
    service = ("dec", "service_examens")
    recteur, president = ("recteur-aix-marseille", "recteur"), ("pres-aix-01", "president_jury")
    etapes: list[tuple[tuple[str, str], list[str]]] = [
        (service, ["ouvrir-session", SESSION, "--json"]),
        (service, ["inscrire", "--session", SESSION, "--numero", "00012345", "--ine", "123456789AB", "--nom", "Dupont",
         "--prenom", "Jeanne", "--naissance", "2006-05-01", "--voie", "Général", "--specialite", "MATHS",
         "--specialite", "PC", "--livret", "--json"]),
        (service, ["saisir-note", "--session", SESSION, "--numero", "00012345", "--epreuve", "PHILO", "--note", "12",
                   "--json"]),
        (service, ["apply", str(EXEMPLES / "2023-session.jsonl"), "--json"]),
        (service, ["apply", str(EXEMPLES / "2024-inscrits.jsonl"), "--json"]),
        (service, ["importer", str(EXEMPLES / "notes-santorin.csv"), "--session", SESSION, "--json"]),
        (service, ["importer", str(EXEMPLES / "notes-lycee.xlsx"), "--session", SESSION, "--json"]),
        (recteur, ["apply", str(EXEMPLES / "2023-jury.jsonl"), "--json"]),
        (recteur, ["apply", str(EXEMPLES / "2024-jury.jsonl"), "--json"]),
        (president, ["apply", str(EXEMPLES / "2023-deliberation.jsonl"), "--json"]),
        (president, ["apply", str(EXEMPLES / "2024-deliberation.jsonl"), "--json"]),
    ]  # fmt: skip
    JETON["BAC_JETON"] = jeton_pour(url, *service, admin=admin)
    for (acteur, role), args in etapes:
        jeton = jeton_pour(url, acteur, role, admin=admin)
        r = runner.invoke(app, [*args, *db], env={"BAC_JETON": jeton})
        assert r.exit_code == 0, (args, r.output)
        ok(r.stdout)  # every success answers in the one envelope
    yield db


def test_candidat_montre_decision_mention_et_moyenne(db: list[str]) -> None:
    code, sortie = bac("candidat", SESSION, "00012345", *db)
    assert code == 0 and "Décision : admis" in sortie and "moyenne 14.56/20" in sortie and "mention bien" in sortie
    etat = ok(bac("candidat", SESSION, "00012345", "--json", *db)[1])
    assert etat["voie"] == "general"  # « Général » typed with its accent and capital: the stored code
    assert etat["decision"]["decision"] == "admis" and etat["decision"]["moyenne"] == "14.56"
    assert etat["notes"]["HG_1"]["note"] == "12.5"  # read from the CSV's decimal comma


def test_candidats_filtres_et_formats(db: list[str]) -> None:
    tous = ok(bac("candidats", SESSION, "--json", *db)[1])
    assert [c["numero"] for c in tous] == ["00012345", "00012346", "00012347"]
    admis = ok(bac("candidats", SESSION, "--decision", "admis", "--format", "json", *db)[1])
    assert [c["numero"] for c in admis] == ["00012345", "00012347"]
    assert ok(bac("candidats", SESSION, "--jury", "AUTRE", "--json", *db)[1]) == []
    code, csv = bac("candidats", SESSION, "--jury", "AIX-G01", "--format", "csv", *db)
    lignes = csv.lstrip("\ufeff").splitlines()
    assert code == 0 and lignes[0].startswith("numero;voie;serie") and "14,56" in lignes[1] and len(lignes) == 4


def test_candidats_en_texte_dans_un_tube_aucune_colonne_tronquee(db: list[str]) -> None:
    code, sortie = bac("candidats", SESSION, *db)
    assert code == 0 and "second_groupe" in sortie and "…" not in sortie
    assert all(mot in sortie for mot in ("Décision", "Mention", "Moyenne", "14.56"))


def test_r29_la_seconde_note_refusee_renvoie_a_corriger_note_qui_existe(db: list[str]) -> None:
    code, sortie = bac("saisir-note", "--session", SESSION, "--numero", "00012346", "--epreuve", "SPE2", "--note",
                       "13", *db)  # fmt: skip
    assert code == 1 and "corriger-note" in sortie
    code, sortie = bac("corriger-note", "--session", SESSION, "--numero", "00012346", "--epreuve", "SPE2", "--note",
                       "12", "--motif", "report", "--raison", "Note mal reportée", "--json", *db)  # fmt: skip
    assert code == 0 and ok(sortie)["evenements"][0] == "NoteCorrigée"


def test_enveloppe_de_succes_verifier_projections_statistiques(db: list[str]) -> None:
    rapport = ok(bac("verifier", "--json", *db)[1])
    assert rapport["valide"] is True and rapport["premier_defaut"] is None
    assert ok(bac("projections", "rebuild", "--json", *db)[1])["evenements"] > 0
    assert ok(bac("projections", "rattraper", "--json", *db)[1])["evenements"] == 0
    stats = ok(bac("statistiques", "--session", SESSION, "--comparer", "2023-aix-marseille", "--json", *db)[1])
    assert stats["session_comparee"] == "2023-aix-marseille" and stats["lignes"]


def test_historique_en_heure_de_paris_avec_decalage(db: list[str]) -> None:
    code, sortie = bac("historique", SESSION, "00012345", "--version", "2", *db)
    connu = sortie.split("connu le ")[1].split()[0]
    assert code == 0 and datetime.fromisoformat(connu).utcoffset() in (timedelta(hours=1), timedelta(hours=2))


def test_a_la_date_sans_decalage_est_lue_a_l_heure_de_paris() -> None:
    assert lire_date("2024-07-05T12:00") == datetime(2024, 7, 5, 10, 0, tzinfo=ZoneInfo("UTC"))  # summer: +02:00
    assert lire_date("2024-01-05T12:00").utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert lire_date("2024-07-05T12:00+00:00").hour == 12  # an explicit offset is kept


def test_comparer_une_session_inexistante_est_un_refus_clair(db: list[str]) -> None:
    code, sortie = bac("statistiques", "--session", SESSION, "--comparer", "2019-aix-marseille", *db)
    assert code == 1 and "2019-aix-marseille" in sortie and "R46" in sortie and "n/a" not in sortie


def test_progression_de_verifier_et_de_la_reconstruction(db: list[str]) -> None:
    appels: list[tuple[str, int, int]] = []
    with ServiceRegistre(db[1]) as service:
        service.verifier(progression=lambda *a: appels.append(a))
        service.reconstruire(progression=lambda *a: appels.append(a))
    phases = {phase for phase, _, _ in appels}
    assert "projections" in phases  # verification reports every 10,000 events: too few here
    assert all(0 < fait <= total for _, fait, total in appels)


def test_postgresql_sans_pilote_est_psycopg() -> None:
    assert stockage_depuis_url("postgresql://u:p@hote:5432/base").url_sqlalchemy.startswith("postgresql+psycopg://")


def test_textes_de_typer_en_francais_et_version() -> None:
    code, aide = bac("candidats", "--help")
    assert code == 0 and "Affiche cette aide et quitte" in aide and "Show this message" not in aide
    code, aide = bac("--help")
    assert "Commandes" in aide and "Install completion" not in aide
    code, sortie = bac("--version")
    assert code == 0 and sortie.startswith("bac-registre ")


@pytest.mark.parametrize(
    ("args", "attendu"),
    [
        (["candidats"], "Argument manquant : « session »."),
        (["candidats", "S", "--nope"], "Option inconnue : --nope"),
        (["candidats", "S", "--jury"], "L'option « --jury » attend une valeur."),
        (["candidats", "S", "--format", "ods"], "Valeur invalide pour « --format » : « ods » n'est pas parmi"),
        (["candidats", "S", "T"], "Argument(s) en trop : T"),
        (["nope"], "Commande inconnue : « nope »."),
        (["historique", "S", "N", "--version", "x"], "Valeur invalide pour « --version » : nombre entier attendu"),
    ],
)
def test_erreurs_d_usage_en_francais(args: list[str], attendu: str) -> None:
    r = runner.invoke(app, args)
    texte = " ".join(r.output.replace("│", " ").split())
    assert r.exit_code == 2 and attendu in texte, texte
    assert "Missing" not in texte and "No such" not in texte and "Invalid value" not in texte


def test_adr0017_un_jeton_va_dans_un_fichier_neuf_a_soi_seul_et_jamais_par_dessus_un_autre(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/registre.db"
    admin = tmp_path / "admin.jeton"
    assert runner.invoke(app, ["init", "--db", url, "--jeton-fichier", str(admin)]).exit_code == 0
    assert admin.stat().st_mode & 0o777 == 0o600 and admin.read_text().startswith("bac1.")
    env = {"BAC_JETON_FICHIER": str(admin)}
    existant = tmp_path / "dec.jeton"
    existant.write_text("un autre secret\n")
    args = ["habilitation", "accorder", "dec", "--role", "service_examens", "--academie", "aix-marseille",
            "--raison", "Fiche de poste", "--db", url]  # fmt: skip
    r = runner.invoke(app, [*args, "--jeton-fichier", str(existant)], env=env)
    assert r.exit_code == 2 and "existe déjà" in r.output and existant.read_text() == "un autre secret\n"
    with ServiceRegistre(url) as service:  # refused before the act: the grant was not recorded
        assert habilitation_de(service.registre, "dec") is None
    refuse = tmp_path / "refuse.jeton"
    r = runner.invoke(app, [*args[:4], "pas_un_role", *args[5:], "--jeton-fichier", str(refuse)], env=env)
    assert r.exit_code != 0 and not refuse.exists(), "un acte refusé ne laisse pas de fichier vide"
    neuf = tmp_path / "neuf.jeton"
    r = runner.invoke(app, [*args, "--jeton-fichier", str(neuf), "--json"], env=env)
    assert r.exit_code == 0 and json.loads(r.stdout)["resultat"]["jeton"] is None  # written, not printed
    assert neuf.stat().st_mode & 0o777 == 0o600
