"""Issue 12, point 5: no personal data in the logs. The README's whole Usage block (inscriptions, batches, sheets,
deliberations, corrections, reads, documents, statistics) is run at DEBUG level; no name, first name or INE of
the examples appears in any log line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.test_readme import RACINE, bloc_usage


def personnes() -> set[str]:
    """Every name, first name and INE the README's commands and examples register."""
    trouvees = {"Dupont", "Jeanne", "123456789AB"}  # `bac inscrire` in the Usage block
    for fichier in (RACINE / "docs" / "exemples").glob("*.jsonl"):
        for ligne in fichier.read_bytes().splitlines():
            identite = orjson.loads(ligne).get("identite")
            if identite:
                trouvees |= {identite["nom"], identite["prenom"], identite["ine"]}
    return trouvees


def journal(sortie: str) -> list[str]:
    """The log lines of a command's output: structlog's JSON lines (stderr is no terminal here)."""
    lignes = []
    for ligne in sortie.splitlines():
        try:
            objet = orjson.loads(ligne)
        except orjson.JSONDecodeError:
            continue
        if isinstance(objet, dict) and "event" in objet:
            lignes.append(ligne)
    return lignes


def test_aucune_identite_dans_les_journaux_d_un_parcours_complet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").symlink_to(RACINE / "docs")
    monkeypatch.chdir(tmp_path)
    env: dict[str, str] = {"BAC_LOG_LEVEL": "DEBUG"}
    runner = CliRunner()
    lignes: list[str] = []
    for mots in bloc_usage((RACINE / "README.md").read_text(encoding="utf-8")):
        if mots[0] == "export":
            nom, _, valeur = mots[1].partition("=")
            env[nom] = f"sqlite:///{tmp_path}/registre.db" if nom == "BAC_DB_URL" else valeur
            continue
        resultat = runner.invoke(app, mots[1:], env=env)
        assert resultat.exit_code == 0, shlex.join(mots)
        lignes += journal(resultat.output)
    assert len(lignes) >= 10, "the run logged its acts"  # one line per act or batch, at least
    texte = "\n".join(lignes)
    fuites = sorted(p for p in personnes() if re.search(rf"\b{re.escape(p)}\b", texte))
    assert not fuites, f"données personnelles dans les journaux : {fuites}"
