"""R57 (ADR 0024): consent to publication at inscription (default: none), its change, and the published lists of
admitted candidates — CSV, PDF, the public page — holding the consenting admitted and nothing of their grades."""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import update

from adapters.application.service import ServiceRegistre
from adapters.http.app import creer_app
from adapters.http.dependances import service as service_http
from adapters.pages.connexion import pages_du_registre
from adapters.publication import resultats
from domain import ids
from domain.calcul import Resultat
from domain.commandes import COMMANDE
from domain.errors import DejaFait, NonHabilite
from domain.evenements import ConsentementModifie, Inscrit, ListePubliee
from domain.publication_resultats import CandidatAPublier, LignePubliee, issue_a_l_etape, liste_publiee
from projections.tables import statistiques_candidats
from tests.scenario import (
    SESSION,
    affecter,
    constituer_jury,
    deliberer,
    executer_comme,
    habilitations,
    inscrire,
    jeton_pour,
    notes_completes,
    ouvrir,
)

# numéro → (nom, prénom, consent at inscription); outcomes: 1 admis (1er groupe), 2 admis au second groupe,
# 3 ajourné, 4 admis without consent, 5 admis whose consent is withdrawn before publication.
COHORTE = {
    "00000001": ("Martin", "Léa", True),
    "00000002": ("Dupont", "Hugo", True),
    "00000003": ("Bernard", "Inès", True),
    "00000004": ("Petit", "Noé", False),
    "00000005": ("=HYPERLINK(1)", "Zoé", True),
}
NOTES = {"00000001": 15, "00000002": 9, "00000003": 7, "00000004": 15, "00000005": 14}


def _inscription(numero: str) -> dict[str, Any]:
    nom, prenom, consent = COHORTE[numero]
    commande = inscrire(numero, consentement_publication=consent)
    commande["identite"] = {**commande["identite"], "nom": nom, "prenom": prenom}
    return commande


def retrait(numero: str, consentement: bool = False, **autres: Any) -> dict[str, Any]:
    return {"type": "modifier_consentement", "session": SESSION, "numero": numero, "consentement": consentement,
            "raison": "Demande écrite du représentant légal", **autres}  # fmt: skip


def peupler(service: ServiceRegistre) -> None:
    commandes = [ouvrir(), *(_inscription(n) for n in COHORTE), constituer_jury(), affecter(*COHORTE)]
    for numero, base in NOTES.items():
        commandes += notes_completes(numero, base, **({"PHILO": 5, "SPE2": 6, "GRAND_ORAL": 18, "EMC_1": 11}
                                                      if numero == "00000002" else {}))  # fmt: skip
    commandes += [
        deliberer(1),
        {"type": "choisir_controle", "session": SESSION, "numero": "00000002", "epreuves": ["PHILO", "SPE2"]},
        {"type": "saisir_controle", "session": SESSION, "numero": "00000002", "epreuve": "PHILO", "note": "11"},
        {"type": "saisir_controle", "session": SESSION, "numero": "00000002", "epreuve": "SPE2", "note": "10"},
        deliberer(2),
        retrait("00000005"),
    ]
    for donnees in commandes:
        executer_comme(service, donnees)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServiceRegistre, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('publication')}/registre.db"
    with ServiceRegistre(url) as service:
        peupler(service)
        yield service, url


def test_r57_attaque_une_ligne_de_vue_reecrite_ne_publie_pas_un_ajourne(tmp_path: Any) -> None:
    """A read-model row rewritten by hand (Bernard, ajourné but consenting, set to "admis"): the list reads each
    outcome again from the candidate's own events, so he stays off it."""
    url = f"sqlite:///{tmp_path}/registre.db"
    with ServiceRegistre(url) as service:
        peupler(service)
        bernard = str(service.candidat(SESSION, "00000003").id)
        with service.moteur.begin() as connexion:
            t = statistiques_candidats
            change = connexion.execute(
                update(t).where(t.c.candidat_id == bernard).values(issue_provisoire="admis", issue_finale="admis")
            )
            assert change.rowcount == 1
    with ServiceRegistre(url) as relu:
        for etape in ("provisoire", "final"):
            assert "Bernard" not in [a.nom for a in relu.liste_publique(SESSION, etape).admis]
        assert [a.nom for a in relu.liste_publique(SESSION, "final").admis] == ["Dupont", "Martin"]


