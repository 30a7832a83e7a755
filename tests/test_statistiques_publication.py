"""What is published of the statistics (Q12, R45, R46): masked small populations with their reason, nothing
deliberated said so, an unknown compared session refused, the chart's panels and axis, `--json`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from adapters.publication import statistiques as rendus
from cli.main import app
from domain.errors import Introuvable
from domain.publication import Masquage, masquage
from projections.statistiques import statistiques
from tests.scenario import (
    SESSION,
    Scenario,
    affecter,
    constituer_jury,
    deliberer,
    executer_comme,
    inscrire,
    notes_completes,
    ouvrir,
)
from tests.test_statistiques import PRECEDENTE, session_2023, session_2024

SANS_MASQUE = Masquage(seuil_presents=1, confirme=False, regle="Q12", motif="—")


def test_q12_le_seuil_est_une_donnee_signalee_non_confirmee() -> None:
    regle = masquage()
    assert regle.seuil_presents == 10 and regle.confirme is False and regle.regle == "Q12"
    assert regle.raison(9) == "taux non significatif : moins de 10 candidats présents (Q12)"
    assert regle.raison(10) is None and regle.raison(0) is None  # no présent: "n/a" already says it


@given(st.integers(1, 50), st.integers(0, 200))
def test_q12_proprietes_masque_si_et_seulement_si_sous_le_seuil(seuil: int, presents: int) -> None:
    regle = Masquage(seuil_presents=seuil, confirme=False, regle="Q12", motif="moins de {seuil}")
    assert (regle.raison(presents) is not None) == (0 < presents < seuil)


def test_q12_masquage_d_une_petite_population_raison_imprimee_effectifs_gardes(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2024())
    s = scenario.service.statistiques(SESSION)
    general = s.ligne("voie", "general")
    assert general.effectifs.presents == 4 and general.taux == Decimal("25.0")  # kept in the data
    assert general.masque and general.taux_publiable is None
    raison = "taux non significatif : moins de 10 candidats présents (Q12)"
    md, txt = rendus.markdown(s), rendus.texte(s)
    assert "| Baccalauréat général | 4 | 1 | masqué |" in md and raison in md and "25.0 %" not in md
    assert raison in txt and "25.0" not in txt
    lignes = rendus.en_json(s)["lignes"]
    assert all(lg["taux"] is None and lg["masque"] == raison for lg in lignes)
    entete, premiere = rendus.en_csv(s).lstrip("\ufeff").splitlines()[:2]
    assert "masque" in entete.split(";") and raison in premiere


def test_q12_a_partir_du_seuil_le_taux_est_publie(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2024())
    with scenario.service.moteur.connect() as connexion:
        quatre = statistiques(connexion, SESSION, regle_masquage=Masquage(seuil_presents=4, confirme=False,
                                                                           regle="Q12", motif="m"))  # fmt: skip
        cinq = statistiques(connexion, SESSION, regle_masquage=Masquage(seuil_presents=5, confirme=False,
                                                                          regle="Q12", motif="m"))  # fmt: skip
    assert quatre.ligne("voie", "general").taux_publiable == Decimal("25.0")
    assert cinq.ligne("voie", "general").taux_publiable is None


def test_r45_avant_toute_deliberation_rien_n_est_delibere_pas_zero_pour_cent(scenario: Scenario) -> None:
    numeros = [f"000001{i:02d}" for i in range(12)]  # above the threshold: only the missing deliberation masks
    scenario.etant_donne(ouvrir(), *(inscrire(n) for n in numeros), *(c for n in numeros for c in notes_completes(n)))
    s = scenario.service.statistiques(SESSION)
    assert not s.delibere and s.ligne("ensemble").effectifs.presents == 12
    for rendu in (rendus.markdown(s), rendus.texte(s)):
        assert "rien n'est encore délibéré" in rendu and not re.search(r"(?<![0-9.])0\.0 %", rendu)
    assert rendus.en_json(s)["delibere"] is False
    assert all(lg["taux"] is None for lg in rendus.en_json(s)["lignes"])


def test_r46_comparer_avec_une_session_inconnue_est_refuse(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2024())
    with pytest.raises(Introuvable) as refus:
        scenario.service.statistiques(SESSION, comparer="2019-aix-marseille")
    assert refus.value.regle == "R46" and "2019-aix-marseille" in refus.value.message
    with pytest.raises(Introuvable):
        scenario.service.statistiques("2031-aix-marseille")


def test_graphique_voies_et_series_jamais_melangees_axe_a_100_et_accents(scenario: Scenario) -> None:
    scenario.etant_donne(
        *session_2023(),
        *session_2024(),
        inscrire("00000021", voie="technologique", serie="S2TMD"),
        constituer_jury("J2", voie="technologique"),
        affecter("00000021", jury="J2"),
        *notes_completes("00000021", 13, voie="technologique", serie="S2TMD"),
        deliberer(1, jury="J2"),
    )
    with scenario.service.moteur.connect() as connexion:
        s = statistiques(connexion, SESSION, "provisoire", PRECEDENTE, SANS_MASQUE)
    figure = rendus.graphique(s)
    panneaux = figure.axes
    etiquettes = [[t.get_text() for t in axes.get_xticklabels()] for axes in panneaux]
    assert etiquettes == [["Général", "Technologique"], ["S2TMD"]]
    assert all(axes.get_ylim() == (0.0, 100.0) for axes in panneaux)
    assert rendus.png(s).startswith(b"\x89PNG")


def test_cli_statistiques_json_enveloppe_et_null_plutot_que_n_a(tmp_path: Path) -> None:
    from adapters.application.service import ServiceRegistre

    url = f"sqlite:///{tmp_path}/registre.db"
    with ServiceRegistre(url) as service:
        for donnees in (*session_2023(), *session_2024()):
            executer_comme(service, donnees)
    runner = CliRunner()
    r = runner.invoke(app, ["statistiques", "--session", SESSION, "--comparer", PRECEDENTE, "--json", "--db", url])
    assert r.exit_code == 0, r.output
    reponse = json.loads(r.stdout)
    assert reponse["statut"] == "ok"
    valeurs = [v for ligne in reponse["resultat"]["lignes"] for v in ligne.values()]
    assert "n/a" not in valeurs and None in valeurs  # S2TMD-like gaps are null, never the string "n/a"
    assert reponse["resultat"]["extraction"].endswith(("+01:00", "+02:00"))  # Europe/Paris, offset written
    r = runner.invoke(app, ["statistiques", "--session", SESSION, "--comparer", "2019-nice", "--json", "--db", url])
    assert r.exit_code == 1 and json.loads(r.stdout)["statut"] == "refuse"
