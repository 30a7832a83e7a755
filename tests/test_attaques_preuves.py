"""Attacks on the proofs, through `bac` on SQLite and PostgreSQL (issue 9 points 1–3, issue 13.5; ADR 0008, 0013).

Each attack is made as someone with the database's password would make it — SQL behind the registry's back,
the registry's own tools, or their own script recomputing hashes — and each must be detected by `bac verifier`
(or `bac decision`) with exit status 3 and the first damaged position named.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from eventsourcing.persistence import StoredEvent
from typer.testing import CliRunner

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves.chaine import effacer_chaine, feuilles
from adapters.audit.preuves.merkle import mth
from cli.main import app
from domain.sceau import ActeSource, message_a_signer_acte
from tests.modeles import Copie
from tests.scenario import (
    SESSION,
    affecter,
    appliquer_comme,
    constituer_jury,
    deliberer,
    executer_comme,
    inscrire,
    jeton_pour,
    notes_completes,
    ouvrir,
)  # fmt: skip
from tests.test_deliberation_stores import jury_delibere
from tests.test_integrite import Base, modifier_un_octet, rechainer_comme_un_attaquant

runner = CliRunner()
UN, DEUX, TROIS = "00000001", "00000002", "00000003"


def bac(*args: str, jeton: str | None = None) -> tuple[int, Any]:
    """Run `bac`; never a traceback; with --json, the result of a success envelope, or the problem itself."""
    r = runner.invoke(app, list(args), env={"BAC_JETON": jeton} if jeton else None)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    if "--json" not in args or not r.stdout.strip():
        return r.exit_code, r.output
    reponse = json.loads(r.stdout)
    return r.exit_code, reponse["resultat"] if reponse.get("statut") == "ok" else reponse


def natures(rapport: dict[str, Any]) -> set[str]:
    """The kinds of damage a damaged log's problem lists (each defect: its position and its nature as code)."""
    return {e["code"].lower() for e in rapport["erreurs"]}


def defauts(rapport: dict[str, Any]) -> set[tuple[int, str]]:
    return {(e["ligne"], e["code"].lower()) for e in rapport["erreurs"]}


@dataclass
class Journal:
    url: str
    service: ServiceRegistre
    base: Base
    cle: Path  # the president's trusted public key (PEM)
    ancres: Path  # the signed tree heads exported before the attack

    def verifier(self, *options: str) -> tuple[int, dict[str, Any]]:
        code, rapport = bac("verifier", "--db", self.url, "--json", *options)
        return code, rapport

    def avec_cle(self, *options: str) -> tuple[int, dict[str, Any]]:
        return self.verifier("--cle-publique", str(self.cle), *options)

    def sceaux(self) -> list[tuple[int, dict[str, Any]]]:
        """(position, stored JSON) of every `ActeScellé`."""
        return [(p, orjson.loads(s)) for p, t, s in self.base.lignes() if t.endswith("ActeScellé")]

    def positions(self, sujet: str) -> list[int]:
        return [p for p, t, _ in self.base.lignes() if t.rsplit(".", 1)[-1] == sujet]


def _pem(cle: Ed25519PrivateKey) -> bytes:
    return cle.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def _deux_deliberations_signees(url: str, dossier: Path) -> None:
    """Two deliberations of jury J1, sealed and signed by the president; anchors exported and kept outside."""
    privee = Ed25519PrivateKey.generate()
    (dossier / "president.pem").write_bytes(_pem(privee))
    publique = privee.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    (dossier / "president.pub.pem").write_bytes(publique)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BAC_CLE_PRESIDENT", str(dossier / "president.pem"))
        with ServiceRegistre(url) as service:
            jury_delibere(service)
        code, _ = bac("ancres", "exporter", str(dossier / "ancres.json"), "--db", url)
        assert code == 0


