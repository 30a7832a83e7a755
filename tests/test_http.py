"""The HTTP door against a real uvicorn on 127.0.0.1 (ADR 0016, 0017): every endpoint, and every refusal of
a caller who is not who he says, or not habilitated for the act — each refusal storing nothing."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest
from fastapi import APIRouter

from tests.conftest import ServeurHttp
from tests.scenario import SESSION, affecter, constituer_jury, inscrire, notes_completes, ouvrir

pytestmark = pytest.mark.porte

AIX = {"academie": "aix-marseille"}
UN = "00000001"
PROBLEME = "application/problem+json"


def entete(jeton: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {jeton}"}


def accorder(serveur: ServeurHttp, par: str, acteur: str, role: str, portee: dict[str, Any], **autres: Any) -> str:
    r = httpx.post(
        f"{serveur.base}/habilitations",
        json={"acteur": acteur, "role": role, "portee": portee, "raison": "Arrêté de désignation", **autres},
        headers=entete(par),
    )
    assert r.status_code == 200, r.text
    return str(r.json()["resultat"]["jeton"])


def sans_acteur(donnees: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in donnees.items() if k not in ("acteur", "role")}


def poster(serveur: ServeurHttp, jeton: str, donnees: dict[str, Any], **entetes: str) -> httpx.Response:
    return httpx.post(f"{serveur.base}/commandes", json=donnees, headers={**entete(jeton), **entetes})


class Registre:
    """A registry served over HTTP with its rectorat: the exam office, the recteur, jury J1 and its president."""

    def __init__(self, serveur: ServeurHttp) -> None:
        self.s = serveur
        admin = serveur.jeton_admin
        self.dec = accorder(serveur, admin, "dec", "service_examens", AIX)
        self.recteur = accorder(serveur, admin, "recteur-aix", "recteur", AIX)
        self.correcteur = accorder(serveur, admin, "cor-1", "correcteur", AIX)
        portee_j1 = {"session": SESSION, "jury": "J1"}
        self.president = accorder(serveur, self.recteur, "pres-j1", "president_jury", portee_j1, cle_publique="ab" * 32)
        self.pres_j2 = accorder(serveur, self.recteur, "pres-j2", "president_jury", {"session": SESSION, "jury": "J2"})
        for donnees in (ouvrir(), inscrire(UN)):
            assert poster(serveur, self.dec, donnees).status_code == 200
        assert poster(serveur, self.recteur, sans_acteur(constituer_jury())).status_code == 200
        assert poster(serveur, self.dec, affecter(UN)).status_code == 200

    def refus(self, jeton: str | None, donnees: dict[str, Any], statut: int) -> dict[str, Any]:
        """A write that must be refused with ``statut``, as problem details, the log unchanged."""
        avant = self.s.taille_journal()
        entetes = entete(jeton) if jeton is not None else {}
        r = httpx.post(f"{self.s.base}/commandes", json=donnees, headers=entetes)
        assert r.status_code == statut, r.text
        assert r.headers["content-type"] == PROBLEME
        assert self.s.taille_journal() == avant, "un refus ne doit rien enregistrer"
        return dict(r.json())


@pytest.fixture
def registre(serveur: ServeurHttp) -> Registre:
    return Registre(serveur)


def test_r26_parcours_complet_par_http_lectures_comprises(registre: Registre) -> None:
    s, base = registre.s, registre.s.base
    for donnees in notes_completes(UN, 12):
        assert poster(s, registre.dec, donnees).status_code == 200
    r = poster(s, registre.president, {"type": "deliberer", "session": SESSION, "jury": "J1", "groupe": 1})
    assert r.status_code == 200 and "Délibéré" in r.json()["resultat"]["evenements"]
    h = entete(registre.dec)
    candidat = f"{base}/sessions/{SESSION}/candidats/{UN}"
    etat = httpx.get(candidat, headers=h).json()["resultat"]
    assert etat["decision"] == "admis" and etat["notes"]["PHILO"] == "12"
    historique = httpx.get(f"{candidat}/historique", headers=h).json()["resultat"]["evenements"]
    assert historique[0]["evenement"] == "Inscrit" and historique[-1]["acteur"] == "pres-j1"
    assert {e["role"] for e in historique} >= {"service_examens", "president_jury"}
    avant = httpx.get(f"{candidat}/historique", params={"a_la_date": "2001-01-01T00:00+01:00"}, headers=h)
    assert avant.status_code == 404 or avant.json()["resultat"]["evenements"] == []
    t2 = historique[-1]["horodatage"]
    diff = httpx.get(f"{candidat}/difference", params={"t1": historique[0]["horodatage"], "t2": t2}, headers=h)
    assert diff.status_code == 200 and diff.json()["resultat"]["decision"][1] == "admis"
    explication = httpx.get(f"{candidat}/explication", headers=h)
    assert explication.status_code == 200 and explication.json()["statut"] == "ok"
    assert httpx.get(f"{candidat}/preuves", headers=h).status_code == 200
    stats = httpx.get(f"{base}/sessions/{SESSION}/statistiques", headers=h)
    assert stats.status_code == 200
    assert httpx.get(f"{base}/journal/verification", headers=h).json()["resultat"]["valide"] is True
    lignes = [orjson.loads(x) for x in httpx.get(f"{base}/journal", params={"depuis": 2}, headers=h).text.splitlines()]
    assert lignes[0]["position"] == 3 and len(lignes) == s.taille_journal() - 2
    assert all(len(x["sha256"]) == 64 and x["chaine"] for x in lignes)
    moi = httpx.get(f"{base}/moi", headers=entete(registre.president)).json()["resultat"]
    assert moi["acteur"] == "pres-j1" and moi["habilitations"][0]["cle_publique"] == "ab" * 32
    assert httpx.get(f"{base}/openapi.json").json()["paths"]["/commandes"]["post"]["summary"].startswith("Exécuter")


def test_sans_jeton_ou_jeton_faux_401_sans_echo(registre: Registre) -> None:
    note = sans_acteur(notes_completes(UN)[0])
    assert registre.refus(None, note, 401)["code"] == "NON_AUTHENTIFIE"
    faux = registre.dec[:-4] + "AAAA"
    probleme = registre.refus(faux, note, 401)
    assert (
        probleme["code"] == "JETON_INVALIDE" and faux not in str(probleme) and registre.dec[-20:] not in str(probleme)
    )
    assert registre.refus("n'importe quoi", note, 401)["status"] == 401
    r = httpx.get(f"{registre.s.base}/sessions/{SESSION}/candidats/{UN}")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")


def test_r26_habilitation_expiree_ou_retiree_refusee(registre: Registre) -> None:
    s = registre.s
    ancien = accorder(s, s.jeton_admin, "ancien", "gestionnaire", AIX,
                      debut="2020-01-01T00:00+01:00", fin="2021-01-01T00:00+01:00")  # fmt: skip
    note = notes_completes(UN)[0]
    assert registre.refus(ancien, note, 403)["code"] == "NON_HABILITE"
    partant = accorder(s, s.jeton_admin, "partant", "gestionnaire", AIX)
    r = httpx.post(f"{s.base}/habilitations/retraits", json={"acteur": "partant", "numero": 1, "raison": "Mutation"},
                   headers=entete(s.jeton_admin))  # fmt: skip
    assert r.status_code == 200, r.text
    assert registre.refus(partant, note, 403)["regle"] == "R26"


def test_r26_hors_portee_autre_academie_et_autre_jury(registre: Registre) -> None:
    s = registre.s
    nice = accorder(s, s.jeton_admin, "dec-nice", "service_examens", {"academie": "nice"})
    assert registre.refus(nice, notes_completes(UN)[0], 403)["code"] == "NON_HABILITE"
    deliberer = {"type": "deliberer", "session": SESSION, "jury": "J1", "groupe": 1}
    assert registre.refus(registre.pres_j2, deliberer, 403)["code"] == "NON_HABILITE"  # J2's president on J1
    assert registre.refus(registre.correcteur, deliberer, 403)["code"] == "NON_HABILITE"
    assert registre.refus(registre.correcteur, {**deliberer, "role": "correcteur"}, 403)["code"] == (
        "PAS_PRESIDENT_DU_JURY"
    )
    # The recteur grants jurys, not the exam office's roles; an académie's administrator is not a recteur.
    r = httpx.post(f"{s.base}/habilitations", headers=entete(registre.recteur),
                   json={"acteur": "x", "role": "service_examens", "portee": AIX, "raison": "?"})  # fmt: skip
    assert r.status_code == 403 and r.json()["code"] == "AUTORITE_INSUFFISANTE"
    nice = {"acteur": "x", "role": "membre_jury", "portee": {"academie": "nice"}, "raison": "?"}
    r = httpx.post(f"{s.base}/habilitations", headers=entete(registre.recteur), json=nice)
    assert r.status_code == 403


def test_un_corps_qui_nomme_un_autre_acteur_ou_un_role_non_detenu_est_refuse(registre: Registre) -> None:
    note = notes_completes(UN)[0]
    assert registre.refus(registre.dec, {**note, "acteur": "pres-j1"}, 403)["code"] == "ACTEUR_USURPE"
    assert registre.refus(registre.dec, {**note, "role": "recteur"}, 403)["code"] == "NON_HABILITE"
    constituer = {**sans_acteur(constituer_jury("J9")), "role": "recteur"}
    assert registre.refus(registre.dec, constituer, 403)["code"] == "NON_HABILITE"


def test_idempotency_key_une_requete_rejouee_ne_s_applique_qu_une_fois(registre: Registre) -> None:
    s, note = registre.s, notes_completes(UN)[0]
    premiere = poster(s, registre.dec, note, **{"Idempotency-Key": "cle-1"})
    avant = s.taille_journal()
    rejouee = poster(s, registre.dec, note, **{"Idempotency-Key": "cle-1"})
    assert premiere.json()["resultat"]["evenements"] == ["NoteSaisie"]
    assert rejouee.status_code == 200 and rejouee.json()["resultat"]["deja_applique"] is True
    assert s.taille_journal() == avant
    autre = poster(s, registre.dec, notes_completes(UN)[1], **{"Idempotency-Key": "cle-1"})
    assert autre.status_code == 422 and autre.json()["code"] == "CLE_IDEMPOTENCE_REUTILISEE"
    assert s.taille_journal() == avant


def test_lot_jsonl_tout_ou_rien_et_exactement_une_fois(registre: Registre) -> None:
    s = registre.s
    corps = b"".join(orjson.dumps(n) + b"\n" for n in notes_completes(UN, 11))
    r = httpx.post(
        f"{s.base}/lots", content=corps, headers={**entete(registre.dec), "Content-Type": "application/x-ndjson"}
    )
    assert r.status_code == 200 and r.json()["resultat"]["appliquees"] == len(notes_completes(UN))
    avant = s.taille_journal()
    r = httpx.post(f"{s.base}/lots", content=corps, headers=entete(registre.dec))
    assert r.json()["resultat"]["appliquees"] == 0 and s.taille_journal() == avant
    fautif = orjson.dumps({**notes_completes("00000002")[0], "note": "21"}) + b"\n{pas du json\n"
    r = httpx.post(f"{s.base}/lots", content=fautif, headers=entete(registre.dec))
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEME
    assert [e["ligne"] for e in r.json()["erreurs"]] == [1, 2] and s.taille_journal() == avant
    usurpe = orjson.dumps({**notes_completes("00000002")[0], "acteur": "pres-j1"}) + b"\n"
    r = httpx.post(f"{s.base}/lots", content=usurpe, headers=entete(registre.dec))
    assert r.status_code == 403 and s.taille_journal() == avant


def test_corps_malformes_ou_trop_grands(registre: Registre) -> None:
    s = registre.s
    for corps in (b"", b"[]", b"{", b'{"type": "inconnu"}', b"\xff\xfe"):
        r = httpx.post(f"{s.base}/commandes", content=corps, headers=entete(registre.dec))
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEME, corps
    r = httpx.post(f"{s.base}/commandes", content=b"{" + b" " * (2 << 20), headers=entete(registre.dec))
    assert r.status_code == 413
    assert httpx.get(f"{s.base}/nulle-part").headers["content-type"] == PROBLEME


def test_une_erreur_interne_ne_montre_aucune_trace(tmp_path: object) -> None:
    """A router of another room joins through ``routeurs``; its bug answers a bare 500, logged server-side."""
    panne = APIRouter()

    @panne.get("/panne")
    def _panne() -> None:
        raise RuntimeError("secret-interne bac1.xyz")

    s = ServeurHttp(f"sqlite:///{tmp_path}/registre.db", routeurs=(panne,))  # type: ignore[str-bytes-safe]
    try:
        r = httpx.get(f"{s.base}/panne")
        assert r.status_code == 500 and r.headers["content-type"] == PROBLEME
        assert "secret" not in r.text and "Traceback" not in r.text and r.json()["code"] == "ERREUR_INTERNE"
    finally:
        s.arreter()


def test_adr0018_une_feuille_de_notes_par_http_comme_par_bac_importer(registre: Registre) -> None:
    s = registre.s
    csv = "numero;epreuve;note\n" + "".join(f"{UN};{e};13\n" for e in ("PHILO", "SPE1"))
    url = f"{s.base}/feuilles"
    r = httpx.post(url, content=csv.encode(), params={"session": SESSION, "nom": "santorin.csv"},
                   headers={**entete(registre.dec), "Content-Type": "text/csv"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["resultat"]["appliquees"] == 2
    etat = httpx.get(f"{s.base}/sessions/{SESSION}/candidats/{UN}", headers=entete(registre.dec)).json()
    assert etat["resultat"]["notes"]["PHILO"] == "13"
    # The same sheet again: applied once; a bad cell: refused with sheet, row and column, nothing stored.
    again = httpx.post(url, content=csv.encode(), params={"session": SESSION, "nom": "santorin.csv"},
                       headers={**entete(registre.dec), "Content-Type": "text/csv"})  # fmt: skip
    assert again.status_code == 200 and again.json()["resultat"]["appliquees"] == 0
    avant = s.taille_journal()
    faux = httpx.post(url, content=f"numero;epreuve;note\n{UN};SPE2;21\n".encode(),
                      params={"session": SESSION, "nom": "faux.csv"}, headers=entete(registre.dec))  # fmt: skip
    assert faux.status_code == 422 and faux.headers["content-type"] == PROBLEME
    assert "faux.csv" in faux.text and s.taille_journal() == avant
    # Without a token, or by a role that does not enter grades: refused, nothing stored.
    assert httpx.post(url, content=csv.encode(), params={"nom": "x.csv"}).status_code == 401
    refus = httpx.post(url, content=b"numero;epreuve;note\n", params={"session": SESSION, "nom": "x.csv"},
                       headers=entete(registre.pres_j2))  # fmt: skip
    assert refus.status_code == 403 and s.taille_journal() == avant
    inconnu = httpx.post(url, content=b"\x00\x01", params={"nom": "feuille"}, headers=entete(registre.dec))
    assert inconnu.status_code in (400, 415, 422) and inconnu.headers["content-type"] == PROBLEME


def test_r26_r36_lire_un_candidat_demande_un_role_de_lecture_dans_son_academie(registre: Registre) -> None:
    """Authenticated is not enough: a corrector, a jury president or another académie's auditor reads nothing of
    a candidate (identity, grades, history) nor the session's figures; the académie's auditor does."""
    s = registre.s
    nice = accorder(s, s.jeton_admin, "audit-nice", "auditeur", {"academie": "nice"})
    aix = accorder(s, s.jeton_admin, "audit-aix", "auditeur", AIX)
    candidat = f"{s.base}/sessions/{SESSION}/candidats/{UN}"
    lectures = [candidat, f"{candidat}/historique", f"{candidat}/explication", f"{candidat}/preuves",
                f"{s.base}/sessions/{SESSION}/statistiques"]  # fmt: skip
    for url in lectures:
        for jeton, regle in ((registre.correcteur, "R26"), (registre.president, "R26"), (nice, "R36")):
            r = httpx.get(url, headers=entete(jeton))
            assert r.status_code == 403 and r.json()["regle"] == regle, (url, r.text)
    r = httpx.get(candidat, headers=entete(aix))
    assert r.status_code == 200 and r.json()["resultat"]["numero"] == UN
