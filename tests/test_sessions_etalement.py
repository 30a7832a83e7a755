"""Étalement, sessions after 2026, kept grades across them (R17, R32, R33; Q5, Q16; D336-8, D336-13, D336-14)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.calcul import ConservationRefusee, verifier_conservation
from domain.reglement import ReglementIntrouvable, charger_reglement
from tests.scenario import Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

S22, S24, S25, S26, S27 = (f"{a}-aix-marseille" for a in (2022, 2024, 2025, 2026, 2027))
A, B = "00000001", "00000002"
INE = "123456789AB"
TERMINALES_PRESENTEES = ("FR_ECRIT", "FR_ORAL", "GRAND_ORAL", "SPE1")


def conserver(*epreuves: str, session: str, session_origine: str, numero: str = B, origine: str = A) -> dict:
    return {
        "type": "conserver_notes", "session": session, "numero": numero, "session_origine": session_origine,
        "numero_origine": origine, "epreuves": list(epreuves),
    }  # fmt: skip


def deux_sessions(s: Scenario, premiere: str, seconde: str, **inscription: object) -> Scenario:
    return s.etant_donne(
        ouvrir(premiere), inscrire(A, session=premiere, ine=INE, **inscription), constituer_jury(session=premiere),
        affecter(A, session=premiere), ouvrir(seconde), inscrire(B, session=seconde, ine=INE, **inscription),
        constituer_jury(session=seconde), affecter(B, session=seconde),
    )  # fmt: skip


# --- 2. Étalement (R17, R33, Q5) --------------------------------------------------------------------------


def test_r17_etalement_sans_decision_finale_puis_decision_finale_sans_mention(scenario: Scenario) -> None:
    s = deux_sessions(scenario, S24, S25, handicap=True, etalement=True)
    # 2024: philosophie and spécialité 2 left for later → deliberation on the épreuves presented only (D336-8).
    s.etant_donne(*notes_completes(A, 16, session=S24, sauf=("PHILO", "SPE2")), deliberer(1, session=S24))
    premiere = s.service.candidat(S24, A).deliberations[1]
    assert (premiere.decision, premiere.mention, premiere.certificat) == ("sans_decision_finale", None, None)
    # 2025: the grades of 2024 are kept (R33: any grade), the last épreuves are sat → a final decision.
    assert s.quand(conserver(*TERMINALES_PRESENTEES, session=S25, session_origine=S24)) == ["NoteConservée"] * 4
    s.etant_donne(*notes_completes(B, 16, session=S25, sauf=TERMINALES_PRESENTEES), deliberer(1, session=S25))
    d = s.service.candidat(S25, B).deliberations[1]
    assert (d.decision, d.moyenne) == ("admis", Decimal(16))
    assert d.mention is None  # Q5 as the issue and R17 [R] read it: no mention after an étalement
    regles = [e.regle for e in d.trace.etapes]
    assert "R17, R33" in regles and "R17, R33, Q5" in regles
    assert d.contexte.etalement_acheve and not d.contexte.etalement_handicap
    assert s.service.decision(S25, B).rejeu == "identique"


def test_r17_etalement_encore_incomplet_reste_sans_decision_finale(scenario: Scenario) -> None:
    s = deux_sessions(scenario, S24, S25, handicap=True, etalement=True)
    s.etant_donne(*notes_completes(A, 12, session=S24, sauf=("PHILO", "SPE2")), deliberer(1, session=S24))
    s.etant_donne(conserver("SPE1", session=S25, session_origine=S24))
    s.etant_donne(*notes_completes(B, 12, session=S25, sauf=("SPE1", "SPE2")), deliberer(1, session=S25))
    assert s.service.candidat(S25, B).deliberations[1].decision == "sans_decision_finale"


def test_r17_etalement_termine_en_une_session_decision_finale_sans_mention(scenario: Scenario) -> None:
    scenario.etant_donne(
        ouvrir(S24), inscrire(A, session=S24, handicap=True, etalement=True), constituer_jury(session=S24),
        affecter(A, session=S24), *notes_completes(A, 9, session=S24), deliberer(1, session=S24),
    )  # fmt: skip
    assert scenario.service.candidat(S24, A).deliberations[1].decision == "second_groupe"  # R17: adapted, not barred


# --- 3. Sessions after 2026 (R3, R32) ---------------------------------------------------------------------


def test_r3_session_2027_epreuve_anticipee_de_mathematiques(scenario: Scenario) -> None:
    r = charger_reglement(2027, "general")
    maths = r.epreuve("MATHS_ANTICIPEE")
    assert (maths.coefficient, maths.annee, maths.nature.value) == (2, "premiere", "anticipee_ecrit")
    assert maths.confirme
    assert "GRAND_ORAL" in r.non_confirmes  # the Grand oral's new coefficient is not published
    scenario.etant_donne(
        ouvrir(S27), inscrire(A, session=S27), constituer_jury(session=S27), affecter(A, session=S27),
        *notes_completes(A, 12, session=S27, MATHS_ANTICIPEE=20), deliberer(1, session=S27),
    )  # fmt: skip
    d = scenario.service.candidat(S27, A).deliberations[1]
    assert (d.total_coefficients, d.total_points, d.mention) == (100, 1216, "assez_bien")
    assert d.reglement_version == "2027-general-v1"


def test_r1_session_sans_reglement_refusee_en_nommant_l_annee(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir("2028-aix-marseille"))
    refus = scenario.refus(inscrire(A, session="2028-aix-marseille"))
    assert refus.code == "REGLEMENT_INTROUVABLE"
    assert "session 2028" in refus.message and "sessions/general-2028.toml" in refus.message
    assert "2027" in refus.message
    with pytest.raises(ReglementIntrouvable, match="technologique-2028"):
        charger_reglement(2028, "technologique", "STMG")


def test_r32_limite_des_cinq_sessions_atteinte_en_2027(scenario: Scenario) -> None:
    s = deux_sessions(scenario, S22, S27)
    s.etant_donne(*notes_completes(A, 6, session=S22, SPE1=12), deliberer(1, session=S22))
    assert s.quand(conserver("SPE1", session=S27, session_origine=S22)) == ["NoteConservée"]
    gardee = s.service.candidat(S27, B).notes_conservees["SPE1"]
    assert (gardee.session_obtention, gardee.premiere_session) == (2022, 2022)
    # The sixth session after 2022 would be 2028: refused by the rule, whatever its rule set (R32, D334-13).
    cible = charger_reglement(2027, "general").model_copy(update={"session": 2028})
    with pytest.raises(ConservationRefusee, match="hors des 5 sessions"):
        verifier_conservation(
            charger_reglement(2022, "general"), cible, "SPE1", Decimal(12), session_obtention=2022,
            premiere_session=2022,
        )  # fmt: skip


# --- 4. Kept grade of a vanished épreuve (Q16) and its correction (R29) -------------------------------------


def test_q16_note_conservee_d_une_epreuve_disparue_par_la_table_d_equivalence(scenario: Scenario) -> None:
    pro = {"voie": "professionnel", "serie": "MCV"}
    scenario.etant_donne(
        ouvrir(S26), inscrire(A, session=S26, ine=INE, **pro), constituer_jury(session=S26, voie="professionnel"),
        affecter(A, session=S26), *notes_completes(A, 6, session=S26, CHEF_OEUVRE=14, **pro),
        deliberer(1, session=S26),
        ouvrir(S27), inscrire(B, session=S27, ine=INE, **pro), constituer_jury(session=S27, voie="professionnel"),
        affecter(B, session=S27),
    )  # fmt: skip
    assert scenario.service.candidat(S26, A).deliberations[1].decision == "ajourne"
    assert scenario.quand(conserver("CHEF_OEUVRE", session=S27, session_origine=S26)) == ["NoteConservée"]
    gardee = scenario.service.candidat(S27, B).notes_conservees["ORAL_PROJET"]
    assert (gardee.note, gardee.epreuve_origine, gardee.session_obtention) == (14, "CHEF_OEUVRE", 2026)
    assert scenario.refus(conserver("CHEF_OEUVRE", session=S27, session_origine=S26)).code == "NOTE_DEJA_SAISIE"


def test_q16_sans_equivalence_la_conservation_est_refusee() -> None:
    origine = charger_reglement(2026, "professionnel", "MCV")
    cible = charger_reglement(2027, "professionnel", "MCV").model_copy(update={"equivalences": ()})
    with pytest.raises(ConservationRefusee, match="aucune équivalence") as refus:
        verifier_conservation(origine, cible, "CHEF_OEUVRE", Decimal(14), session_obtention=2026, premiere_session=2026)
    assert "Q16" in (refus.value.regle or "")


def corriger_conservee(note: object, session: str = S25) -> dict:
    return {
        "type": "corriger_note_conservee", "session": session, "numero": B, "epreuve": "SPE1", "note": str(note),
        "motif": "report", "raison": "relevé 2024 mal reporté", "acteur": "dec-1", "role": "service_examens",
    }  # fmt: skip


def test_r29_r32_correction_d_une_note_conservee(scenario: Scenario) -> None:
    s = deux_sessions(scenario, S24, S25)
    s.etant_donne(*notes_completes(A, 6, session=S24, SPE1=12), deliberer(1, session=S24))
    s.etant_donne(conserver("SPE1", session=S25, session_origine=S24))
    # B has 9.92 with SPE1 kept at 12 (second groupe); the kept grade was in fact 14: + 32 → 10.24, admis.
    s.etant_donne(*notes_completes(B, 10, session=S25, sauf=("SPE1",), PHILO=5), deliberer(1, session=S25))
    assert s.service.candidat(S25, B).deliberations[1].decision == "second_groupe"
    assert s.quand(corriger_conservee(14)) == ["NoteConservéeCorrigée"]
    assert s.service.candidat(S25, B).a_redeliberer
    s.etant_donne(deliberer(1, session=S25))
    d = s.service.candidat(S25, B).deliberations[1]
    assert (d.decision, d.mention) == ("admis", None)  # R24, R32: no mention with kept grades
    assert s.refus(corriger_conservee(14)).code == "CORRECTION_SANS_EFFET"
    assert s.refus(corriger_conservee(9)).code == "CONSERVATION_REFUSEE"  # no longer keepable (< 10)


def test_adr_0019_un_evenement_note_conservee_ancien_se_lit_sans_epreuve_origine() -> None:
    """`NoteConservée` gained ``epreuve_origine`` with a default: a payload stored before reads unchanged."""
    from datetime import UTC, datetime
    from uuid import uuid4

    from domain.evenements import NoteConservee

    ancien = NoteConservee.model_validate({
        "originator_id": str(uuid4()), "originator_version": 3, "timestamp": datetime.now(tz=UTC).isoformat(),
        "epreuve": "SPE1", "note": "12", "session_origine": S24, "numero_origine": A, "session_obtention": 2024,
        "premiere_session": 2024, "derniere_session": 2029, "reglement_origine": "2024-general-v1",
        "acte": {"acteur": "dec", "role": "service_examens", "correlation_id": str(uuid4())},
    })  # fmt: skip
    assert ancien.epreuve_origine is None


def test_attaque_q16_une_equivalence_vers_une_epreuve_qui_existe_encore_est_refusee() -> None:
    from domain.errors import ReglementInvalide
    from domain.reglement.chargement import resoudre_session

    tous = {(2026, "professionnel", "MCV"): charger_reglement(2026, "professionnel", "MCV")}
    fichier = {
        "voie": "professionnel", "session": 2028, "herite_de": 2026, "version": "{session}-professionnel-{serie}-v9",
        "commun": {"equivalences": [{"ancienne": "CHEF_OEUVRE", "nouvelle": "PSE", "source": "piège"}]},
    }  # fmt: skip
    with pytest.raises(ReglementInvalide, match="Q16"):
        resoudre_session(fichier, "professionnel-2028.toml", tous)