@pytest.fixture
def journal(copie_de: Callable[..., Copie], monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    """Its own copy of `_deux_deliberations_signees`, checked intact (signatures, anchors) before the attack."""
    copie = copie_de("deux_deliberations_signees", _deux_deliberations_signees)
    monkeypatch.setenv("BAC_CLE_PRESIDENT", str(copie.dossier / "president.pem"))
    with ServiceRegistre(copie.url) as service:
        ancres = copie.dossier / "ancres.json"
        j = Journal(copie.url, service, Base(service), copie.dossier / "president.pub.pem", ancres)
        code, rapport = j.avec_cle("--ancres", str(ancres))
        assert code == 0 and rapport["premier_defaut"] is None, rapport
        assert [s["signature"] for s in rapport["sceaux"]] == ["valide", "valide"]
        yield j


def premier(rapport: dict[str, Any]) -> tuple[int, str]:
    """The first damaged position of a damaged log's problem (exit 3), and its nature."""
    assert rapport["code"] == "JOURNAL_ALTERE" and rapport["sortie"] == 3
    d = rapport["erreurs"][0]
    return d["ligne"], d["code"].lower()


# Point 1 — a decision rewritten is caught by the replay and by the seal of its own act ----------------


def test_r54_decision_reecrite_admis_en_ajourne(journal: Journal) -> None:
    cible = next(p for p in journal.positions("Délibéré") if b'"decision":"admis"' in journal.base.etat(p))
    numero = UN  # the first admis: candidate 1, admis with mention bien at the premier groupe
    assert journal.service.registre.enregistreur.select_notifications(start=cible, limit=1)[0].originator_id == (
        journal.service.candidat(SESSION, UN).id
    )
    etat = journal.base.etat(cible)
    journal.base.ecrire(cible, etat.replace(b'"decision":"admis"', b'"decision":"ajourne"', 1))
    code, e = bac("decision", SESSION, numero, "--db", journal.url, "--json")
    assert code == 0 and e["decision"] == "ajourne"
    assert e["rejeu"] == "DIFFÉRENT" and "decision" in e["rejeu_ecarts"]
    code, texte = bac("decision", SESSION, numero, "--db", journal.url)
    assert "DIFFÉRENT" in texte and "decision" in texte
    code, rapport = journal.avec_cle()
    assert code == 3 and premier(rapport) == (cible, "modifie")
    # The same with the chain recomputed by the attacker's own script: the act's own seal covers the decision.
    rechainer_comme_un_attaquant(journal.service)
    code, rapport = journal.avec_cle()
    position, nature = premier(rapport)
    assert code == 3 and nature == "sceau_rompu" and position <= cible
    verifie = journal.service.verifier()
    assert verifie.sceaux[0].racine_ok is False  # the seal of the act that decided it


# Point 2 / 13.5 — a seal covers its own act, also when grades and deliberation share a batch -----------


def test_r52_le_sceau_couvre_les_decisions_de_son_acte(journal: Journal) -> None:
    deliberes = journal.positions("Délibéré")
    actes = journal.positions("GroupeDélibéré")
    for (position, etat), acte in zip(journal.sceaux(), actes, strict=True):
        assert etat["source"]["position"] == acte and etat["sceau"]["position"] >= acte
        couvertes = [p for p in deliberes if acte < p < position]
        assert couvertes and max(couvertes) <= etat["sceau"]["position"] < position


def test_r52_lot_notes_et_deliberation_un_seul_sceau_qui_couvre_tout(url_persistante: str, tmp_path: Path) -> None:
    lignes = [ouvrir(), inscrire(UN), inscrire(DEUX), constituer_jury(), affecter(UN, DEUX)]
    lignes += [*notes_completes(UN, 14), *notes_completes(DEUX, 11), deliberer(1)]
    with ServiceRegistre(url_persistante) as service:  # one batch per actor (ADR 0017), the president's last
        appliquer_comme(service, lignes)
        base = Base(service)
        lues = base.lignes()
        (position, etat), *autres = [(p, orjson.loads(s)) for p, t, s in lues if t.endswith("ActeScellé")]
        assert not autres
        lues_avant = [p for p, _, _ in lues if p < position]
        assert etat["sceau"]["position"] == max(lues_avant)  # every grade the decisions read, and the decisions
        assert etat["sceau"]["taille"] == len(lues_avant)
    code, rapport = bac("verifier", "--db", url_persistante, "--json")
    assert code == 0 and rapport["sceaux"][0]["racine_ok"]


def test_r52_la_cloture_scelle_toute_la_session(journal: Journal) -> None:
    executer_comme(journal.service, {"type": "clore_session", "session": SESSION})
    (position, cloture), *_ = [(p, e) for p, e in journal.sceaux() if e["source"]["objet"] == "cloture"]
    assert cloture["sceau"]["taille"] == len([p for p, _, _ in journal.base.lignes() if p < position])
    # Deleting the last act (its seal with it) and rechaining by script: the closing seal still catches it.
    debut = journal.positions("GroupeDélibéré")[1]
    fin = journal.sceaux()[1][0]
    journal.base.sql("DELETE FROM {t} WHERE {pos} BETWEEN :a AND :b", a=debut, b=fin)
    rechainer_comme_un_attaquant(journal.service)
    code, rapport = journal.verifier()
    position_, nature = premier(rapport)
    assert code == 3 and nature in ("sceau_rompu", "sceau_hors_journal") and position_ <= debut


# Point 3 — no downgrade, no silent rebuild, anchors kept outside -------------------------------------


def test_r52_acte_entier_supprime(journal: Journal) -> None:
    debut = journal.positions("GroupeDélibéré")[0]
    fin = journal.sceaux()[0][0]
    journal.base.sql("DELETE FROM {t} WHERE {pos} BETWEEN :a AND :b", a=debut, b=fin)
    code, rapport = journal.verifier()
    assert code == 3 and premier(rapport) == (debut, "supprime")
    # The attacker's script recomputes the chain: the later seal and the exported anchors still break.
    rechainer_comme_un_attaquant(journal.service)
    code, rapport = journal.verifier("--ancres", str(journal.ancres))
    position, nature = premier(rapport)
    assert code == 3 and nature in ("sceau_hors_journal", "ancre") and position <= debut
    assert {"sceau_hors_journal", "ancre"} <= natures(rapport)


def test_r52_chaine_effacee_puis_rattrapee_ne_blanchit_rien(journal: Journal) -> None:
    cible = journal.positions("NoteSaisie")[5]
    modifier_un_octet(journal.base, cible)
    effacer_chaine(journal.service.moteur)  # chain rows, frontier and tracked position
    code, sortie = bac("projections", "rattraper", "--db", journal.url)
    assert code != 0 and "CHAINE_ABSENTE" in sortie
    code, rapport = journal.verifier()
    assert code == 3 and {"chaine_absente", "sceau_rompu"} <= natures(rapport)
    assert premier(rapport)[1] == "sceau_rompu" and premier(rapport)[0] <= cible
    code, sortie = bac(
        "rechainer", "--raison", "essai", "--db", journal.url, jeton=jeton_pour(journal.url, "admin", "service_examens")
    )
    assert code == 3 and "sceaux" in sortie  # the explicit rebuild refuses to launder the rewrite


def test_r52_rechainer_explicite_est_inscrit(journal: Journal) -> None:
    effacer_chaine(journal.service.moteur)  # a log restored without its chain, nothing rewritten
    code, rapport = journal.verifier()
    assert code == 3 and premier(rapport)[1] == "chaine_absente"
    code, _ = bac(
        "rechainer", "--raison", "restauration", "--db", journal.url,
        jeton=jeton_pour(journal.url, "admin", "service_examens"),
    )  # fmt: skip
    assert code == 0
    code, rapport = journal.avec_cle("--ancres", str(journal.ancres))
    assert code == 0 and rapport["reconstructions"][0]["acteur"] == "admin"
    assert any("reconstruite" in r for r in rapport["remarques"])


def test_r52_journal_et_chaine_tronques(journal: Journal) -> None:
    coupe = journal.positions("GroupeDélibéré")[1]
    journal.base.sql("DELETE FROM {t} WHERE {pos} >= :p", p=coupe)
    with journal.service.moteur.begin() as c:
        from sqlalchemy import text

        c.execute(text("DELETE FROM chaine_journal WHERE position >= :p"), {"p": coupe})
    code, rapport = journal.verifier()  # the frontier still counts the cut leaves
    assert code == 3 and premier(rapport) == (coupe, "frontiere")
    code, sortie = bac("projections", "rattraper", "--db", journal.url)
    assert code != 0 and "CHAINE_INCOHERENTE" in sortie
    rechainer_comme_un_attaquant(journal.service)  # the frontier fixed too: nothing inside says it
    code, rapport = journal.verifier("--ancres", str(journal.ancres))
    assert code == 3 and premier(rapport) == (coupe, "tronque")


def test_r52_decision_forgee_ajoutee(journal: Journal) -> None:
    """A forged `Délibéré` appended (ajourné → admis), then chained by the registry's own catch-up."""
    source = next(p for p in journal.positions("Délibéré") if b'"decision":"ajourne"' in journal.base.etat(p))
    lignes = {p: (t, s) for p, t, s in journal.base.lignes()}
    sujet, etat = lignes[source]
    donnees = orjson.loads(etat)
    agregat = journal.service.registre.enregistreur.select_notifications(start=source, limit=1)[0].originator_id
    version = len(journal.service.registre.enregistreur.select_events(agregat)) + 1
    faux = {**donnees, "decision": "admis", "originator_version": version}
    journal.service.registre.enregistreur.insert_events([StoredEvent(agregat, version, sujet, orjson.dumps(faux))])
    assert bac("projections", "rattraper", "--db", journal.url)[0] == 0
    code, rapport = journal.verifier()
    forge = max(p for p, _, _ in journal.base.lignes())
    assert code == 3 and premier(rapport) == (forge, "decision_non_scellee")
    # With fresh act ids instead, it belongs to no act of the jury.
    faux["acte"] = {**faux["acte"], "correlation_id": str(uuid4()), "causation_id": None}
    faux["originator_version"] = version + 1
    journal.service.registre.enregistreur.insert_events([StoredEvent(agregat, version + 1, sujet, orjson.dumps(faux))])
    journal.service.rattraper()
    code, rapport = journal.verifier()
    assert code == 3 and (max(p for p, _, _ in journal.base.lignes()), "decision_hors_acte") in {*defauts(rapport)}


def test_r52_signature_retiree_declassement(journal: Journal) -> None:
    position, etat = journal.sceaux()[-1]  # the last seal: no later seal covers it
    etat["sceau"] = {**etat["sceau"], "signature": None, "cle_publique": None}
    journal.base.ecrire(position, orjson.dumps(etat))
    code, rapport = journal.verifier()
    assert code == 3 and premier(rapport) == (position, "modifie")
    rechainer_comme_un_attaquant(journal.service)
    code, rapport = journal.verifier()
    assert code == 0, rapport  # without a trusted key an unsigned seal proves what it says
    code, rapport = journal.avec_cle()
    assert code == 3 and premier(rapport) == (position, "non_signe")


def test_r52_resigne_avec_une_autre_cle(journal: Journal) -> None:
    """Grade rewritten, chain recomputed, every seal's root recomputed and signed again with the attacker's key."""
    cible = journal.positions("NoteSaisie")[5]
    modifier_un_octet(journal.base, cible)
    autre = Ed25519PrivateKey.generate()
    for rang in range(len(journal.sceaux())):
        rechainer_comme_un_attaquant(journal.service)
        position, etat = journal.sceaux()[rang]
        tete = etat["sceau"]
        racine = mth(feuilles(journal.service.moteur, tete["taille"])).hex()
        source = ActeSource.model_validate(etat["source"])
        message = message_a_signer_acte(source, taille=tete["taille"], position=tete["position"], racine=racine)
        etat["sceau"] = {
            **tete, "racine": racine, "signature": autre.sign(message).hex(),
            "cle_publique": autre.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex(),
        }  # fmt: skip
        journal.base.ecrire(position, orjson.dumps(etat))
    rechainer_comme_un_attaquant(journal.service)
    code, rapport = journal.verifier()
    assert code == 0  # a perfect forgery, from inside the database
    code, rapport = journal.avec_cle()
    assert code == 3 and premier(rapport) == (journal.sceaux()[0][0], "cle_inconnue")
    code, rapport = journal.verifier("--ancres", str(journal.ancres))
    position, nature = premier(rapport)
    assert code == 3 and nature == "ancre" and position <= cible


def test_r52_acte_interrompu_avant_son_sceau(url_persistante: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash between an act and its seal: reported as damage, sealed only by the explicit `bac sceller`."""
    import adapters.application.service as module

    with ServiceRegistre(url_persistante) as service:
        monkeypatch.setattr(module, "sceller_actes", lambda *a, **k: [])  # the process dies after the act
        jury_delibere(service)
        monkeypatch.undo()
        code, rapport = bac("verifier", "--db", url_persistante, "--json")
        acte = Base(service).position("GroupeDélibéré")
        assert code == 3 and premier(rapport) == (acte, "acte_non_scelle")
    jeton = jeton_pour(url_persistante, "admin", "service_examens")
    code, _ = bac("sceller", "--raison", "reprise après panne", "--db", url_persistante, jeton=jeton)
    assert code == 0
    code, rapport = bac("verifier", "--db", url_persistante, "--json")
    assert code == 0 and len(rapport["sceaux"]) == 2


# Point 4 — proofs under the candidate's own PV, consistency between two sealed sizes ------------------


def test_r52_preuve_sous_le_proces_verbal_du_candidat(journal: Journal) -> None:
    (premier_sceau, _), (second_sceau, _) = journal.sceaux()
    code, dossier = bac("preuve", SESSION, UN, "--db", journal.url, "--json")
    assert code == 0 and dossier["sceau_de"] == "proces_verbal" and dossier["sceau_position"] == premier_sceau
    assert "Délibéré" in [p["evenement"] for p in dossier["preuves"]] and all(p["verifiee"] for p in dossier["preuves"])
    code, dossier = bac("preuve", SESSION, DEUX, "--db", journal.url, "--json")
    assert dossier["sceau_position"] == second_sceau and not dossier["non_scelles"]


def test_r52_coherence_entre_deux_tailles_scellees(journal: Journal) -> None:
    (_, un), (_, deux) = journal.sceaux()
    m, n = un["sceau"]["taille"], deux["sceau"]["taille"]
    code, p = bac("ancres", "coherence", str(m), str(n), "--db", journal.url, "--json")
    assert code == 0 and p["verifiee"] and p["preuve"]
    assert (p["racine_m"], p["racine_n"]) == (un["sceau"]["racine"], deux["sceau"]["racine"])
    code, p = bac("ancres", "coherence", str(n), str(m), "--db", journal.url, "--json")
    assert code == 1 and p["code"] == "TAILLES_INVALIDES"


# Bad inputs of the doors: a clear French refusal, never a traceback ------------------------------------


@pytest.mark.parametrize(
    "options",
    [("--ancre", "5"), ("--ancre", "5:zz"), ("--ancre", ""), ("--cle-publique", "FICHIER_TEXTE"),
     ("--cle-publique", "/nulle/part.pem"), ("--ancres", "FICHIER_TEXTE"), ("--ancres", "/nulle/part.json")],
)  # fmt: skip
def test_r52_verifier_refuse_une_ancre_ou_une_cle_illisible(url_sqlite: str, tmp_path: Path, options: tuple) -> None:
    texte = tmp_path / "texte.txt"
    texte.write_text("ceci n'est pas une clé\n", encoding="utf-8")
    args = [str(texte) if o == "FICHIER_TEXTE" else o for o in options]
    r = runner.invoke(app, ["verifier", "--db", url_sqlite, *args])
    assert (r.exit_code == 1 and r.exception is None) or isinstance(r.exception, SystemExit)
    assert r.exit_code == 1 and "Traceback" not in r.output and "Refusé" in r.output
