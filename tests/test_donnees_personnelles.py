"""Personal data (R56, ADR 0023), on the in-memory store: the identity is encrypted in the log and its erasure is an
act — given past commands, when `effacer_identite`, then `IdentitéEffacée` or a refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from adapters.application.service import ServiceRegistre
from adapters.stockage.cles import CleInvalide
from domain import ids
from domain.donnees_personnelles import DUREES_CONSERVATION, echeance
from domain.evenements import Inscrit
from domain.valeurs import IdentiteEffacee
from tests.scenario import SESSION, Scenario, affecter, constituer_jury, deliberer, inscrire, notes_completes, ouvrir

NUMEROS = ("00000001", "00000002", "00000003")


def identite(numero: str) -> dict[str, Any]:
    """A name and INE found nowhere else, so that a search of the stored bytes means something."""
    return {"ine": f"{int(numero):07d}ZQXW", "nom": f"Quenouillard{numero[-1]}", "prenom": "Hermeline",
            "date_naissance": "2006-03-17"}  # fmt: skip


def effacer(numero: str = "00000002", **autres: Any) -> dict[str, Any]:
    return {"type": "effacer_identite", "session": SESSION, "numero": numero, "regle": "R56-identite",
            "raison": "Durée de conservation échue (R56)", **autres}  # fmt: skip


def session_deliberee(s: Scenario) -> None:
    s.etant_donne(
        ouvrir(),
        *(inscrire(n, identite=identite(n)) for n in NUMEROS),
        constituer_jury(),
        affecter(*NUMEROS),
        *notes_completes("00000001", 15),
        *notes_completes("00000002", 12, PHILO=16),
        *notes_completes("00000003", 7),
        deliberer(1),
    )


@pytest.fixture
def s() -> Any:
    scenario = Scenario("memoire://")
    session_deliberee(scenario)
    yield scenario
    scenario.fermer()


def _etat_stocke(service: ServiceRegistre, topic: str, agregat: Any) -> dict[str, Any]:
    (stocke,) = [e for e in service.registre.recorder.select_events(agregat) if e.topic == topic]
    return dict(orjson.loads(stocke.state))


def test_l_identite_n_est_pas_en_clair_dans_le_journal(s: Scenario) -> None:
    service = s.service
    cid = ids.candidat_id(SESSION, "00000002")
    etat = _etat_stocke(service, _sujet(Inscrit), cid)
    assert set(etat["identite"]) == {"chiffre", "cle", "alg"} and etat["identite"]["cle"] == cid.hex
    annuelle = ids.inscription_annuelle_id(2024, identite("00000002")["ine"])
    etat_annuel = _etat_stocke(service, _sujet_annuel(), annuelle)
    assert set(etat_annuel["ine"]) == {"chiffre", "cle", "alg"}  # R36's yearly index: the INE is not in clear
    assert etat_annuel["ine"]["cle"] == cid.hex  # the candidate's own key: erased with him
    # Read back through the codec, the person is there.
    assert service.candidat(SESSION, "00000002").identite.nom == "Quenouillard2"  # type: ignore[union-attr]


def _sujet(classe: type) -> str:
    from eventsourcing.utils import get_topic

    return get_topic(classe)


def _sujet_annuel() -> str:
    from domain.evenements import InscriptionAnnuelleEnregistree

    return _sujet(InscriptionAnnuelleEnregistree)


def test_r56_effacer_une_identite_garde_notes_decision_et_rejeu(s: Scenario) -> None:
    service = s.service
    avant = service.decision(SESSION, "00000002")
    notes_avant = {k: n.note for k, n in service.candidat(SESSION, "00000002").notes.items()}

    assert s.quand(effacer()) == ["IdentitéEffacée"]

    candidat = service.candidat(SESSION, "00000002")
    assert candidat.identite == IdentiteEffacee() and candidat.identite_effacee
    assert {k: n.note for k, n in candidat.notes.items()} == notes_avant
    apres = service.decision(SESSION, "00000002")
    assert (apres.decision, apres.moyenne, apres.rejeu) == (avant.decision, avant.moyenne, "identique")
    # The Inscrit itself now reads as erased; the other candidates keep theirs.
    premier = next(iter(service.registre.evenements_de(ids.candidat_id(SESSION, "00000002"))))
    assert premier.identite == IdentiteEffacee()
    assert service.candidat(SESSION, "00000003").identite.nom == "Quenouillard3"  # type: ignore[union-attr]
    # The act says who, why and under which rule; the history shows the identity as erased, never a name.
    historique = service.historique(SESSION, "00000002")
    assert historique[0].details["identite"] == "identité effacée"
    dernier = historique[-1]
    assert (dernier.evenement, dernier.details["regle"], dernier.role) == ("IdentitéEffacée", "R56-identite",
                                                                          "service_examens")  # fmt: skip
    assert dernier.raison == "Durée de conservation échue (R56)"
    assert "Quenouillard2" not in repr(historique)
    rapport = service.verifier()
    assert rapport.valide, rapport.defauts
    assert any("1 identité(s) effacée(s)" in r for r in rapport.remarques)


def test_r56_un_second_effacement_est_refuse(s: Scenario) -> None:
    s.executer(effacer())
    assert s.refus(effacer()).code == "DEJA_EFFACEE"


def test_r56_effacer_un_candidat_inconnu_est_refuse(s: Scenario) -> None:
    assert s.refus(effacer("00000099")).code == "INTROUVABLE"


def test_r56_effacer_sans_raison_ou_dans_un_role_non_habilite_est_refuse(s: Scenario) -> None:
    from pydantic import ValidationError

    from domain.errors import NonHabilite

    with pytest.raises(ValidationError, match="raison"):
        s.commande({k: v for k, v in effacer().items() if k != "raison"})
    commande = s.commande(effacer(acteur="corr-1", role="correcteur"))
    principal = s.habilitations.principal("corr-1", "correcteur")
    with pytest.raises(NonHabilite):
        s.service.executer(commande, principal)
    assert not s.service.candidat(SESSION, "00000002").identite_effacee


def test_r32_garder_ses_notes_est_refuse_une_fois_l_identite_effacee(s: Scenario) -> None:
    s.executer(effacer("00000003"))
    suivante = "2025-aix-marseille"
    s.etant_donne(ouvrir(suivante), inscrire("00000007", session=suivante, identite=identite("00000003")))
    refus = s.refus({"type": "conserver_notes", "session": suivante, "numero": "00000007",
                     "session_origine": SESSION, "numero_origine": "00000003", "epreuves": ["PHILO"]})  # fmt: skip
    assert "Identité effacée" in refus.message


def test_attaque_une_cle_reecrite_est_detectee(s: Scenario) -> None:
    """A key row replaced by another key: AES-GCM's tag fails, the read says "clé invalide", `verifier` reports it."""
    service = s.service
    cid = ids.candidat_id(SESSION, "00000001").hex
    enregistreur: Any = service.registre.recorder
    enregistreur._cles[cid] = bytes(32)
    service.registre.coffre._cache.clear()
    service.registre.coffre._charge_le = None
    service.registre.memoire.clear()
    with pytest.raises(CleInvalide, match="Clé invalide"):
        service.candidat(SESSION, "00000001")
    rapport = service.verifier()
    assert not rapport.valide
    assert [d.nature for d in rapport.defauts] == ["cle_invalide"] * 2  # the Inscrit and the yearly index


