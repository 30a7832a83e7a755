"""R55 (ADR 0024): the right of access — everything the registry holds about one candidate, as a ZIP of JSON and
PDF, for the service des examens of his académie only; the same request gives the same bytes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from adapters.application.service import ServiceRegistre
from adapters.http.app import creer_app
from cli.main import app
from domain.acces import acces_id
from domain.errors import Introuvable, NonHabilite
from domain.evenements import AccesCommunique
from tests.scenario import SESSION, executer_comme, habilitations, inscrire, jeton_pour
from tests.test_deliberation_stores import NUMEROS, jury_delibere

UN, DEUX, TROIS, QUATRE = NUMEROS
NOUVEAU = "00000042"  # inscribed, never deliberated


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServiceRegistre, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('acces')}/registre.db"
    with ServiceRegistre(url) as service:
        jury_delibere(service)
        executer_comme(service, inscrire(NOUVEAU, consentement_publication=True))
        yield service, url


def principal(service: ServiceRegistre, role: str, session: str = SESSION) -> Any:
    return habilitations(service).principal(f"{role}-{session[5:]}", role, session)


def taille(service: ServiceRegistre) -> int:
    return service.registre.enregistreur.max_notification_id() or 0


@pytest.mark.parametrize(
    ("role", "session"),
    [("recteur", SESSION), ("auditeur", SESSION), ("gestionnaire", SESSION), ("service_examens", "2024-nice")],
)
def test_r55_seul_le_service_des_examens_de_l_academie_communique(
    base: tuple[ServiceRegistre, str], role: str, session: str
) -> None:
    service, _ = base
    qui = principal(service, role, session)
    avant = taille(service)
    with pytest.raises(NonHabilite) as refus:
        service.acces(SESSION, UN, qui)
    assert (refus.value.regle, refus.value.code) == ("R55", "ACCES_NON_HABILITE")
    assert taille(service) == avant  # refused before any paper was issued


def test_r55_l_archive_tient_tout_et_se_reproduit_a_l_octet(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    dec = principal(service, "service_examens")
    premiere = service.acces(SESSION, UN, dec)
    apres_premiere = taille(service)
    seconde = service.acces(SESSION, UN, dec)
    assert seconde.contenu == premiere.contenu  # the same request, the same bytes
    # Each communication is an act of its own, outside the candidate's stream: who, the archive's hash, its members.
    assert taille(service) == apres_premiere + 1
    communications = [e for e in service.registre.evenements_de(acces_id(SESSION, UN))
                      if isinstance(e, AccesCommunique)]  # fmt: skip
    assert [(e.acte.acteur, e.acte.role, e.empreinte) for e in communications][-2:] == [
        (dec.acteur, "service_examens", premiere.empreinte)
    ] * 2
    assert "documents/releve.pdf" in communications[-1].fichiers
    assert service.verifier().valide  # the new acts are chained like every other event
    assert not any(isinstance(e, AccesCommunique) for e in service.registre.evenements_de(
        service.candidat(SESSION, UN).id))  # fmt: skip
    z = zipfile.ZipFile(io.BytesIO(premiere.contenu))
    noms = z.namelist()
    assert noms == sorted(noms)
    assert set(noms) == {"LISEZMOI.txt", "documents/attestation.pdf", "documents/releve.pdf", "etat.json",
                         "explication.json", "historique.json", "inscription.json", "sommaire.json"}  # fmt: skip
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    inscription = json.loads(z.read("inscription.json"))
    candidat = service.candidat(SESSION, UN)
    assert inscription["identite"]["nom"] == candidat.identite.nom
    assert inscription["identite"]["ine"] == candidat.identite.ine
    assert inscription["consentement_publication"] is False
    etat = json.loads(z.read("etat.json"))
    assert (etat["decision"], etat["mention"]) == ("admis", "bien")
    historique = json.loads(z.read("historique.json"))
    noms_evenements = [e["evenement"] for e in historique]
    assert "Inscrit" in noms_evenements and "Délibéré" in noms_evenements
    assert json.loads(z.read("explication.json"))["rejeu"] == "identique"
    assert z.read("documents/releve.pdf").startswith(b"%PDF")
    sommaire = json.loads(z.read("sommaire.json"))
    assert all(hashlib.sha256(z.read(n)).hexdigest() == h for n, h in sommaire.items())


def test_r55_le_registre_des_communications_refuse_tout_autre_role() -> None:
    from uuid import uuid4

    from domain.acces import RegistreAcces
    from domain.modele import Acte

    acte = Acte(acteur="recteur-aix", role="recteur", correlation_id=uuid4())
    registre = RegistreAcces(session=SESSION, numero=UN, acte=acte)
    with pytest.raises(NonHabilite) as refus:
        registre.communiquer(empreinte="0" * 64, fichiers=("etat.json",), acte=acte)
    assert refus.value.regle == "R55" and registre.communications == 0


def test_r55_un_candidat_non_delibere_recoit_son_inscription_et_le_motif(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    z = zipfile.ZipFile(io.BytesIO(service.acces(SESSION, NOUVEAU, principal(service, "service_examens")).contenu))
    assert not [n for n in z.namelist() if n.startswith("documents/")]
    assert json.loads(z.read("inscription.json"))["consentement_publication"] is True
    assert "pas encore été délibéré" in json.loads(z.read("explication.json"))["motif"]


def test_r55_candidat_inconnu_ou_numero_forge(base: tuple[ServiceRegistre, str]) -> None:
    service, _ = base
    dec = principal(service, "service_examens")
    for numero in ("99999999", "../../etc", "1" * 40):
        with pytest.raises(Introuvable):
            service.acces(SESSION, numero, dec)


def test_r55_http_et_cli(base: tuple[ServiceRegistre, str], tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = base
    jeton = jeton_pour(url, "dec-aix-acces", "service_examens")
    chemin = f"/sessions/{SESSION}/candidats/{DEUX}/acces"
    with TestClient(creer_app(url, taille=2)) as client:
        assert client.get(chemin).status_code == 401
        r = client.get(chemin, headers={"Authorization": f"Bearer {jeton}"})
        assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
        recteur = jeton_pour(url, "recteur-aix-acces", "recteur")
        refus = client.get(chemin, headers={"Authorization": f"Bearer {recteur}"})
        assert refus.status_code == 403 and refus.json()["regle"] == "R55"
    monkeypatch.setenv("BAC_JETON", jeton)
    sortie = tmp_path / "acces.zip"
    resultat = CliRunner().invoke(app, ["acces", SESSION, DEUX, "--sortie", str(sortie), "--db", url])
    assert resultat.exit_code == 0, resultat.output
    assert sortie.read_bytes() == r.content  # the same archive through either door
    monkeypatch.setenv("BAC_JETON", jeton_pour(url, "recteur-aix-acces", "recteur"))
    resultat = CliRunner().invoke(app, ["acces", SESSION, DEUX, "--sortie", str(tmp_path / "non.zip"), "--db", url])
    assert resultat.exit_code == 1 and "R55" in resultat.output and "Traceback" not in resultat.output


def test_r57_bac_publication_csv(base: tuple[ServiceRegistre, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = base
    monkeypatch.setenv("BAC_JETON", jeton_pour(url, "dec-aix-acces", "service_examens"))
    resultat = CliRunner().invoke(app, ["publication", SESSION, "--etape", "final", "--format", "csv", "--db", url])
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.splitlines()[0].endswith("nom;prenom;resultat;academie;session")
    # Nobody of this cohort consented (the default): an empty list, its header only (R57).
    assert len([ligne for ligne in resultat.output.splitlines() if ligne]) == 1


def test_r55_r57_sur_chaque_stockage(url_persistante: str) -> None:
    """Both stores: the archive is reproduced to the byte, the communication recorded, the list computed."""
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)
        executer_comme(service, {"type": "modifier_consentement", "session": SESSION, "numero": UN,
                                 "consentement": True, "raison": "Demande écrite du candidat"})  # fmt: skip
        dec = principal(service, "service_examens")
        premiere = service.acces(SESSION, UN, dec)
        assert service.acces(SESSION, UN, dec).contenu == premiere.contenu
        assert [type(e).__name__ for e in service.registre.evenements_de(acces_id(SESSION, UN))] == [
            "RegistreAccèsOuvert", "AccèsCommuniqué", "AccèsCommuniqué"]  # fmt: skip
        assert [a.nom for a in service.liste_publique(SESSION, "final").admis] == ["Candidat"]
        assert service.verifier().valide
