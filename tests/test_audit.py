"""Auditors and regulators from the CLI, on SQLite and PostgreSQL (R29, R52, R54, Q9): history with the jury's
acts, time travel, diff, the regulator's dossier in three formats, the verifier and the inclusion proofs."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adapters.application.service import ServiceRegistre
from cli.main import app
from domain.errors import Introuvable
from tests.modeles import Copie
from tests.scenario import SESSION, executer_comme
from tests.test_deliberation_stores import jury_delibere

runner = CliRunner()
UN, DEUX = "00000001", "00000002"


def bac(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout if "--json" in args or "markdown" in args else r.output


def resultat(sortie: str) -> Any:
    """The success envelope of --json (one answer shape, issue 10): statut ok, then the result."""
    reponse = json.loads(sortie)
    assert reponse["statut"] == "ok", reponse
    return reponse["resultat"]


def _corrige_apres_deliberation(url: str, dossier: Path) -> None:
    """A deliberated jury, then a correction of candidate 1 after the deliberation; the moments around it."""
    with ServiceRegistre(url) as service:
        jury_delibere(service)
        avant = datetime.now(UTC).isoformat()
        time.sleep(0.01)
        executer_comme(
            service,
            {
                "type": "corriger_note",
                "session": SESSION,
                "numero": UN,
                "epreuve": "PHILO",
                "note": "8",
                "motif": "transcription",
                "raison": "Report erroné du bordereau",
            },
        )
        apres = service.historique(SESSION, UN)[-1].horodatage
    (dossier / "moments.json").write_text(json.dumps([avant, apres]))


@pytest.fixture
def base(copie_de: Callable[..., Copie]) -> tuple[str, str, str]:
    """Its own copy of `_corrige_apres_deliberation`: the log's URL, then the moments before and after the act."""
    copie = copie_de("corrige_apres_deliberation", _corrige_apres_deliberation)
    avant, apres = json.loads((copie.dossier / "moments.json").read_text())
    return copie.url, avant, apres


def test_q9_historique_avec_les_actes_du_jury(base: tuple[str, str, str]) -> None:
    url, _, _ = base
    code, sortie = bac("historique", SESSION, UN, "--db", url, "--json")
    assert code == 0
    noms = [e["evenement"] for e in resultat(sortie)]
    assert noms[:2] == ["Inscrit", "JuryConstitué"] or "JuryConstitué" in noms
    for nom in ("NoteSaisie", "AffectéAuJury", "CandidatsAffectés", "GroupeDélibéré", "Délibéré", "NoteCorrigée"):
        assert nom in noms
    groupe = next(e for e in resultat(sortie) if e["evenement"] == "GroupeDélibéré")
    assert groupe["details"]["concerne"] == UN
    # ADR 0013: the act's seal follows it, and covers it (the act and its decisions lie within its size).
    assert noms.index("ActeScellé") > noms.index("Délibéré") > noms.index("GroupeDélibéré")
    scelle = next(e for e in resultat(sortie) if e["evenement"] == "ActeScellé")
    assert scelle["details"]["sceau"]["taille"] > 0
    corrigee = next(e for e in resultat(sortie) if e["evenement"] == "NoteCorrigée")
    assert (corrigee["raison"], corrigee["details"]["ancienne_note"], corrigee["details"]["note"]) == (
        "Report erroné du bordereau", "18", "8",
    )  # fmt: skip


def test_r36_historique_d_un_candidat_inconnu_refuse(base: tuple[str, str, str]) -> None:
    """Given a log without candidate 404, when either history is asked for it, then the refusal names him: the
    histories read the candidate's events once, with no aggregate replayed first to say he exists."""
    url, _, _ = base
    with ServiceRegistre(url) as service:
        for lire in (service.historique, service.historique_complet):
            with pytest.raises(Introuvable, match=f"Candidat inconnu : n° 00000404 dans la session {SESSION}"):
                lire(SESSION, "00000404")
        propres, complet = service.historique(SESSION, UN), service.historique_complet(SESSION, UN)
        assert propres and [e for e in complet if e in propres] == propres  # his own events, in the same order
    code, sortie = bac("historique", SESSION, "00000404", "--db", url)
    assert code == 1 and "Candidat inconnu" in sortie and "Traceback" not in sortie


