"""Premier groupe: average (R8, R13–R15, Q1, Q6), decision (R16, R17, R29, R30, R34), mentions (R23, R24),
certificate (R31), options (R6), dispenses (R7, R12, R35)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.calcul import (
    ContexteJury,
    Dispense,
    Dossier,
    DossierIncoherent,
    LivretNonExamine,
    MotifDispense,
    NoteCandidat,
    NotesManquantes,
    OptionsInvalides,
    Origine,
    PointsJuryRefuses,
    RemplacementImpossible,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
)
from domain.reglement import Nature, Reglement, charger_reglement

D = Decimal
R2025 = charger_reglement(2025, "general")
R2026 = charger_reglement(2026, "general")

# REGLEMENT R8: raw CC annual averages are given, the calcul rounds them up (R14).
R8 = {
    "FR_ECRIT": "11", "FR_ORAL": "13", "PHILO": "9", "SPE1": "12", "SPE2": "10", "GRAND_ORAL": "14",
    "HG_1": "11.26", "HG_T": "12.0", "LVA_1": "13.45", "LVA_T": "14.2", "LVB_1": "10.41", "LVB_T": "9.8",
    "ES_1": "12.0", "ES_T": "11.53", "EPS": "15.0", "EMC_1": "14.0", "EMC_T": "15.0", "SPE_1RE": "12.47",
}  # fmt: skip


def dossier(reglement: Reglement, notes: dict[str, str], **autres: object) -> Dossier:
    def origine(code: str) -> Origine:
        terminal = reglement.epreuve(code).nature not in (Nature.controle_continu, Nature.eps, Nature.option)
        return Origine.epreuve if terminal else Origine.controle_continu

    return Dossier(notes=tuple(NoteCandidat(code=c, note=D(v), origine=origine(c)) for c, v in notes.items()), **autres)


def uniforme(reglement: Reglement, note: str, **remplacements: str) -> dict[str, str]:
    """Every compulsory épreuve at ``note`` (a whole number), with a few overrides."""
    return {e.code: remplacements.get(e.code, note) for e in reglement.epreuves_obligatoires()}


def premier_groupe(reglement: Reglement, notes: dict[str, str], contexte: ContexteJury | None = None, **autres):
    return deliberer_premier_groupe(
        reglement, calculer_moyenne(reglement, dossier(reglement, notes, **autres)), contexte
    )


# 800 − 32 + 10 + 2 = 780 points on 100 coefficients (REGLEMENT R16 / R30 examples).
NOTES_780 = {**{e.code: "8" for e in R2025.epreuves_obligatoires()}, "SPE1": "6", "GRAND_ORAL": "9", "EMC_1": "10"}


# --- R8 worked example -------------------------------------------------------------------------


def test_r8_exemple_1187_7_sur_100_admis_sans_mention():
    calcul = calculer_moyenne(R2025, dossier(R2025, R8))
    assert calcul.total_points == D("1187.7")
    assert calcul.total_coefficients == 100
    assert calcul.moyenne_affichee == D("11.87")  # Q1: 11.877 truncated
    hg = calcul.ligne("HG_1")
    assert hg is not None and (hg.note_saisie, hg.note, hg.points) == (D("11.26"), D("11.3"), D("33.9"))
    decision = deliberer_premier_groupe(R2025, calcul)
    assert decision.resultat == Resultat.admis
    assert decision.mention is None
    r16 = next(e for e in decision.etapes if e.regle == "R16")
    assert (r16.valeur, r16.seuil) == ("1187.7 / 100 = 11.877", "1000")


def test_r8_r6_option_latin_donne_12_055_assez_bien():
    notes = {**R8, "OPT_LATIN_1": "16.0", "OPT_LATIN_T": "17.0"}
    decision = premier_groupe(R2025, notes, options=("OPT_LATIN_1", "OPT_LATIN_T"))
    assert (decision.calcul.total_points, decision.calcul.total_coefficients) == (D("1253.7"), 104)
    assert decision.moyenne_affichee == D("12.05")
    assert decision.mention == "assez_bien"


def test_r8_r6_option_theatre_fait_baisser_la_moyenne():
    notes = {**R8, "OPT_THEATRE_1": "8.0", "OPT_THEATRE_T": "7.0"}
    decision = premier_groupe(R2025, notes, options=("OPT_THEATRE_1", "OPT_THEATRE_T"))
    assert decision.calcul.total_points == D("1217.7")
    assert decision.moyenne_affichee == D("11.70")
    assert decision.moyenne_affichee < D("11.87")


def test_r6_limites_d_options():
    with pytest.raises(OptionsInvalides, match="R6"):
        calculer_moyenne(R2025, dossier(R2025, R8, options=("OPT_THEATRE_1", "OPT_LVC_1")))
    # LCA latin and grec come on top of the limit (R6).
    ok = ("OPT_THEATRE_1", "OPT_LATIN_1", "OPT_GREC_1")
    notes = {**R8, **dict.fromkeys(ok, "12")}
    assert calculer_moyenne(R2025, dossier(R2025, notes, options=ok)).total_coefficients == 106


def test_r6_note_d_option_non_choisie_refusee():
    with pytest.raises(DossierIncoherent, match="non choisies"):
        calculer_moyenne(R2025, dossier(R2025, {**R8, "OPT_LATIN_1": "16"}))


# --- R15, Q1 -------------------------------------------------------------------------------------


def test_r15_q1_decision_sur_les_points_9_996_affiche_9_99_et_pas_admis():
    # 999.6 points: PHILO 8 + SPE1 16 … chosen so that the total is 999.6 / 100.
    notes = uniforme(R2025, "10", PHILO="9", HG_1="10.2", HG_T="10.2")  # -8 + 0.6 + 0.6 = -6.8
    notes.update(EPS="11.2")  # +7.2 → 1000.4
    notes.update(EMC_1="9.2")  # -0.8 → 999.6
    decision = premier_groupe(R2025, notes)
    assert decision.calcul.total_points == D("999.6")
    assert decision.moyenne_affichee == D("9.99")
    assert decision.resultat == Resultat.second_groupe


# --- R16 thresholds on points --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note_philo", "resultat"),
    [("10", Resultat.admis), ("9", Resultat.second_groupe)],
)
def test_r16_exactement_10_admis_juste_en_dessous_second_groupe(note_philo: str, resultat: Resultat):
    decision = premier_groupe(R2025, uniforme(R2025, "10", PHILO=note_philo))
    assert decision.resultat == resultat


def test_r16_exemples_912_second_groupe_780_ajourne():
    d912 = premier_groupe(R2025, uniforme(R2025, "9", GRAND_ORAL="10", EMC_1="11"))
    assert d912.total_apres_jury == 912
    assert d912.resultat == Resultat.second_groupe
    d780 = premier_groupe(R2025, NOTES_780)
    assert d780.total_apres_jury == 780
    assert d780.resultat == Resultat.ajourne
    assert d780.certificat is None  # R31: moyenne < 8


def test_r16_r18_exactement_8_second_groupe_et_7_99_ajourne():
    assert premier_groupe(R2025, uniforme(R2025, "8")).resultat == Resultat.second_groupe
    d = premier_groupe(R2025, uniforme(R2025, "8", EMC_1="7.9"))  # 799.9 / 100
    assert d.moyenne_affichee == D("7.99")
    assert d.resultat == Resultat.ajourne


# --- R23, R24 mentions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "mention"),
    [("12", "assez_bien"), ("14", "bien"), ("16", "tres_bien"), ("18", "tres_bien_felicitations")],
)
def test_r23_bornes_de_mention_exactes(note: str, mention: str):
    assert premier_groupe(R2025, uniforme(R2025, note)).mention == mention


@pytest.mark.parametrize(("note", "mention"), [("12", None), ("14", "assez_bien"), ("16", "bien"), ("18", "tres_bien")])
def test_r23_juste_sous_la_borne(note: str, mention: str | None):
    juste_dessous = str(D(note) - D("0.1"))
    assert premier_groupe(R2025, uniforme(R2025, note, EMC_1=juste_dessous)).mention == mention


def test_r23_q4_18_03_felicitations_automatiques():
    decision = premier_groupe(R2025, uniforme(R2025, "18", HG_1="19.0", EMC_1="18.0"))  # 1803 / 100
    assert decision.total_apres_jury == 1803
    assert decision.mention == "tres_bien_felicitations"
    assert decision.libelle_mention == "Très bien avec les félicitations du jury"
    assert any("Q4" in e.regle for e in decision.etapes)


def test_r24_r12_pas_de_mention_pour_titulaire_d_un_autre_bac():
    notes = uniforme(R2025, "15")
    del notes["PHILO"]
    decision = premier_groupe(
        R2025, notes, dispenses=(Dispense(code="PHILO", motif=MotifDispense.titulaire_autre_bac),)
    )
    assert decision.resultat == Resultat.admis
    assert decision.mention is None
    assert decision.calcul.total_coefficients == 92


def test_r24_r37_privation_de_mention():
    decision = premier_groupe(R2025, uniforme(R2025, "15"), ContexteJury(privation_mention=True))
    assert decision.resultat == Resultat.admis and decision.mention is None
    assert any("R37" in e.regle for e in decision.etapes)


def test_r24_r32_pas_de_mention_avec_notes_conservees_mais_q5_handicap_possible():
    notes = uniforme(R2025, "15")
    base = dossier(R2025, notes)
    conservee = tuple(
        NoteCandidat(code=n.code, note=n.note, origine=Origine.conservee, session_obtention=2024)
        if n.code == "SPE1" else n
        for n in base.notes
    )  # fmt: skip
    d = deliberer_premier_groupe(R2025, calculer_moyenne(R2025, Dossier(notes=conservee)))
    assert d.resultat == Resultat.admis and d.mention is None
    d_handicap = deliberer_premier_groupe(
        R2025, calculer_moyenne(R2025, Dossier(notes=conservee, handicap_benefice=True))
    )
    assert d_handicap.mention == "bien"


# --- Q6 / R7 EPS dispensation --------------------------------------------------------------------


def test_q6_r7_eps_dispensee_coefficient_retire_jamais_zero():
    notes = uniforme(R2025, "12")
    del notes["EPS"]
    calcul = calculer_moyenne(R2025, dossier(R2025, notes, dispenses=(Dispense(code="EPS", motif="eps_sante"),)))
    assert calcul.total_coefficients == 94
    assert calcul.moyenne_affichee == D("12.00")
    assert calcul.dispenses[0].coefficient_retire == 6
    assert deliberer_premier_groupe(R2025, calcul).mention == "assez_bien"  # an EPS dispense does not bar a mention


def test_q6_dispense_medicale_hors_eps_refusee():
    with pytest.raises(DossierIncoherent, match="EPS"):
        calculer_moyenne(R2025, dossier(R2025, {}, dispenses=(Dispense(code="PHILO", motif="eps_sante"),)))


# --- R13 absence, missing grades ----------------------------------------------------------------


def test_r13_absence_injustifiee_vaut_zero():
    notes = uniforme(R2025, "12")
    del notes["PHILO"]
    base = dossier(R2025, notes)
    d = Dossier(notes=(*base.notes, NoteCandidat(code="PHILO", origine=Origine.absence_injustifiee)))
    calcul = calculer_moyenne(R2025, d)
    assert calcul.total_points == 1200 - 12 * 8
    assert calcul.ligne("PHILO").note == 0  # type: ignore[union-attr]


def test_r13_notes_manquantes_refusees_en_les_listant():
    notes = uniforme(R2025, "12")
    del notes["PHILO"], notes["SPE2"]
    with pytest.raises(NotesManquantes) as exc:
        premier_groupe(R2025, notes)
    assert "PHILO, SPE2" in exc.value.message
    assert exc.value.code == "NOTES_MANQUANTES"


# --- R17, R34 ------------------------------------------------------------------------------------


def test_r17_etalement_handicap_sans_decision_finale():
    notes = {"FR_ECRIT": "12", "FR_ORAL": "13"}
    d = premier_groupe(R2025, notes, ContexteJury(etalement_handicap=True))
    assert d.resultat == Resultat.sans_decision_finale
    assert d.mention is None and d.certificat is None


def test_r34_remplacement_autorise_en_attente():
    notes = uniforme(R2025, "12")
    del notes["PHILO"]
    d = premier_groupe(R2025, notes, ContexteJury(remplacements_autorises=("PHILO",)))
    assert d.resultat == Resultat.en_attente_remplacement


def test_r34_pas_de_remplacement_pour_l_eps():
    notes = uniforme(R2025, "12")
    del notes["EPS"]
    with pytest.raises(RemplacementImpossible, match="R34"):
        premier_groupe(R2025, notes, ContexteJury(remplacements_autorises=("EPS",)))


# --- R29 livret ---------------------------------------------------------------------------------


def test_r29_pas_d_ajournement_sans_examen_du_livret_fourni():
    notes = uniforme(R2025, "6")
    with pytest.raises(LivretNonExamine, match="R29"):
        premier_groupe(R2025, notes, ContexteJury(livret_fourni=True))
    d = premier_groupe(R2025, notes, ContexteJury(livret_fourni=True, livret_examine=True))
    assert d.resultat == Resultat.ajourne


def test_r29_livret_non_examine_n_empeche_pas_l_admission():
    d = premier_groupe(R2025, uniforme(R2025, "12"), ContexteJury(livret_fourni=True))
    assert d.resultat == Resultat.admis


# --- R30 points de jury --------------------------------------------------------------------------


def test_r30_2026_960_plus_50_points_donne_1010_admis():
    notes = uniforme(R2026, "10", SPE1="9", SPE2="9", PHILO="9")
    d = premier_groupe(R2026, notes, ContexteJury(points_jury=D(50)))
    assert d.calcul.total_points == 960
    assert d.total_apres_jury == 1010
    assert d.resultat == Resultat.admis
    assert d.moyenne_affichee == D("10.10")


def test_r30_2026_plafond_de_50_points():
    with pytest.raises(PointsJuryRefuses, match="50 au plus"):
        premier_groupe(R2026, uniforme(R2026, "9"), ContexteJury(points_jury=D(51)))


def test_r30_r18_2026_780_ne_peut_pas_etre_porte_a_800():
    notes = NOTES_780
    assert calculer_moyenne(R2026, dossier(R2026, notes)).total_points == 780
    with pytest.raises(PointsJuryRefuses, match="R30, R18"):
        premier_groupe(R2026, notes, ContexteJury(points_jury=D(20)))
    assert premier_groupe(R2026, notes).resultat == Resultat.ajourne


def test_r30_avant_2026_pas_de_plafond():
    d = premier_groupe(R2025, NOTES_780, ContexteJury(points_jury=D(60)))
    assert d.total_apres_jury == 840
    assert d.resultat == Resultat.second_groupe


def test_r30_points_de_jury_negatifs_refuses():
    with pytest.raises(PointsJuryRefuses):
        premier_groupe(R2025, uniforme(R2025, "9"), ContexteJury(points_jury=D(-1)))


# --- R31 ----------------------------------------------------------------------------------------


def test_r31_techno_certificat_de_fin_d_etudes_technologiques_secondaires():
    r = charger_reglement(2024, "technologique", "STMG")
    assert r.certificat == "certificat de fin d'études technologiques secondaires"
    assert charger_reglement(2024, "general").certificat == "certificat de fin d'études secondaires"


# --- R5, R35, invariants --------------------------------------------------------------------------


def test_r5_evaluation_ponctuelle_arrondie_comme_le_controle_continu():
    notes = uniforme(R2025, "12")
    base = dossier(R2025, notes)
    ponctuelle = tuple(
        NoteCandidat(code="HG_T", note=D("11.01"), origine=Origine.evaluation_ponctuelle) if n.code == "HG_T" else n
        for n in base.notes
    )
    ligne = calculer_moyenne(R2025, Dossier(notes=ponctuelle)).ligne("HG_T")
    assert ligne is not None and (ligne.note, ligne.origine, ligne.regles) == (
        D("11.1"),
        Origine.evaluation_ponctuelle,
        ("R14", "R15"),
    )


def test_r35_handicap_auditif_dispense_de_lvb_coefficient_retire():
    notes = uniforme(R2025, "12")
    del notes["LVB_1"], notes["LVB_T"]
    dispenses = (Dispense(code="LVB_1", motif="handicap_auditif"), Dispense(code="LVB_T", motif="handicap_auditif"))
    decision = premier_groupe(R2025, notes, dispenses=dispenses)
    assert decision.calcul.total_coefficients == 94
    assert decision.mention == "assez_bien"


def test_invariant_calcul_juge_avec_un_autre_reglement_refuse():
    from domain.calcul import InvariantViole

    calcul = calculer_moyenne(R2025, dossier(R2025, uniforme(R2025, "12")))
    with pytest.raises(InvariantViole, match="2025-general-v1"):
        deliberer_premier_groupe(R2026, calcul)


def test_invariant_moyenne_hors_0_20_echoue_bruyamment():
    from domain.calcul import InvariantViole

    calcul = calculer_moyenne(R2025, dossier(R2025, uniforme(R2025, "12")))
    with pytest.raises(InvariantViole, match="hors de"):
        deliberer_premier_groupe(R2025, calcul.model_copy(update={"total_points": D(2500)}))


def test_alias_du_reglement():
    assert (R2026.seuil_admission, R2026.seuil_second_groupe, R2026.max_epreuves_second_groupe) == (10, 8, 2)
    assert (R2026.points_jury_max, R2026.points_jury_interdit_second_groupe) == (50, True)
    assert R2025.regle_options == "moyenne_complete"
