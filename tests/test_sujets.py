"""Stored event names are the audit record's contract (ADR 0002): pinned here.

If this test fails because a class moved or was renamed, register the old topic with
``eventsourcing.utils.register_topic`` in the same commit, so that old events still read.
"""

from __future__ import annotations

from domain.evenements import sujets

SUJETS_ENREGISTRES = {
    "SessionOuverte": "domain.session:Session.SessionOuverte",
    "InscriptionsCloses": "domain.session:Session.InscriptionsCloses",
    "SessionClose": "domain.session:Session.SessionClose",
    "InscriptionAnnuelleEnregistrée": "domain.inscription_annuelle:InscriptionAnnuelle.InscriptionAnnuelleEnregistrée",
    "Inscrit": "domain.candidat:Candidate.Inscrit",
    "NoteSaisie": "domain.candidat:Candidate.NoteSaisie",
    "AffectéAuJury": "domain.candidat:Candidate.AffectéAuJury",
    "JuryConstitué": "domain.jury:Jury.JuryConstitué",
    "CandidatsAffectés": "domain.jury:Jury.CandidatsAffectés",
    "GroupeDélibéré": "domain.jury:Jury.GroupeDélibéré",
    "LivretExaminé": "domain.candidat:Candidate.LivretExaminé",
    "PointsJuryAttribués": "domain.candidat:Candidate.PointsJuryAttribués",
    "Délibéré": "domain.candidat:Candidate.Délibéré",
    "ChoixContrôleEnregistré": "domain.candidat:Candidate.ChoixContrôleEnregistré",
    "ContrôlePassé": "domain.candidat:Candidate.ContrôlePassé",
    "NoteConservée": "domain.candidat:Candidate.NoteConservée",
    "ConservationRenoncée": "domain.candidat:Candidate.ConservationRenoncée",
    "RemplacementAutorisé": "domain.candidat:Candidate.RemplacementAutorisé",
    "NoteCorrigée": "domain.candidat:Candidate.NoteCorrigée",
    "NoteHarmonisée": "domain.candidat:Candidate.NoteHarmonisée",
    "NotesHarmonisées": "domain.session:Session.NotesHarmonisées",
    "ListePubliée": "domain.session:Session.ListePubliée",  # R57, ADR 0024
    "RecoursDéposé": "domain.candidat:Candidate.RecoursDéposé",
    "RecoursTranché": "domain.candidat:Candidate.RecoursTranché",
    "InspectionMenée": "domain.candidat:Candidate.InspectionMenée",
    # Issue 13 (ADR 0019): declared on the `ActesResultats` base that `Candidate` inherits.
    "AbsentAuContrôle": "domain.candidat_resultats:ActesResultats.AbsentAuContrôle",
    "ChoixContrôleModifié": "domain.candidat_resultats:ActesResultats.ChoixContrôleModifié",
    "ContrôleCorrigé": "domain.candidat_resultats:ActesResultats.ContrôleCorrigé",
    "NoteConservéeCorrigée": "domain.candidat_resultats:ActesResultats.NoteConservéeCorrigée",
    "FélicitationsRefusées": "domain.candidat_resultats:ActesResultats.FélicitationsRefusées",
    "MentionPrivée": "domain.candidat_resultats:ActesResultats.MentionPrivée",
    "IdentitéEffacée": "domain.candidat_identite:ActesIdentite.IdentitéEffacée",
    "ConsentementModifié": "domain.candidat_resultats:ActesResultats.ConsentementModifié",  # R57, ADR 0024
    "RegistreAccèsOuvert": "domain.acces:RegistreAcces.RegistreAccèsOuvert",  # R55, ADR 0024
    "AccèsCommuniqué": "domain.acces:RegistreAcces.AccèsCommuniqué",
    "ActeurEnregistré": "domain.habilitation:Habilitation.ActeurEnregistré",
    "HabilitationAccordée": "domain.habilitation:Habilitation.HabilitationAccordée",
    "HabilitationRetirée": "domain.habilitation:Habilitation.HabilitationRetirée",
    "JetonÉmis": "domain.habilitation:Habilitation.JetonÉmis",
    "ActeScellé": "domain.sceau:Sceau.ActeScellé",
    "DocumentÉmis": "domain.document:Document.DocumentÉmis",
}


def test_les_sujets_stockes_ne_changent_pas() -> None:
    actuels = sujets()
    for nom, sujet in SUJETS_ENREGISTRES.items():
        assert actuels.get(nom) == sujet, f"{nom} : sujet stocké {sujet!r} devenu {actuels.get(nom)!r}"


def test_tout_evenement_a_un_sujet_epingle() -> None:
    nouveaux = set(sujets()) - set(SUJETS_ENREGISTRES)
    assert not nouveaux, f"épingler le sujet de : {sorted(nouveaux)}"


def test_noms_du_domaine_en_nfc() -> None:
    import unicodedata

    for nom in sujets():
        assert unicodedata.normalize("NFC", nom) == nom
