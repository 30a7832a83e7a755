"""The README's Usage block, run as written (issue 10: "each found by following the README literally").

Every `bac …` line of the first ```sh block under "## Usage" runs through Typer's CliRunner on a fresh SQLite
registry, from a working directory where `docs/` is the repository's, and must exit 0. `export` lines set
the environment; `ENVIRONNEMENT` is where a door that needs more (a credential such as ``BAC_JETON``) adds it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

pytestmark = pytest.mark.porte

RACINE = Path(__file__).resolve().parents[1]
# Variables every README command runs with, beyond the block's own `export` lines (BAC_DB_URL is replaced).
ENVIRONNEMENT: dict[str, str] = {}


def bloc_usage(readme: str) -> list[list[str]]:
    """The commands of the Usage block: continuation lines joined, comments dropped, words split as sh does."""
    section = readme.split("## Usage", 1)[1]
    bloc = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commandes = []
    for ligne in bloc.replace("\\\n", " ").splitlines():
        mots = shlex.split(ligne, comments=True)
        if mots:
            commandes.append(mots)
    return commandes


def test_le_bloc_usage_a_des_commandes_et_des_exemples_livres() -> None:
    commandes = bloc_usage((RACINE / "README.md").read_text(encoding="utf-8"))
    assert len(commandes) >= 15 and commandes[0][0] == "export"
    fichiers = [m for c in commandes for m in c if m.startswith("docs/exemples/")]
    assert fichiers and all((RACINE / f).is_file() for f in fichiers)


def test_le_readme_tel_qu_ecrit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").symlink_to(RACINE / "docs")
    monkeypatch.chdir(tmp_path)
    env = dict(ENVIRONNEMENT)
    runner = CliRunner()
    for mots in bloc_usage((RACINE / "README.md").read_text(encoding="utf-8")):
        if mots[0] == "export":
            nom, _, valeur = mots[1].partition("=")
            env[nom] = f"sqlite:///{tmp_path}/registre.db" if nom == "BAC_DB_URL" else valeur
            continue
        assert mots[0] == "bac", f"commande inattendue dans le README : {mots}"
        resultat = runner.invoke(app, mots[1:], env=env)
        assert resultat.exit_code == 0, f"{shlex.join(mots)} → {resultat.exit_code}\n{resultat.output}"
        assert "Traceback" not in resultat.output
    assert (tmp_path / "registre.db").is_file()
    assert (tmp_path / "candidats.csv").read_bytes().startswith(b"\xef\xbb\xbfnumero;")