def lecteur(service: ServiceRegistre, role: str = "service_examens", session: str = SESSION) -> Any:
    return habilitations(service).principal(f"lecteur-{role}-{session[5:]}", role, session)


# --- The consent, at inscription and after (R57) ----------------------------------------------------------------


def test_r57_sans_reponse_a_l_inscription_pas_de_publication(scenario: Any) -> None:
    scenario.etant_donne(ouvrir())
    evenements = executer_comme(scenario.service, inscrire("00000009"))
    inscrit = next(e for e in evenements if isinstance(e, Inscrit))
    assert inscrit.consentement_publication is False
    assert scenario.service.candidat(SESSION, "00000009").consentement_publication is False


def test_r57_un_inscrit_ecrit_avant_le_champ_se_lit_sans_consentement() -> None:
    # An `Inscrit` as older code stored it: no consent field at all. It must read, as "no publication".
    brut = next(e for e in executer_comme_brut() if isinstance(e, Inscrit))
    ancien = brut.model_dump()
    del ancien["consentement_publication"]
    assert Inscrit.model_validate(ancien).consentement_publication is False


def test_r57_le_journal_ancien_se_lit_sans_consentement_et_ne_publie_personne(tmp_path: Any) -> None:
    """The log written by older code (tests/fixtures/journal_a5dbe83.db): its admitted candidates stay off."""
    copie = tmp_path / "ancien.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "journal_a5dbe83.db", copie)
    with ServiceRegistre(f"sqlite:///{copie}") as service:
        service.rattraper()
        etats = [e for e in service.etats(SESSION) if e["decision"] == "admis"]
        assert etats, "the old log has admitted candidates"
        assert not service.candidat(SESSION, etats[0]["numero"]).consentement_publication
        assert service.liste_publique(SESSION, "final").admis == ()


def executer_comme_brut() -> list[Any]:
    with ServiceRegistre("memoire://") as service:
        executer_comme(service, ouvrir())
        return executer_comme(service, inscrire("00000008", consentement_publication=True))


def test_r57_un_correcteur_ne_change_pas_le_consentement_et_rien_n_est_ecrit(scenario: Any) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000001"))
    correcteur = habilitations(scenario.service).principal("corr-1", "correcteur")
    avant = scenario.taille_journal()
    commande = COMMANDE.validate_python(retrait("00000001", True, acteur="corr-1", role="correcteur"))
    with pytest.raises(NonHabilite) as refus:
        scenario.service.executer(commande, correcteur)
    assert refus.value.regle == "R26"
    assert scenario.taille_journal() == avant
    assert scenario.service.candidat(SESSION, "00000001").consentement_publication is False


def test_r57_attaque_un_corps_qui_nomme_un_autre_acteur_est_refuse(scenario: Any) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000001"))
    dec = habilitations(scenario.service).principal("dec-aix", "service_examens")
    avant = scenario.taille_journal()
    usurpe = COMMANDE.validate_python(retrait("00000001", True, acteur="famille-du-candidat"))
    with pytest.raises(NonHabilite) as refus:
        scenario.service.executer(usurpe, dec)
    assert refus.value.code == "ACTEUR_USURPE" and scenario.taille_journal() == avant


