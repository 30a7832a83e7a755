"""Results statistics from the events (R44–R47, Q10–Q12): given these deliberations, then these figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from adapters.application.service import ServiceRegistre
from adapters.publication import statistiques as rendus
from domain.publication import Masquage
from domain.reglement import charger_reglement
from projections.statistiques import Effectifs, _regrouper, statistiques
from projections.taux import evolution, taux, taux_publie
from tests.scenario import (
    SESSION,
    Scenario,
    affecter,
    constituer_jury,
    deliberer,
    executer_comme,
    inscrire,
    note,
    notes_completes,
    ouvrir,
)

PRECEDENTE = "2023-aix-marseille"


def absences(numero: str, *, session: str = SESSION, voie: str = "general") -> list[dict[str, Any]]:
    """Absent at every épreuve (R13): recorded, but the candidate sat nothing."""
    from domain.candidat import NATURES_TERMINALES

    lignes = []
    for e in charger_reglement(int(session[:4]), voie).epreuves_obligatoires():
        origine = "epreuve_terminale" if e.nature in NATURES_TERMINALES else "controle_continu"
        lignes.append(note(e.code, None, numero, origine=origine, session=session, absence="injustifiee"))
    return lignes


def session_2024() -> list[dict[str, Any]]:
    """01 admis, 02 second groupe, 03 ajourné, 04 absent everywhere, 05 justified absence then replacement."""
    return [
        ouvrir(),
        *(inscrire(n) for n in ("00000001", "00000002", "00000003", "00000004", "00000005")),
        constituer_jury(),
        affecter("00000001", "00000002", "00000003", "00000004", "00000005"),
        *notes_completes("00000001", 15),
        *notes_completes("00000002", 9, PHILO=5, SPE2=6, GRAND_ORAL=18, EMC_1=11),
        *notes_completes("00000003", 6),
        *absences("00000004"),
        *notes_completes("00000005", 14, sauf=("PHILO",)),
        note("PHILO", None, "00000005", absence="justifiee"),
        {"type": "autoriser_remplacement", "session": SESSION, "numero": "00000005", "epreuves": ["PHILO"],
         "acteur": "recteur-aix", "role": "recteur"},
        deliberer(1),
    ]  # fmt: skip


def second_groupe() -> list[dict[str, Any]]:
    return [
        {"type": "choisir_controle", "session": SESSION, "numero": "00000002", "epreuves": ["PHILO", "SPE2"]},
        {"type": "saisir_controle", "session": SESSION, "numero": "00000002", "epreuve": "PHILO", "note": "11"},
        {"type": "saisir_controle", "session": SESSION, "numero": "00000002", "epreuve": "SPE2", "note": "10"},
        deliberer(2),
    ]


def remplacement() -> list[dict[str, Any]]:
    return [note("PHILO", 13, "00000005"), deliberer(1)]


def session_2023() -> list[dict[str, Any]]:
    s = PRECEDENTE
    return [
        ouvrir(s),
        inscrire("00000011", session=s, ine="000000011AB"),
        inscrire("00000012", session=s, ine="000000012AB"),
        constituer_jury(session=s),
        affecter("00000011", "00000012", session=s),
        *notes_completes("00000011", 12, session=s),
        *notes_completes("00000012", 7, session=s),
        deliberer(1, session=s),
    ]


def test_R44_taux_de_reussite_admis_sur_presents() -> None:
    assert taux(93, 100) == 93
    assert taux_publie(16_116, 17_329) == Decimal("93.0")
    assert taux(0, 0) is None


def test_R45_Q10_taux_provisoire_apres_le_premier_groupe(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2024())
    s = scenario.service.statistiques(SESSION, etape="provisoire")
    general = s.ligne("voie", "general")
    # 04 sat nothing: not présent (Q10); 05 awaits his replacement: présent, neither admis nor ajourné.
    assert general.effectifs == Effectifs(presents=4, admis=1, ajournes=1, second_groupe=1, en_attente=1)
    assert general.taux == Decimal("25.0")


def test_Q10_un_candidat_absent_partout_n_est_pas_present(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000004"), *absences("00000004"))
    assert scenario.service.statistiques(SESSION).ligne("ensemble").effectifs.presents == 0


def test_R47_Q15_trois_stades_de_publication(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2024(), *second_groupe())
    apres_second = scenario.service.statistiques(SESSION, etape="second_groupe").ligne("voie", "general")
    assert (apres_second.effectifs.admis, apres_second.taux) == (2, Decimal("50.0"))
    scenario.etant_donne(*remplacement())
    stades = {
        e: scenario.service.statistiques(SESSION, etape=e).ligne("ensemble")
        for e in ("provisoire", "second_groupe", "final")
    }
    assert {e: lg.effectifs.admis for e, lg in stades.items()} == {"provisoire": 1, "second_groupe": 2, "final": 3}
    assert stades["provisoire"].effectifs.en_attente == 1 and stades["final"].effectifs.en_attente == 0


def test_R46_evolution_en_points_au_meme_stade(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2023(), *session_2024(), *second_groupe())
    s = scenario.service.statistiques(SESSION, etape="provisoire", comparer=PRECEDENTE)
    general = s.ligne("voie", "general")
    assert (general.taux, general.taux_compare) == (Decimal("25.0"), Decimal("50.0"))
    assert general.evolution == Decimal("-25.0")  # provisional against provisional, not against the 2nd groupe


def test_Q12_evolution_n_a_sans_population_precedente(scenario: Scenario) -> None:
    scenario.etant_donne(
        *session_2023(),
        ouvrir(),
        inscrire("00000021", voie="technologique", serie="S2TMD"),
        constituer_jury(voie="technologique"),
        affecter("00000021"),
        *notes_completes("00000021", 13, voie="technologique", serie="S2TMD"),
        deliberer(1),
    )
    # A threshold of one présent, so that the evolution's "n/a" is what is shown (masking: test_q12_masquage*).
    sans_masque = Masquage(seuil_presents=1, confirme=False, regle="Q12", motif="—")
    with scenario.service.moteur.connect() as connexion:
        s = statistiques(connexion, SESSION, "provisoire", PRECEDENTE, sans_masque)
    s2tmd = s.ligne("serie", "S2TMD")
    assert s2tmd.taux == Decimal("100.0") and s2tmd.evolution is None
    assert (
        "| Sciences et techniques du théâtre, de la musique et de la danse (S2TMD) | 100.0 % | n/a |"
        in rendus.markdown(s)
    )
    assert "+100" not in rendus.markdown(s)
    publiees = scenario.service.statistiques(SESSION, comparer=PRECEDENTE)  # one présent: below the threshold
    assert "| Sciences et techniques du théâtre, de la musique et de la danse (S2TMD) | masqué | masqué |" in (
        rendus.markdown(publiees)
    )


def test_Q11_perimetre_stade_et_definitions_a_cote_de_chaque_chiffre(scenario: Scenario) -> None:
    scenario.etant_donne(*session_2023(), *session_2024())
    s = scenario.service.statistiques(SESSION, comparer=PRECEDENTE)
    md = rendus.markdown(s)
    for attendu in ("Périmètre", "Académie d'Aix-Marseille", "premier groupe", "Présent :", "admis ÷ présents"):
        assert attendu in md
    assert "| Voie | Candidats présents | Admis | Taux de réussite | Évolution en points |" in md
    for ligne in orjson.loads(orjson.dumps(rendus.en_json(s)))["lignes"]:
        assert ligne["perimetre"] and ligne["etape"] == "provisoire" and ligne["extraction"]
    entete, *lignes = rendus.en_csv(s).splitlines()
    assert "perimetre" in entete and "extraction" in entete and len(lignes) == len(s.lignes)
    assert "Périmètre" in rendus.texte(s)
    assert rendus.png(s).startswith(b"\x89PNG")


def test_reconstruire_donne_les_memes_lignes(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        for donnees in (*session_2023(), *session_2024(), *second_groupe(), *remplacement()):
            executer_comme(service, donnees)
        avant = [service.statistiques(SESSION, etape=e, comparer=PRECEDENTE) for e in ("provisoire", "final")]
        service.reconstruire()
        assert [service.statistiques(SESSION, etape=e, comparer=PRECEDENTE) for e in ("provisoire", "final")] == avant


EFFECTIFS = st.builds(
    lambda a, j, s, e, p: Effectifs(presents=a + j + s + e + p, admis=a, ajournes=j, second_groupe=s, en_attente=e),
    *(st.integers(0, 2000) for _ in range(5)),
)


@given(st.dictionaries(st.sampled_from([("general", None, None), ("technologique", "STMG", None),
                                        ("technologique", "STL", None), ("professionnel", "MCV", "Services"),
                                        ("professionnel", "CUISINE", "Production")]), EFFECTIFS))  # fmt: skip
def test_proprietes_taux_dans_0_100_et_effectifs_qui_s_additionnent(cellules: dict[Any, Effectifs]) -> None:
    sommes = _regrouper(cellules)
    if not cellules:
        return
    ensemble = sommes[("ensemble", None, None)]
    assert ensemble == sum((e for (n, _, _), e in sommes.items() if n == "voie"), Effectifs())
    for e in sommes.values():
        assert e.admis + e.ajournes + e.second_groupe + e.en_attente + e.sans_decision <= e.presents
        t = taux_publie(e.admis, e.presents)
        assert t is None or Decimal(0) <= t <= Decimal(100)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_proprietes_evolution_n_a_si_et_seulement_si_une_population_est_vide(a: int, n: int, b: int, m: int) -> None:
    a, b = min(a, n), min(b, m)
    e = evolution(a, n, b, m)
    assert (e is None) == (n == 0 or m == 0)
    if e is not None:
        assert Decimal(-100) <= e <= Decimal(100)