def test_attaque_un_chiffre_deplace_sur_un_autre_candidat_ne_s_ouvre_pas() -> None:
    """The aggregate id and topic are the associated data: a ciphertext moved to another record does not open."""
    from adapters.stockage import cles

    cle = bytes(range(32))
    chiffre = cles.chiffrer(cle, b'{"nom":"x"}', cles.donnees_associees("a", "t"))
    assert cles.dechiffrer(cle, chiffre, cles.donnees_associees("a", "t"), cle_id="k") == b'{"nom":"x"}'
    with pytest.raises(CleInvalide):
        cles.dechiffrer(cle, chiffre, cles.donnees_associees("b", "t"), cle_id="k")


def test_r56_les_durees_sont_des_donnees_et_l_inconfirmee_le_dit() -> None:
    duree = DUREES_CONSERVATION["R56-identite"]
    assert not duree.confirme and "[U]" in duree.source  # REGLEMENT R56: registration data's period is [U]
    assert DUREES_CONSERVATION["R56-lsl"].confirme
    assert echeance(2024, duree) == date(2030, 1, 1)  # 60 months from 1 January 2025
    assert echeance(2024, DUREES_CONSERVATION["R56-lsl"]) == date(2025, 9, 1)


def test_r56_la_retention_liste_puis_efface_chaque_candidat_par_son_acte(s: Scenario) -> None:
    service = s.service
    principal = s.habilitations.principal("test", "service_examens")
    assert service.retention(principal, aujourd_hui=date(2031, 1, 1), regle="R56-identite").echues == []  # open
    s.executer({"type": "clore_session", "session": SESSION})
    assert service.retention(principal, aujourd_hui=date(2029, 12, 31), regle="R56-identite").echues == []
    s.executer(effacer("00000001"))
    essai = service.retention(principal, aujourd_hui=date(2030, 1, 1), regle="R56-identite")
    assert [e["numero"] for e in essai.echues] == ["00000002", "00000003"] and essai.effaces == 0
    assert not service.candidat(SESSION, "00000002").identite_effacee  # a dry run erases nothing
    fait = service.retention(principal, aujourd_hui=date(2030, 1, 1), regle="R56-identite", appliquer=True)
    assert fait.effaces == 2
    assert all(service.candidat(SESSION, n).identite_effacee for n in NUMEROS)
    dernier = service.historique(SESSION, "00000003")[-1]
    assert dernier.details["regle"] == "R56-identite" and "échue le 2030-01-01" in (dernier.raison or "")
    assert service.retention(principal, aujourd_hui=date(2030, 1, 1), regle="R56-identite").echues == []
    assert service.verifier().valide
    with pytest.raises(Exception, match="Durée de conservation inconnue"):
        service.retention(principal, aujourd_hui=date(2030, 1, 1), regle="R99")


