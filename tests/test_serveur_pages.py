"""`bac serveur`'s composition (issue 11): the API and the pages on one pool, behind the registry's own tokens.

The page tests (test_pages.py, test_pages_navigateur.py) stand behind a test authentication; these run the real
one: a reader signs in with the token of his habilitation, his role and académies are read from the log, a
withdrawn habilitation closes the pages at the next request, and no redirect leaves the site.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from adapters.http.dependances import service
from adapters.pages.connexion import COOKIE, pages_du_registre
from cli.main import app
from tests.conftest import ServeurHttp
from tests.scenario import SESSION, notes_completes
from tests.test_http import AIX, Registre, accorder, entete, poster

pytestmark = pytest.mark.porte

UN = "00000001"
NAVIGATEUR = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def servi(tmp_path: object) -> Iterator[ServeurHttp]:
    s = ServeurHttp(f"sqlite:///{tmp_path}/registre.db", routeurs=pages_du_registre(service))  # type: ignore[str-bytes-safe]
    yield s
    s.arreter()


def _delibere(servi: ServeurHttp) -> Registre:
    registre = Registre(servi)
    for donnees in notes_completes(UN, 12):
        assert poster(servi, registre.dec, donnees).status_code == 200
    r = poster(servi, registre.president, {"type": "deliberer", "session": SESSION, "jury": "J1", "groupe": 1})
    assert r.status_code == 200, r.text
    return registre


def _connecter(base: str, jeton: str, suivant: str = "/pages/") -> httpx.Client:
    client = httpx.Client(base_url=base, headers=NAVIGATEUR)
    r = client.post("/pages/connexion", data={"jeton": jeton, "suivant": suivant})
    assert r.status_code == 303, r.text
    # Kept out of scripts' reach and of other sites' requests (ADR 0021).
    attributs = {a.strip().lower() for a in r.headers["set-cookie"].split(";")}
    assert {"httponly", "samesite=strict", "path=/pages"} <= attributs, attributs
    return client


def test_R26_un_auditeur_se_connecte_avec_son_jeton_et_lit_sa_session(servi: ServeurHttp) -> None:
    _delibere(servi)
    auditrice = accorder(servi, servi.jeton_admin, "auditrice-aix", "auditeur", AIX)
    client = _connecter(servi.base, auditrice)
    accueil = client.get("/pages/")
    assert accueil.status_code == 200 and SESSION in accueil.text and "auditeur" in accueil.text
    page = client.get(f"/pages/sessions/{SESSION}/candidats/{UN}")
    assert page.status_code == 200 and "auditrice-aix" in page.text and "Délibéré" in page.text
    pdf = client.get(f"/pages/sessions/{SESSION}/candidats/{UN}/documents/releve.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    code = pdf.headers["X-Code-Verification"]
    public = httpx.get(f"{servi.base}/verifier/{code}")  # no credential: the paper's verification is public
    assert public.status_code == 200 and 'data-statut="authentique"' in public.text
    # The API's own log verification moved beside the log, so that /verifier stays the papers' page.
    assert httpx.get(f"{servi.base}/journal/verification", headers=entete(auditrice)).json()["resultat"]["valide"]


def test_sans_jeton_le_navigateur_va_a_la_connexion_un_programme_recoit_401(servi: ServeurHttp) -> None:
    chemin = f"/pages/sessions/{SESSION}"
    r = httpx.get(servi.base + chemin, headers=NAVIGATEUR)
    assert r.status_code == 303 and r.headers["location"] == f"/pages/connexion?suivant={chemin}"
    r = httpx.get(servi.base + chemin)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    r = httpx.get(servi.base + "/pages/connexion", params={"suivant": chemin})
    assert r.status_code == 200 and f'value="{chemin}"' in r.text


@pytest.mark.parametrize("faux", ["", "bac1.inconnu", "bac1." + "x" * 300, "pas un jeton"])
def test_un_jeton_faux_est_refuse_et_rien_n_est_retenu(servi: ServeurHttp, faux: str) -> None:
    r = httpx.post(f"{servi.base}/pages/connexion", data={"jeton": faux}, headers=NAVIGATEUR)
    assert r.status_code == 401 and "Connexion refusée" in r.text
    assert COOKIE not in r.cookies and "set-cookie" not in r.headers
    forge = httpx.get(f"{servi.base}/pages/sessions/{SESSION}", headers=NAVIGATEUR, cookies={COOKIE: faux})
    assert forge.status_code == 303  # a cookie one writes oneself proves nothing


@pytest.mark.parametrize(
    ("corps", "statut"), [(b"jeton=" + b"a" * 10_000, 413), (b"&".join([b"a=1"] * 50), 400), (b"\xff\xfe=\x00", 401)]
)
def test_un_formulaire_demesure_ou_forge_est_refuse(servi: ServeurHttp, corps: bytes, statut: int) -> None:
    r = httpx.post(f"{servi.base}/pages/connexion", content=corps, headers=NAVIGATEUR)
    assert r.status_code == statut and "set-cookie" not in r.headers and "Traceback" not in r.text


@pytest.mark.parametrize("ailleurs", ["https://hameconnage.example/", "//hameconnage.example/", "/\\example", "/docs"])
def test_apres_connexion_on_reste_sur_les_pages(servi: ServeurHttp, ailleurs: str) -> None:
    dec = accorder(servi, servi.jeton_admin, "dec", "service_examens", AIX)
    r = httpx.post(f"{servi.base}/pages/connexion", data={"jeton": dec, "suivant": ailleurs}, headers=NAVIGATEUR)
    assert r.status_code == 303 and r.headers["location"] == "/pages/"


def test_R36_le_perimetre_vient_de_l_habilitation_pas_de_la_requete(servi: ServeurHttp) -> None:
    _delibere(servi)
    nice = accorder(servi, servi.jeton_admin, "auditeur-nice", "auditeur", {"academie": "nice"})
    client = _connecter(servi.base, nice)
    r = client.get(f"/pages/sessions/{SESSION}/candidats/{UN}")
    assert r.status_code == 403 and 'data-code="NON_HABILITE"' in r.text and "R36" in r.text
    assert SESSION not in client.get("/pages/").text


def test_R26_un_role_qui_ne_consulte_pas_est_refuse_sur_chaque_page(servi: ServeurHttp) -> None:
    registre = _delibere(servi)
    client = _connecter(servi.base, registre.president)
    for chemin in ("/pages/", f"/pages/sessions/{SESSION}", f"/pages/sessions/{SESSION}/candidats/{UN}"):
        r = client.get(chemin)
        assert r.status_code == 403 and "R26" in r.text, chemin


def test_R26_une_habilitation_retiree_ferme_les_pages_a_la_requete_suivante(servi: ServeurHttp) -> None:
    _delibere(servi)
    auditrice = accorder(servi, servi.jeton_admin, "auditrice-aix", "auditeur", AIX)
    client = _connecter(servi.base, auditrice)
    assert client.get(f"/pages/sessions/{SESSION}").status_code == 200
    r = httpx.post(
        f"{servi.base}/habilitations/retraits",
        json={"acteur": "auditrice-aix", "numero": 1, "raison": "Fin de mission d'audit"},
        headers=entete(servi.jeton_admin),
    )
    assert r.status_code == 200, r.text
    assert client.get(f"/pages/sessions/{SESSION}").status_code == 403
    client.post("/pages/deconnexion")
    assert client.get(f"/pages/sessions/{SESSION}").status_code == 303


def test_bac_serveur_refuse_une_base_invalide_avant_d_ecouter(monkeypatch: pytest.MonkeyPatch) -> None:
    def ecouter(*_: object, **__: object) -> None:
        raise AssertionError("le serveur a écouté sur une base invalide")

    monkeypatch.setattr(uvicorn, "run", ecouter)
    for url in ("nope://x", "sqlite:////nonexistent/dir/x.db", "postgresql+asyncpg://h/db"):
        resultat = CliRunner().invoke(app, ["serveur", "--db", url])
        assert resultat.exit_code == 2, resultat.output
        assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
        assert "URL" in resultat.output and "Traceback" not in resultat.output
