"""The synthetic cohort: profiles reproduce the press release by construction, grades give the planned outcome."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.simulateur.cohorte import admis_pour, planifier, verifier_evolutions
from adapters.simulateur.generateur import tirer_dossier
from adapters.simulateur.profils import ProfilInvalide, charger_profil
from domain.calcul import (
    ContexteJury,
    Dossier,
    NoteCandidat,
    NoteControle,
    Origine,
    Resultat,
    calculer_moyenne,
    deliberer_premier_groupe,
    deliberer_second_groupe,
)
from domain.reglement import charger_reglement
from projections.taux import taux_publie

AIX_2024 = charger_profil("aix-marseille-2024")
AIX_2023 = charger_profil("aix-marseille-2023")
ENSEMBLES = [(c.voie, c.serie) for c in AIX_2024.cellules]


def test_profil_aix_marseille_2024_reprend_les_effectifs_publies() -> None:
    assert AIX_2024.presents == 31_603
    assert {v: p.presents for v, p in AIX_2024.voies.items()} == {
        "general": 17_329,
        "technologique": 6_629,
        "professionnel": 7_645,
    }


def test_R44_R45_chaque_taux_publie_est_reproduit_par_le_plan() -> None:
    for profil in (AIX_2024, AIX_2023):
        plans = {(p.voie, p.serie): p for p in planifier(profil)}
        for c in profil.cellules:
            p = plans[(c.voie, c.serie)]
            assert taux_publie(p.admis_1, p.presents) == c.taux
            assert p.ajourne_1 >= 0 and len(p.issues()) == p.presents + p.absents
        for voie, publie in profil.voies.items():
            admis = sum(p.admis_1 for p in plans.values() if p.voie == voie)
            assert taux_publie(admis, publie.presents) == publie.taux


def test_R46_Q12_le_profil_2023_donne_les_evolutions_publiees() -> None:
    verifier_evolutions(AIX_2024, AIX_2023)  # raises on any difference; S2TMD has no 2023 base (n/a)
    assert next(c for c in AIX_2024.cellules if c.serie == "S2TMD").evolution == "n/a"


def test_R44_un_taux_inatteignable_est_refuse() -> None:
    with pytest.raises(ProfilInvalide, match="R44"):
        admis_pour(3, Decimal("50.0"))  # 1/3 = 33.3 %, 2/3 = 66.7 %: no count gives 50.0 %


def _issue_reelle(reglement: object, dossier: object, options: tuple[str, ...]) -> str:
    """Deliberate the drawn grades with the real rules (R13–R21, R39)."""
    r = reglement
    notes = []
    for code, note in dossier.notes.items():  # type: ignore[attr-defined]
        if dossier.absences.get(code) == "injustifiee":  # type: ignore[attr-defined]
            notes.append(NoteCandidat(code=code, origine=Origine.absence_injustifiee))
        else:
            notes.append(NoteCandidat(code=code, note=note, origine=Origine.epreuve))
    calcul = calculer_moyenne(r, Dossier(notes=tuple(notes), options=options))  # type: ignore[arg-type]
    decision = deliberer_premier_groupe(r, calcul, ContexteJury())  # type: ignore[arg-type]
    if decision.resultat != Resultat.second_groupe:
        return f"{decision.resultat.value}_1"
    controles = tuple(NoteControle(code=c, note=n) for c, n in dossier.controles)  # type: ignore[attr-defined]
    return f"sg_{deliberer_second_groupe(r, decision, controles).resultat.value}"  # type: ignore[arg-type]


ATTENDU = {"admis_1": "admis_1", "ajourne_1": "ajourne_1", "sg_admis": "sg_admis", "sg_ajourne": "sg_ajourne"}


@settings(max_examples=120, deadline=None)
@given(
    graine=st.integers(0, 10**9),
    ensemble=st.sampled_from(ENSEMBLES),
    issue=st.sampled_from(sorted(ATTENDU)),
    absence=st.booleans(),
    option=st.booleans(),
)
def test_les_notes_tirees_donnent_l_issue_prevue_par_les_vraies_regles(
    graine: int, ensemble: tuple[str, str | None], issue: str, absence: bool, option: bool
) -> None:
    voie, serie = ensemble
    reglement = charger_reglement(2024, voie, serie)
    options = ("OPT_LVC_1", "OPT_LVC_T") if option and voie != "professionnel" else ()
    dossier = tirer_dossier(reglement, issue, random.Random(graine), options=options, absence_injustifiee=absence)
    assert _issue_reelle(reglement, dossier, options) == ATTENDU[issue]


def test_un_absent_a_toutes_les_epreuves_n_a_aucune_note() -> None:
    dossier = tirer_dossier(charger_reglement(2024, "general"), "absent", random.Random(1))
    assert all(n is None for n in dossier.notes.values()) and set(dossier.absences.values()) == {"injustifiee"}
