"""The pages and the public verification over real HTTP (uvicorn on 127.0.0.1), with a test authentication.

Attacks first: a caller of another académie, a role that does not read the registry, no credential, a forged
or altered attestation, a made-up code, a superseded paper, malformed keys; then what a reader sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from adapters.application.documents import ServiceDocuments
from adapters.application.service import ServiceRegistre
from adapters.publication.documents import modeles
from domain.document import code_de
from tests.scenario import SESSION, deliberer, executer_comme
from tests.serveur_pages import client, servir
from tests.test_deliberation_stores import NUMEROS, jury_delibere

# One worker builds the module's registry (and browser) once: its tests share them.
pytestmark = [pytest.mark.porte, pytest.mark.xdist_group("pages")]

UN, DEUX, TROIS, QUATRE = NUMEROS
CANDIDAT = f"/pages/sessions/{SESSION}/candidats"


@pytest.fixture(scope="module")
def serveur(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ServiceRegistre]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages')}/registre.db"
    with ServiceRegistre(url) as service:
        jury_delibere(service)
        with servir(service) as base:
            yield base, service


def taille(service: ServiceRegistre) -> int:
    return service.registre.enregistreur.max_notification_id() or 0


def attestation(base: str) -> httpx.Response:
    r = client(base, "jeton-examens-aix").get(f"{CANDIDAT}/{UN}/documents/attestation.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    return r


# Scope and authentication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "chemin",
    [f"/pages/sessions/{SESSION}", f"{CANDIDAT}/{UN}", f"{CANDIDAT}/{UN}/explication",
     f"{CANDIDAT}/{UN}/documents/releve.pdf", f"{CANDIDAT}/{UN}/documents/releve",
     f"/pages/sessions/{SESSION}/jurys/J1", f"/pages/sessions/{SESSION}/jurys/J1/pv-1.pdf",
     f"/pages/sessions/{SESSION}/statistiques"],
)  # fmt: skip
def test_r36_une_autre_academie_est_refusee_sans_rien_enregistrer(
    serveur: tuple[str, ServiceRegistre], chemin: str
) -> None:
    base, service = serveur
    avant = taille(service)
    r = client(base, "jeton-auditeur-nice").get(chemin)
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert "hors du périmètre de auditeur-nice" in r.text and "R36" in r.text and 'data-code="NON_HABILITE"' in r.text
    assert "Candidat Test" not in r.text and taille(service) == avant


def test_r26_un_role_qui_ne_consulte_pas_et_l_anonyme_sont_refuses(serveur: tuple[str, ServiceRegistre]) -> None:
    base, _ = serveur
    r = client(base, "jeton-correcteur").get(f"{CANDIDAT}/{UN}")
    assert r.status_code == 403 and "R26" in r.text
    r = client(base, None).get(f"{CANDIDAT}/{UN}")
    assert r.status_code == 401 and r.json()["code"] == "NON_AUTHENTIFIE"
    assert client(base, "jeton-inconnu").get(f"{CANDIDAT}/{UN}/documents/releve.pdf").status_code == 401


@pytest.mark.parametrize(
    ("chemin", "statut"),
    [(f"{CANDIDAT}/..%2F..%2Fetc", 404), (f"{CANDIDAT}/99999999", 404), (f"{CANDIDAT}/{UN}?a_la_date=hier", 422),
     (f"{CANDIDAT}/{UN}/documents/diplome.pdf", 404), ("/pages/sessions/2024-AIX/candidats/00000001", 404),
     (f"/pages/sessions/{SESSION}/jurys/J1/pv-7.pdf", 404), (f"{CANDIDAT}/{UN}?t1=" + "9" * 5000, 422),
     ("/statique/dsfr/../../../../package.json", 404), ("/statique/dsfr/dsfr.module.js", 404)],
)  # fmt: skip
def test_entrees_malformees_refusees_en_francais(
    serveur: tuple[str, ServiceRegistre], chemin: str, statut: int
) -> None:
    base, _ = serveur
    r = client(base).get(chemin)
    assert r.status_code == statut
    assert "Traceback" not in r.text


# The public verification page ---------------------------------------------------------------------


def test_une_attestation_authentique_se_verifie_et_ne_montre_rien_d_autre(serveur: tuple[str, ServiceRegistre]) -> None:
    base, service = serveur
    code = attestation(base).headers["x-code-verification"]
    r = httpx.get(f"{base}/verifier/{code}")  # no credential: the page is public
    assert r.status_code == 200 and 'data-statut="authentique"' in r.text
    explication = service.expliquer(SESSION, UN)
    assert "Attestation de réussite au baccalauréat" in r.text and SESSION in r.text
    assert f"Admis, mention {explication.mention}" in r.text
    vue, _ = ServiceDocuments(service).vue("attestation", SESSION, numero=UN)
    assert modeles.empreinte(vue) in r.text
    for personnel in (UN, "Candidat Test", service.candidat(SESSION, UN).identite.ine, "PHILO", DEUX):
        assert personnel not in r.text
    # The QR code's address answers the same, from a code typed in lower case with spaces.
    assert 'data-statut="authentique"' in httpx.get(f"{base}/verifier", params={"code": code.lower()}).text


def test_une_attestation_alteree_mention_ou_nom_n_a_pas_ete_delivree(serveur: tuple[str, ServiceRegistre]) -> None:
    base, service = serveur
    code = attestation(base).headers["x-code-verification"]
    vue, _ = ServiceDocuments(service).vue("attestation", SESSION, numero=UN)
    assert isinstance(vue, modeles.Attestation)
    for entete in (replace(vue.entete, mention="Très bien avec les félicitations du jury"),
                   replace(vue.entete, personne=replace(vue.entete.personne, nom="Usurpateur"))):  # fmt: skip
        falsifiee = replace(vue, entete=entete)
        code_falsifie = code_de(modeles.empreinte(falsifiee))  # what the forger's paper would have to print
        r = httpx.get(f"{base}/verifier/{code_falsifie}")
        assert r.status_code == 404 and 'data-statut="non_emis"' in r.text and "Admis" not in r.text
        # The genuine code on a paper whose printed content hash was recomputed for the forgery.
        r = httpx.get(f"{base}/verifier/{code}", params={"empreinte": modeles.empreinte(falsifiee)})
        assert 'data-statut="altere"' in r.text and "le papier a été modifié" in r.text


def test_un_code_invente_n_a_pas_ete_delivre(serveur: tuple[str, ServiceRegistre]) -> None:
    base, _ = serveur
    for code in ("ABCD-EFGH-JKMN", "pas-un-code", "<script>alert(1)</script>", "Z" * 300):
        r = httpx.get(f"{base}/verifier", params={"code": code})  # the form's address takes any text
        assert r.status_code == 404 and 'data-statut="non_emis"' in r.text
        assert "<script>alert" not in r.text and "Z" * 41 not in r.text


def test_r29_un_document_remplace_par_une_nouvelle_deliberation_le_dit(tmp_path: Any) -> None:
    with ServiceRegistre(f"sqlite:///{tmp_path}/registre.db") as service, servir(service) as base:
        jury_delibere(service)
        code = attestation(base).headers["x-code-verification"]
        for commande in (
            {"type": "corriger_note", "session": SESSION, "numero": UN, "epreuve": "SPE1", "note": "3",
             "motif": "transcription", "raison": "Report erroné du bordereau"},
            deliberer(1),
        ):  # fmt: skip
            executer_comme(service, commande)
        r = httpx.get(f"{base}/verifier/{code}")
        assert r.status_code == 200 and 'data-statut="remplace"' in r.text and "nouvelle délibération" in r.text
        assert "mention" not in r.text.split('id="resultat"')[1] and UN not in r.text
        # The new attestation has another code, and it is the one in force.
        nouveau = attestation(base).headers["x-code-verification"]
        assert nouveau != code and 'data-statut="authentique"' in httpx.get(f"{base}/verifier/{nouveau}").text


# What a reader sees ------------------------------------------------------------------------------


def test_les_pages_se_lisent_sans_javascript(serveur: tuple[str, ServiceRegistre]) -> None:
    base, _ = serveur
    c = client(base)
    for chemin in (f"/pages/sessions/{SESSION}", f"{CANDIDAT}/{DEUX}", f"{CANDIDAT}/{DEUX}/explication",
                   f"/pages/sessions/{SESSION}/jurys/J1", f"/pages/sessions/{SESSION}/statistiques"):  # fmt: skip
        r = c.get(chemin)
        assert r.status_code == 200 and "<script" not in r.text and '<html lang="fr"' in r.text


def test_page_de_session_journal_sceaux_et_etapes(serveur: tuple[str, ServiceRegistre]) -> None:
    base, service = serveur
    r = client(base).get(f"/pages/sessions/{SESSION}")
    rapport = service.verifier()
    assert "Journal vérifié : aucune altération" in r.text and rapport.racine in r.text
    assert f"{len(rapport.sceaux)} sceau(x) de délibération vérifié(s) sur {len(rapport.sceaux)}" in r.text
    assert "Jury J1" in r.text and "Admis" in r.text


def test_page_candidat_etat_a_un_moment_et_difference(serveur: tuple[str, ServiceRegistre]) -> None:
    base, service = serveur
    historique = service.historique(SESSION, DEUX)
    premier = next(e for e in historique if e.evenement == "Délibéré").horodatage
    r = client(base).get(f"{CANDIDAT}/{DEUX}", params={"a_la_date": premier})
    assert "Décision à ce moment : <strong>Autorisé à se présenter au second groupe</strong>" in r.text
    r = client(base).get(f"{CANDIDAT}/{DEUX}", params={"t1": premier, "t2": historique[-1].horodatage})
    assert "ContrôlePassé" in r.text.split('id="difference"')[1]
    assert "Note PHILO (contrôle)" in r.text


def test_page_jury_porte_le_proces_verbal_et_le_sceau(serveur: tuple[str, ServiceRegistre]) -> None:
    base, service = serveur
    r = client(base).get(f"/pages/sessions/{SESSION}/jurys/J1")
    sceau = service.expliquer(SESSION, UN).sceau
    assert sceau is not None and sceau["racine"] in r.text and "racine identique au journal" in r.text
    assert "Procès-verbal de délibération — jury J1" in r.text and "Candidat Test" not in r.text
    r = client(base).get(f"/pages/sessions/{SESSION}/jurys/J1/pv-2.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_les_sceaux_d_une_session_sont_les_siens_meme_jury_meme_code(tmp_path: Any) -> None:
    """One log holds every session and jury codes repeat across years: the 2023 J1's seal is not the 2024 J1's."""
    from tests.scenario import affecter, constituer_jury, inscrire, notes_completes, ouvrir

    autre = "2023-aix-marseille"
    with ServiceRegistre(f"sqlite:///{tmp_path}/registre.db") as service, servir(service) as base:
        for commande in (ouvrir(autre), inscrire("23000001", session=autre), constituer_jury(session=autre),
                         affecter("23000001", session=autre), *notes_completes("23000001", 12, session=autre),
                         deliberer(1, session=autre)):  # fmt: skip
            executer_comme(service, commande)
        jury_delibere(service)
        assert len(service.verifier().sceaux) == 3
        r = client(base).get(f"/pages/sessions/{SESSION}")
        assert "2 sceau(x) de délibération vérifié(s) sur 2" in r.text
        r = client(base).get(f"/pages/sessions/{autre}/jurys/J1")
        assert r.text.count("racine identique au journal") == 1