def test_r57_le_consentement_se_donne_et_se_retire_motive_une_fois(scenario: Any) -> None:
    scenario.etant_donne(ouvrir(), inscrire("00000001"))
    assert scenario.quand(retrait("00000001", True)) == ["ConsentementModifié"]
    assert scenario.service.candidat(SESSION, "00000001").consentement_publication is True
    refus = scenario.refus(retrait("00000001", True))
    assert isinstance(refus, DejaFait) and (refus.code, refus.regle) == ("CONSENTEMENT_INCHANGE", "R57")
    assert scenario.quand(retrait("00000001", False)) == ["ConsentementModifié"]
    with pytest.raises(ValidationError, match="R57"):
        COMMANDE.validate_python({**retrait("00000001", True), "raison": None})


# --- The list (R57): exactly the consenting admitted, never a grade ---------------------------------------------


def test_r57_liste_provisoire_et_finale(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    assert [(a.nom, a.prenom) for a in service.liste_publique(SESSION, "provisoire").admis] == [("Martin", "Léa")]
    finale = service.liste_publique(SESSION, "final")
    # 2 admitted at the second groupe joins; 3 ajourné, 4 without consent, 5 withdrawn: absent.
    assert [(a.nom, a.prenom) for a in finale.admis] == [("Dupont", "Hugo"), ("Martin", "Léa")]
    assert any(isinstance(e, ConsentementModifie) for e in service.registre.evenements_de(
        service.candidat(SESSION, "00000005").id))  # fmt: skip


def test_r57_le_csv_ne_porte_ni_note_ni_mention_ni_numero(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    contenu = resultats.csv(service.publication(SESSION, "final", lecteur(service)))
    assert contenu.startswith("\ufeff".encode())
    lignes = contenu.decode("utf-8-sig").split("\r\n")
    assert lignes[0] == "nom;prenom;resultat;academie;session"
    assert lignes[1:] == ["Dupont;Hugo;admis;aix-marseille;2024-aix-marseille",
                          "Martin;Léa;admis;aix-marseille;2024-aix-marseille", ""]  # fmt: skip
    for interdit in ("bien", "mention", "0000000", "15", "10,", "Petit", "Bernard", "HYPERLINK"):
        assert interdit not in contenu.decode("utf-8-sig")


def test_r57_le_pdf_porte_les_noms_et_la_mention_sans_notes(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    liste = service.publication(SESSION, "final", lecteur(service))
    octets = resultats.pdf(liste)
    assert octets == resultats.pdf(liste)  # same list, same bytes
    texte = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(octets)).pages)
    assert "Martin" in texte and "Dupont" in texte and "sans notes ni mentions (R57)" in texte
    for interdit in ("Petit", "Bernard", "HYPERLINK", "Bien", "00000001", "15,"):
        assert interdit not in texte


@pytest.mark.parametrize(("role", "session"), [("correcteur", SESSION), ("auditeur", SESSION),
                                              ("service_examens", "2024-nice")])  # fmt: skip
def test_r57_seul_le_service_des_examens_de_l_academie_transmet_et_un_refus_n_ecrit_rien(
    base: tuple[ServiceRegistre, str], role: str, session: str
) -> None:
    service, _ = base
    qui = lecteur(service, role, session)
    avant = service.registre.borne()
    with pytest.raises(NonHabilite) as refus:
        service.publication(SESSION, "final", qui)
    assert (refus.value.regle, refus.value.code) == ("R57", "PUBLICATION_NON_HABILITEE")
    assert service.registre.borne() == avant


def test_r57_chaque_transmission_est_un_acte_avec_l_empreinte_des_noms(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    dec = lecteur(service)
    service.publication(SESSION, "final", dec, format="csv")
    service.publication(SESSION, "final", dec, format="pdf")
    publiees = [e for e in service.registre.evenements_de(ids.session_id(SESSION)) if isinstance(e, ListePubliee)]
    csv_, pdf_ = publiees[-2:]
    assert (csv_.format, pdf_.format, csv_.etape, csv_.nombre) == ("csv", "pdf", "final", 2)
    assert csv_.empreinte == pdf_.empreinte  # the same names, whatever the format
    assert csv_.acte.acteur == dec.acteur and csv_.acte.role == "service_examens"
    assert service.verifier().valide


# --- Doors: the public page, the authenticated export -----------------------------------------------------------


@pytest.fixture(scope="module")
def client(base: tuple[ServiceRegistre, str]) -> Iterator[TestClient]:
    _, url = base
    with TestClient(creer_app(url, routeurs=pages_du_registre(service_http), taille=2)) as c:
        yield c


def test_r57_page_publique_sans_jeton_dit_admis_et_rien_d_autre(client: TestClient) -> None:
    r = client.get(f"/resultats/{SESSION}", params={"etape": "final", "nom": "martin lé"})
    assert r.status_code == 200 and "Martin" in r.text and "admis" in r.text
    # An ajourné and an admitted candidate without consent get the very same page: nothing tells them apart.
    ajourne = client.get(f"/resultats/{SESSION}", params={"etape": "final", "nom": "Bernard"}).text
    sans_consentement = client.get(f"/resultats/{SESSION}", params={"etape": "final", "nom": "Petit"}).text
    assert 'id="aucun"' in ajourne
    assert ajourne.replace("Bernard", "X") == sans_consentement.replace("Petit", "X")
    for page in (r.text, ajourne):
        assert "Moyenne" not in page and "mention bien" not in page.lower() and "00000001" not in page


def test_page_publique_entrees_bornees(client: TestClient) -> None:
    assert client.get("/resultats/pas-une-session").status_code == 404
    assert client.get(f"/resultats/{SESSION}", params={"etape": "tout"}).status_code in (400, 409, 422)
    r = client.get(f"/resultats/{SESSION}", params={"nom": "a" * 200})
    assert r.status_code == 200 and "a" * 61 not in r.text


def test_r57_export_http_authentifie(client: TestClient, base: tuple[ServiceRegistre, str]) -> None:
    _, url = base
    chemin = f"/sessions/{SESSION}/publication"
    assert client.get(chemin).status_code == 401
    jeton = jeton_pour(url, "dec-aix-export", "service_examens")
    r = client.get(chemin, params={"etape": "final"}, headers={"Authorization": f"Bearer {jeton}"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "Martin;Léa;admis" in r.content.decode("utf-8-sig")
    r = client.get(chemin, params={"format": "pdf"}, headers={"Authorization": f"Bearer {jeton}"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    ailleurs = jeton_pour(url, "dec-nice-export", "service_examens", "2024-nice")
    assert client.get(chemin, headers={"Authorization": f"Bearer {ailleurs}"}).status_code == 403


# --- Property (R57): over random cohorts, the list is exactly the consenting admitted, and holds no grade -------

ISSUES = st.sampled_from([None, *(r.value for r in Resultat)])
NOMS = st.text(alphabet=st.characters(categories=("L", "Zs", "Pd")), min_size=1, max_size=12)
CANDIDATS = st.lists(st.builds(CandidatAPublier, nom=NOMS, prenom=NOMS, consentement=st.booleans(), issue=ISSUES),
                     max_size=40)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(CANDIDATS)
def test_r57_propriete_la_liste_est_exactement_les_admis_consentants(candidats: list[CandidatAPublier]) -> None:
    liste = liste_publiee(candidats)
    attendus = sorted((c.nom, c.prenom) for c in candidats if c.consentement and c.issue == "admis")
    assert sorted((ligne.nom, ligne.prenom) for ligne in liste) == attendus
    assert set(LignePubliee.model_fields) == {"nom", "prenom"}  # nothing else can be printed
    vue = resultats.vue_liste(SESSION, "final", liste, None)
    lignes = resultats.csv(vue).decode("utf-8-sig").split("\r\n")[1:-1]
    assert len(lignes) == len(attendus)


def test_r45_r47_l_issue_de_chaque_etape() -> None:
    assert issue_a_l_etape([], "final") is None
    assert issue_a_l_etape([(1, "second_groupe"), (2, "admis")], "provisoire") == "second_groupe"
    assert issue_a_l_etape([(1, "second_groupe"), (2, "admis")], "final") == "admis"
    # R29: a correction after the deliberation, a new decision: the provisional list keeps the first (R45).
    assert issue_a_l_etape([(1, "admis"), (1, "ajourne")], "provisoire") == "admis"
    assert issue_a_l_etape([(1, "admis"), (1, "ajourne")], "final") == "ajourne"


@settings(max_examples=6, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from([6, 15])), min_size=1, max_size=4))
def test_r57_propriete_par_le_registre(cohorte: list[tuple[bool, int]]) -> None:
    """The same property through the registry: random consents and grades, deliberated, then listed."""
    with ServiceRegistre("memoire://") as service:
        numeros = [f"{i + 1:08d}" for i in range(len(cohorte))]
        commandes = [ouvrir()]
        for numero, (consent, _) in zip(numeros, cohorte, strict=True):
            c = inscrire(numero, consentement_publication=consent)
            c["identite"] = {**c["identite"], "nom": f"Nom{numero[-1]}"}
            commandes.append(c)
        commandes += [constituer_jury(), affecter(*numeros)]
        for numero, (_, note) in zip(numeros, cohorte, strict=True):
            commandes += notes_completes(numero, note)
        for donnees in [*commandes, deliberer(1)]:
            executer_comme(service, donnees)
        attendus = sorted(f"Nom{n[-1]}" for n, (consent, note) in zip(numeros, cohorte, strict=True)
                          if consent and note == 15)  # fmt: skip
        assert [a.nom for a in service.liste_publique(SESSION, "provisoire").admis] == attendus


def test_r57_le_simulateur_fait_consentir_une_part_realiste_toujours_la_meme() -> None:
    from adapters.simulateur.cohorte import construire
    from adapters.simulateur.lots_journee import lots_de_la_journee
    from adapters.simulateur.profils import charger_profil

    journee = construire(charger_profil("aix-marseille-2024"))

    inscriptions = itertools.takewhile(lambda lot: lot[0] == "inscriptions", lots_de_la_journee(journee))
    consentements = {  # the batches are drawn lazily: the later stages are never built for this
        ligne["numero"]: ligne["consentement_publication"]
        for _, _, lignes in inscriptions
        for ligne in lignes
        if ligne["type"] == "inscrire"
    }
    part = sum(consentements.values()) / len(consentements)
    assert 0.6 < part < 0.8  # about seven in ten (PART_CONSENTEMENT, an assumption stated in ADR 0024)
    # From the number alone: the same candidate consents the same way whatever else is drawn for him.
    for c in journee.candidats[::97]:
        autre = dataclasses.replace(c, voie="professionnel", issue="absent", categorie="individuel", jury="J9")
        assert consentements[c.numero] == c.consentement_publication == autre.consentement_publication


def test_r57_un_retrait_apres_la_publication_ote_le_nom_des_la_requete_suivante() -> None:
    with ServiceRegistre("memoire://") as service:
        for donnees in [ouvrir(), inscrire("00000001", consentement_publication=True), constituer_jury(),
                        affecter("00000001"), *notes_completes("00000001", 15), deliberer(1)]:  # fmt: skip
            executer_comme(service, donnees)
        assert service.liste_publique(SESSION).nombre == 1
        assert service.liste_publique(SESSION).nombre == 1  # the same log: the same list (kept)
        executer_comme(service, retrait("00000001"))
        assert service.liste_publique(SESSION).admis == ()
        executer_comme(service, retrait("00000001", True))
        assert service.liste_publique(SESSION).nombre == 1


def test_r57_attaque_un_nom_formule_reste_du_texte_dans_le_tableur() -> None:
    vue = resultats.vue_liste(SESSION, "final", (LignePubliee(nom="=HYPERLINK(1)", prenom="+Zoé"),), None)
    ligne = resultats.csv(vue).decode("utf-8-sig").split("\r\n")[1]
    assert ligne.startswith("'=HYPERLINK(1);'+Zoé;admis")
