"""The pages in a real browser (issue 11): headless Debian Chromium driven by Selenium against a real uvicorn.

An auditor opens a candidate's page, follows the timeline to the state after the deliberation, opens the
explanation (replay "identique"), downloads the relevé; every page passes axe-core with no serious or
critical violation (RGAA's automatable part: names, labels, contrast, landmarks). Screenshots go to var/.
Under BAC_EXIGER_NAVIGATEUR=1 (make test, CI) a missing Chromium or axe-core fails instead of skipping.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from adapters.application.service import ServiceRegistre
from tests.scenario import SESSION
from tests.serveur_pages import servir
from tests.test_deliberation_stores import jury_delibere

# One worker builds the module's registry (and browser) once: its tests share them.
pytestmark = [pytest.mark.porte, pytest.mark.xdist_group("navigateur")]

RACINE = Path(__file__).resolve().parent.parent
AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
CAPTURES = RACINE / "var" / "navigateur"
CHROMIUM, PILOTE = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
DEUX = "00000002"  # admitted after the second groupe: every act of the day is on his timeline


def _absent(message: str) -> None:
    if os.environ.get("BAC_EXIGER_NAVIGATEUR") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages')}/registre.db"
    with ServiceRegistre(url) as service:
        jury_delibere(service)
        with servir(service) as adresse:
            yield adresse


@pytest.fixture(scope="module")
def navigateur(base: str) -> Iterator[Any]:
    if not (CHROMIUM.exists() and PILOTE.exists()):
        _absent("Chromium absent : `python scripts/paquets_systeme.py navigateur` l'installe")
    if not AXE.exists():
        _absent("axe-core absent : `npm ci` l'installe (make test)")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never look for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    telechargements = Path(tempfile.mkdtemp(prefix="bac-telechargements-"))
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for drapeau in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,2400",
        f"--user-data-dir={tempfile.mkdtemp(prefix='bac-chromium-')}",
    ):
        options.add_argument(drapeau)  # fmt: skip
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(telechargements), "download.prompt_for_download": False}
    )
    pilote = webdriver.Chrome(options=options, service=Service(executable_path=str(PILOTE)))
    pilote.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(telechargements)})
    pilote.set_page_load_timeout(120)
    pilote.get(base + "/statique/registre.css")  # a page of the domain, to set the caller's cookie on
    pilote.add_cookie({"name": "jeton", "value": "jeton-auditeur-aix", "path": "/"})
    pilote.telechargements = telechargements
    yield pilote
    pilote.quit()


def capture(pilote: Any, nom: str) -> Path:
    CAPTURES.mkdir(parents=True, exist_ok=True)
    chemin = CAPTURES / f"{nom}.png"
    pilote.save_screenshot(str(chemin))
    return chemin


def violations_graves(pilote: Any) -> list[str]:
    """axe-core run in the page (WCAG 2.1 A and AA rules, the automatable part of the RGAA)."""
    pilote.execute_script(AXE.read_text(encoding="utf-8"))
    resultat = pilote.execute_async_script(
        "const fini = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => fini(r.violations.map(v => [v.id, v.impact, v.nodes.length, v.help])));"
    )
    return [
        f"{i} ({impact}, {n} élément(s)) : {aide}"
        for i, impact, n, aide in resultat
        if impact in ("serious", "critical")
    ]


def test_un_auditeur_suit_la_chronologie_l_explication_et_telecharge_le_releve(navigateur: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    page = f"{base}/pages/sessions/{SESSION}/candidats/{DEUX}"
    navigateur.get(page)
    assert navigateur.find_element(By.TAG_NAME, "h1").text == f"Candidat n° {DEUX} — session {SESSION}"
    assert "Admis" in navigateur.find_element(By.CLASS_NAME, "fr-text--lead").text
    capture(navigateur, "candidat")
    assert violations_graves(navigateur) == []

    # The timeline: the row of the premier-groupe Délibéré leads to the state the registry knew just after it.
    lignes = navigateur.find_elements(By.CSS_SELECTOR, "#chronologie tbody tr")
    premier = next(tr for tr in lignes if tr.find_element(By.TAG_NAME, "th").text == "Délibéré")
    premier.find_element(By.CLASS_NAME, "lien-etat").click()
    titre = navigateur.find_element(By.ID, "titre-etat").text
    assert (
        titre.startswith("État au ")
        and "Autorisé à se présenter au second groupe" in navigateur.find_element(By.CLASS_NAME, "fr-text--lead").text
    )
    capture(navigateur, "candidat-etat-apres-premier-groupe")

    navigateur.get(page)
    navigateur.find_element(By.ID, "lien-explication").click()
    assert navigateur.find_element(By.ID, "rejeu").text.startswith("Rejeu des règles : identique")
    assert "Admis" in navigateur.find_element(By.ID, "decision").text
    capture(navigateur, "explication")
    assert violations_graves(navigateur) == []

    navigateur.get(page)
    navigateur.find_element(By.ID, "telecharger-releve").click()
    fichier = None
    for _ in range(600):  # bounded wait for the download to land (a poll, not a timing assertion)
        finis = [p for p in navigateur.telechargements.glob("*.pdf")]
        if finis:
            fichier = finis[0]
            break
        time.sleep(0.1)
    assert fichier is not None, "le relevé n'a pas été téléchargé"
    assert fichier.name == f"releve-{SESSION}-{DEUX}.pdf"
    texte = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(fichier.read_bytes())).pages)
    assert "Relevé de notes" in texte and "Admis" in texte


@pytest.mark.parametrize(
    "chemin",
    [
        f"/pages/sessions/{SESSION}",
        f"/pages/sessions/{SESSION}/jurys/J1",
        f"/pages/sessions/{SESSION}/statistiques",
        f"/pages/sessions/{SESSION}/candidats/{DEUX}/documents/releve",
        "/verifier/AAAA-BBBB-CCCC",
    ],
)
def test_rgaa_aucune_violation_grave(navigateur: Any, base: str, chemin: str) -> None:
    navigateur.get(base + chemin)
    capture(navigateur, chemin.strip("/").replace("/", "_"))
    assert violations_graves(navigateur) == []


def test_le_controle_d_accessibilite_voit_une_violation(navigateur: Any, base: str) -> None:
    """The check can fail: a field without a label and an image without a text alternative."""
    navigateur.get("data:text/html;charset=utf-8,<html><body><input type='text'><img src='x.png'></body></html>")
    graves = violations_graves(navigateur)
    assert any(v.startswith("label") for v in graves) and any(v.startswith("image-alt") for v in graves)
