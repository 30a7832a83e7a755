"""Grade entry: the scale (R13), contrôle continu in tenths (R14), origins (R1, R5), independence (R28)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.scenario import Scenario, inscrire, note, ouvrir


@pytest.fixture
def inscrit(scenario: Scenario) -> Scenario:
    return scenario.etant_donne(ouvrir(), inscrire())


def test_note_saisie(inscrit: Scenario) -> None:
    assert inscrit.quand(note("PHILO", 12)) == ["NoteSaisie"]
    assert inscrit.service.candidat("2024-aix-marseille", "00000001").notes["PHILO"].note == 12


def test_r13_note_21_refusee_avant_tout_enregistrement(inscrit: Scenario) -> None:
    with pytest.raises(ValidationError) as erreur:
        inscrit.commande(note("PHILO", 21))
    assert erreur.value.errors()[0]["loc"] == ("saisir_note", "note")


def test_r13_note_negative_refusee(inscrit: Scenario) -> None:
    with pytest.raises(ValidationError):
        inscrit.commande(note("PHILO", -1))


def test_r13_epreuve_terminale_en_points_entiers(inscrit: Scenario) -> None:
    refus = inscrit.refus(note("PHILO", "12.5"))
    assert refus.code == "NOTE_INVALIDE"
    assert "R13" in str(refus.regle)


def test_r13_bornes_0_et_20_acceptees(inscrit: Scenario) -> None:
    assert inscrit.quand(note("PHILO", 0)) == ["NoteSaisie"]
    assert inscrit.quand(note("SPE1", 20)) == ["NoteSaisie"]


def test_r13_absence_injustifiee_enregistree_sans_note(inscrit: Scenario) -> None:
    assert inscrit.quand(note("PHILO", None, absence="injustifiee")) == ["NoteSaisie"]
    enregistree = inscrit.service.candidat("2024-aix-marseille", "00000001").notes["PHILO"]
    assert enregistree.note is None and enregistree.absence == "injustifiee"


def test_r13_note_ou_absence_pas_les_deux(inscrit: Scenario) -> None:
    with pytest.raises(ValidationError, match="R13"):
        inscrit.commande(note("PHILO", 12, absence="justifiee"))
    with pytest.raises(ValidationError, match="R13"):
        inscrit.commande(note("PHILO", None))


def test_r14_controle_continu_en_centiemes_accepte(inscrit: Scenario) -> None:
    assert inscrit.quand(note("HG_1", "11.26", origine="controle_continu")) == ["NoteSaisie"]


def test_epreuve_inconnue_pour_la_voie_refusee(inscrit: Scenario) -> None:
    # MATHS_T is a contrôle-continu subject of the bac technologique (R11), not of the général (R4).
    refus = inscrit.refus(note("MATHS_T", 12, origine="controle_continu"))
    assert refus.code == "EPREUVE_INCONNUE"


def test_candidat_inconnu_refuse(inscrit: Scenario) -> None:
    refus = inscrit.refus(note("PHILO", 12, numero="00000999"))
    assert refus.code == "INTROUVABLE"
    assert "00000999" in refus.message


def test_note_deja_saisie_jamais_ecrasee(inscrit: Scenario) -> None:
    inscrit.etant_donne(note("PHILO", 12))
    assert inscrit.refus(note("PHILO", 14)).code == "NOTE_DEJA_SAISIE"
    assert inscrit.service.candidat("2024-aix-marseille", "00000001").notes["PHILO"].note == 12


def test_r1_une_matiere_de_controle_continu_n_a_pas_d_epreuve_terminale(inscrit: Scenario) -> None:
    assert inscrit.refus(note("HG_T", 12, origine="epreuve_terminale")).code == "ORIGINE_INVALIDE"
    assert inscrit.refus(note("PHILO", 12, origine="controle_continu")).code == "ORIGINE_INVALIDE"


def test_r5_candidat_individuel_passe_des_evaluations_ponctuelles(scenario: Scenario) -> None:
    scenario.etant_donne(ouvrir(), inscrire(categorie="individuel"))
    assert scenario.refus(note("HG_T", "12.5", origine="controle_continu")).regle == "R5"
    assert scenario.quand(note("HG_T", "12.5", origine="evaluation_ponctuelle")) == ["NoteSaisie"]


def test_r28_correcteur_de_son_propre_etablissement_refuse(inscrit: Scenario) -> None:
    correcteur = {"identifiant": "prof-42", "etablissement": "0130001A"}
    refus = inscrit.refus(note("PHILO", 12, correcteur=correcteur))
    assert refus.code == "CORRECTEUR_NON_INDEPENDANT"
    assert "R28" in str(refus.regle)
    autre = {"identifiant": "prof-43", "etablissement": "0060002B"}
    assert inscrit.quand(note("PHILO", 12, correcteur=autre)) == ["NoteSaisie"]


def test_r6_option_non_choisie_refusee(inscrit: Scenario) -> None:
    assert inscrit.refus(note("OPT_LATIN_T", "15.2", origine="controle_continu")).code == "OPTION_NON_CHOISIE"


def test_session_close_refuse_les_notes(inscrit: Scenario) -> None:
    inscrit.etant_donne({"type": "clore_session", "session": "2024-aix-marseille"})
    assert inscrit.refus(note("PHILO", 12)).code == "SESSION_CLOSE"


def releve(*notes: dict[str, object], numero: str = "00000001") -> dict[str, object]:
    return {"type": "saisir_notes", "session": "2024-aix-marseille", "numero": numero, "notes": list(notes)}


def ligne(epreuve: str, valeur: object, origine: str = "controle_continu") -> dict[str, object]:
    return {"epreuve": epreuve, "note": str(valeur), "origine": origine, "source": "livret_scolaire"}


def test_releve_une_note_saisie_par_epreuve(inscrit: Scenario) -> None:
    assert (
        inscrit.quand(releve(ligne("HG_1", "11.26"), ligne("HG_T", 12), ligne("PHILO", 9, "epreuve_terminale")))
        == ["NoteSaisie"] * 3
    )


def test_releve_refuse_en_entier_si_une_note_est_refusee(inscrit: Scenario) -> None:
    # R13: the third grade is not in whole points; none of the three is stored.
    refus = inscrit.refus(releve(ligne("HG_1", 11), ligne("HG_T", 12), ligne("PHILO", "9.5", "epreuve_terminale")))
    assert refus.code == "NOTE_INVALIDE"
    assert inscrit.service.candidat("2024-aix-marseille", "00000001").notes == {}


def test_releve_avec_une_epreuve_en_double_refuse(inscrit: Scenario) -> None:
    with pytest.raises(ValidationError, match="deux fois"):
        inscrit.commande(releve(ligne("HG_1", 11), ligne("HG_1", 12)))


def test_releve_note_hors_bareme_nomme_la_regle() -> None:
    from adapters.lots.erreurs_validation import traduire
    from domain.commandes import COMMANDE

    with pytest.raises(ValidationError) as erreur:
        COMMANDE.validate_python({"acteur": "t", "role": "gestionnaire", **releve(ligne("HG_1", 25))})
    ((champ, message, regle),) = traduire(erreur.value)
    assert champ == "notes.0.note" and "20" in message and "R13" in str(regle)