def test_r29_voyage_dans_le_temps_et_difference(base: tuple[str, str, str]) -> None:
    url, avant, apres = base
    code, sortie = bac("historique", SESSION, UN, "--a-la-date", avant, "--db", url, "--json")
    etat = resultat(sortie)
    assert code == 0 and etat["notes"]["PHILO"] == "18" and etat["decision"] == "admis" and etat["mention"] == "bien"
    code, sortie = bac("historique", SESSION, UN, "--version", "1", "--db", url, "--json")
    assert resultat(sortie)["notes"] == {} and resultat(sortie)["decision"] is None
    code, sortie = bac("diff", SESSION, UN, avant, apres, "--db", url, "--json")
    d = resultat(sortie)
    assert code == 0 and d["notes"] == {"PHILO": ["18", "8"]}
    assert [c["evenement"] for c in d["causes"]] == ["NoteCorrigée"]
    code, texte = bac("diff", SESSION, UN, avant, apres, "--db", url)
    assert "PHILO : 18 → 8" in texte


def test_r54_expliquer_en_trois_formats(base: tuple[str, str, str]) -> None:
    url, _, _ = base
    code, sortie = bac("expliquer", SESSION, DEUX, "--format", "json", "--db", url)
    e = resultat(sortie)
    assert code == 0 and e["rejeu"] == "identique" and e["groupe"] == 2
    assert e["jury_composition"][0]["identifiant"] == "pres-j1" and e["date_deliberation"]
    assert "R311-3-1-1" in e["mention_legale"] and "CADA" in e["mention_legale"]
    assert e["sceau"]["taille"] > 0 and re.fullmatch(r"[0-9a-f]{64}", e["reglement_empreinte"])
    code, md = bac("expliquer", SESSION, DEUX, "--format", "markdown", "--db", url)
    assert code == 0 and md.startswith("# Explication") and "| PHILO" in md and "Rejeu des règles" in md
    code, texte = bac("expliquer", SESSION, "00000003", "--db", url)
    assert code == 0 and "livret scolaire : examiné par le jury" in texte
    code, alias = bac("decision", SESSION, "00000003", "--db", url)
    assert code == 0 and "Ajourné" in alias


def test_r52_verifier_et_preuves_d_inclusion(base: tuple[str, str, str], tmp_path: Path) -> None:
    url, _, _ = base
    code, sortie = bac("verifier", "--db", url, "--json")
    rapport = resultat(sortie)
    assert code == 0 and rapport["valide"] and rapport["premier_defaut"] is None and len(rapport["sceaux"]) == 2
    code, sortie = bac("preuve", SESSION, UN, "--db", url, "--json")
    dossier = resultat(sortie)
    assert code == 0 and dossier["preuves"] and all(p["verifiee"] for p in dossier["preuves"])
    assert [n["evenement"] for n in dossier["non_scelles"]] == ["NoteCorrigée"]  # after the last seal
    # The documented procedure (docs/preuves.md), run as written, with hashlib only.
    procedure = Path(__file__).parents[1] / "docs" / "preuves.md"
    extrait = procedure.read_text(encoding="utf-8").split("```python\n")[1].split("```")[0]
    espace: dict[str, object] = {}
    exec(extrait.split("dossier = json.load")[0], espace)
    verifier = espace["verifier"]
    assert all(verifier(p, dossier["taille"], dossier["racine"]) for p in dossier["preuves"])  # type: ignore[operator]
    faux = dict(dossier["preuves"][0], donnees=dossier["preuves"][0]["donnees"][:-2] + "00")
    assert not verifier(faux, dossier["taille"], dossier["racine"])  # type: ignore[operator]


def test_r52_reconstruire_les_vues_donne_les_memes_lignes_chaine_comprise(base: tuple[str, str, str]) -> None:
    url, _, _ = base
    from sqlalchemy import select

    from projections.tables import chaine_journal, etat_candidats, merkle_frontiere

    def lignes(service: ServiceRegistre) -> list[list[tuple[object, ...]]]:
        with service.moteur.connect() as c:
            return [
                [tuple(r) for r in c.execute(select(t).order_by(*t.primary_key.columns))]
                for t in (chaine_journal, merkle_frontiere, etat_candidats)
            ]

    with ServiceRegistre(url) as service:
        avant = lignes(service)
        service.reconstruire()
        assert lignes(service) == avant
