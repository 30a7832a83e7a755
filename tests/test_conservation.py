"""Bénéfice des notes across sessions (R32, R33, R24; D334-13, D334-14, D336-13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain import candidat as module_candidat
from domain.reglement import charger_reglement
from tests.scenario import Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

S24, S25, S26 = "2024-aix-marseille", "2025-aix-marseille", "2026-aix-marseille"
A, B, C = "00000001", "00000002", "00000003"
INE = "123456789AB"


def conserver(
    *epreuves: str, numero: str = B, session: str = S25, origine: str = A, session_origine: str = S24
) -> dict:
    return {
        "type": "conserver_notes",
        "session": session,
        "numero": numero,
        "session_origine": session_origine,
        "numero_origine": origine,
        "epreuves": list(epreuves),
    }


def renoncer(epreuve: str, numero: str = B, session: str = S25) -> dict:
    return {"type": "renoncer_conservation", "session": session, "numero": numero, "epreuve": epreuve}


def session_2024(scenario: Scenario, base: int = 6, **notes: object) -> Scenario:
    """A sits 2024: REGLEMENT R32's example, spécialité 12 and philosophie 9, ajourné (720 → 7.20)."""
    return scenario.etant_donne(
        ouvrir(S24),
        inscrire(A, session=S24, ine=INE),
        constituer_jury(session=S24),
        affecter(A, session=S24),
        *notes_completes(A, base, session=S24, **({"SPE1": 12, "PHILO": 9} | notes)),  # type: ignore[arg-type]
        deliberer(1, session=S24),
        ouvrir(S25),
        inscrire(B, session=S25, ine=INE),
        constituer_jury(session=S25),
        affecter(B, session=S25),
    )


def test_r32_exemple_specialite_12_conservee_philo_9_refusee(scenario: Scenario) -> None:
    session_2024(scenario)
    refus = scenario.refus(conserver("PHILO"))
    assert refus.code == "CONSERVATION_REFUSEE" and refus.regle == "R32" and "9" in refus.message
    assert scenario.refus(conserver("HG_T")).regle == "R32"  # contrôle continu: not an épreuve terminale
    assert scenario.quand(conserver("SPE1")) == ["NoteConservée"]
    gardee = scenario.service.candidat(S25, B).notes_conservees["SPE1"]
    assert (gardee.note, gardee.session_obtention, gardee.premiere_session) == (12, 2024, 2024)


def test_r32_r24_note_conservee_comptee_et_sans_mention(scenario: Scenario) -> None:
    session_2024(scenario)
    scenario.etant_donne(
        conserver("SPE1"),
        # REGLEMENT R32: 1400 − 32 + 15 + 15 + 10 + 1 + 1 = 1410 → 14.10, admis without mention.
        *notes_completes(
            B, 14, session=S25, sauf=("SPE1",), HG_1="19.0", FR_ORAL=17, GRAND_ORAL=15, EMC_1=15, EMC_T=15
        ),
        deliberer(1, session=S25),
    )
    d = scenario.service.candidat(S25, B).deliberations[1]
    assert (d.decision, d.total_points, d.moyenne, d.mention) == ("admis", 1410, Decimal("14.10"), None)
    spe1 = next(n for n in d.entrees.notes if n.code == "SPE1")
    assert (spe1.origine, spe1.session_obtention) == ("conservee", 2024)
    explication = scenario.service.decision(S25, B)
    assert next(lg for lg in explication.lignes if lg.code == "SPE1").origine == "note conservée"
    assert "R32" in explication.regles and "R24" in explication.regles and explication.rejeu == "identique"


def test_r32_note_conservee_non_ressaisie(scenario: Scenario) -> None:
    session_2024(scenario)
    scenario.etant_donne(conserver("SPE1"))
    from tests.scenario import note

    assert scenario.refus(note("SPE1", 14, B, session=S25)).code == "NOTE_CONSERVEE"
    assert scenario.refus(conserver("SPE1")).code == "NOTE_DEJA_SAISIE"


def test_r32_candidat_admis_ne_conserve_rien(scenario: Scenario) -> None:
    session_2024(scenario, base=12)
    refus = scenario.refus(conserver("SPE1"))
    assert refus.regle == "R32" and "ajourné" in refus.message


def test_r32_meme_personne_seulement(scenario: Scenario) -> None:
    session_2024(scenario)
    scenario.etant_donne(inscrire(C, session=S25, ine="987654321AB"))
    assert "même personne" in scenario.refus(conserver("SPE1", numero=C)).message


def test_r32_renoncement_definitif(scenario: Scenario) -> None:
    session_2024(scenario)
    scenario.etant_donne(conserver("SPE1"))
    assert scenario.quand(renoncer("SPE1")) == ["ConservationRenoncée"]
    assert scenario.service.candidat(S25, B).notes_conservees == {}
    refus = scenario.refus(conserver("SPE1"))
    assert refus.regle == "R32" and "renoncement définitif" in refus.message
    assert scenario.refus(renoncer("SPE1")).regle == "R32"


def test_r32_renoncement_definitif_aux_sessions_suivantes(scenario: Scenario) -> None:
    session_2024(scenario)
    scenario.etant_donne(conserver("SPE1"), renoncer("SPE1"), ouvrir(S26), inscrire(C, session=S26, ine=INE))
    refus = scenario.refus(conserver("SPE1", numero=C, session=S26))
    assert "renoncement définitif" in refus.message


def test_r32_au_dela_de_cinq_sessions(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    # Shipped sets span 2022–2026 (< 5 sessions): the limit is data, so this test shrinks it to 1 session.
    session_2024(scenario)
    scenario.etant_donne(ouvrir(S26), inscrire(C, session=S26, ine=INE))

    def une_session(annee: int, voie: str, serie: str | None = None):  # type: ignore[no-untyped-def]
        r = charger_reglement(annee, voie, serie)
        return r.model_copy(update={"benefice": r.benefice.model_copy(update={"nb_sessions": 1})})

    monkeypatch.setattr(module_candidat, "charger_reglement", une_session)
    refus = scenario.refus(conserver("SPE1", numero=C, session=S26))
    assert refus.regle == "R32" and "hors des 1 sessions" in refus.message
    assert scenario.quand(conserver("SPE1")) == ["NoteConservée"]  # 2025 is within one session


def test_r32_techno_meme_serie_seulement(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(S24),
        inscrire(A, session=S24, ine=INE, voie="technologique", serie="STMG"),
        constituer_jury(session=S24, voie="technologique"),
        affecter(A, session=S24),
        *notes_completes(A, 6, session=S24, voie="technologique", serie="STMG", SPE1=12),
        deliberer(1, session=S24),
        ouvrir(S25),
        inscrire(B, session=S25, ine=INE, voie="technologique", serie="STI2D"),
    )
    refus = scenario.refus(conserver("SPE1"))
    assert refus.regle == "R32" and "même série" in refus.message


def test_r33_handicap_toute_note_conservable(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(S24),
        inscrire(A, session=S24, ine=INE, handicap=True),
        constituer_jury(session=S24),
        affecter(A, session=S24),
        *notes_completes(A, 6, session=S24, PHILO=9),
        deliberer(1, session=S24),
        ouvrir(S25),
        inscrire(B, session=S25, ine=INE, handicap=True),
    )
    assert scenario.quand(conserver("PHILO")) == ["NoteConservée"]