def test_rejouer_le_journal_lit_les_cles_en_une_requete(s: Scenario) -> None:
    """A replay of every candidate costs one query for the keys, not one per event (the vault's bulk load)."""
    registre = s.service.registre
    enregistreur: Any = registre.recorder
    lectures: list[Any] = []
    lire = enregistreur.lire_cles
    enregistreur.lire_cles = lambda cle_ids: lectures.append(cle_ids) or lire(cle_ids)
    registre.coffre._cache.clear()
    registre.coffre._charge_le = None
    registre.memoire.clear()
    s.service.reconstruire()
    for numero in NUMEROS:
        s.service.historique(SESSION, numero)
    assert lectures == [None]  # one bulk load; then every identity is opened from memory


def test_r56_le_releve_d_une_identite_effacee_le_dit_et_garde_les_notes(s: Scenario) -> None:
    from adapters.application.documents import ServiceDocuments

    documents = ServiceDocuments(s.service)
    avant = documents.emettre("releve", SESSION, numero="00000002", acteur="test", role="service_examens").html()
    assert "Quenouillard2" in avant and "0000002ZQXW" in avant
    s.executer(effacer())
    apres = documents.emettre("releve", SESSION, numero="00000002", acteur="test", role="service_examens").html()
    assert "identité effacée" in apres
    assert "Quenouillard2" not in apres and "0000002ZQXW" not in apres and "Hermeline" not in apres
    assert '(PHILO)</th><td>épreuve</td><td class="n">16</td>' in apres  # the grade is still printed


def test_la_fin_de_la_demo_efface_une_identite_et_montre_que_la_preuve_tient(s: Scenario) -> None:
    from adapters.simulateur.demo import _effacer_une_identite

    class Acteurs:
        def principal(self, acteur: str) -> Any:
            return s.habilitations.principal(acteur, "service_examens")

    dit: list[str] = []
    _effacer_une_identite(s.service, Acteurs(), "00000002", lambda m: dit.append(str(m)))  # type: ignore[arg-type]
    texte = "\n".join(dit)
    assert "identité effacée" in texte and "rejeu identique" in texte
    tenues, sur = texte.split("  ")[1].split(" événements")[0].split(" de ses ")
    assert int(tenues) == int(sur) > 0  # every proof of before still holds
    assert s.service.candidat(SESSION, "00000002").identite_effacee


def test_r56_une_attestation_delivree_avant_l_effacement_reste_authentique(s: Scenario) -> None:
    """Its hash printed the name; the anonymous hash recorded at issue tells "still in force" from "replaced"."""
    from adapters.application.documents import ServiceDocuments

    documents = ServiceDocuments(s.service)
    papier = documents.emettre("releve", SESSION, numero="00000002", acteur="test", role="service_examens")
    code = papier.impression.code
    assert documents.verifier(code).statut == "authentique"
    s.executer(effacer())
    verification = documents.verifier(code)
    assert verification.statut == "authentique", verification
    assert "Quenouillard2" not in repr(verification)  # the public answer shows nothing of the person
