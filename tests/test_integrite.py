"""Tamper evidence, adversarially, on SQLite and PostgreSQL (R52; ADR 0008): the database is edited with SQL
behind the registry's back, and `bac verifier` must name the first damaged position and the kind of damage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import text

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves.chaine import effacer_chaine, rattraper_chaine
from adapters.audit.preuves.verification import Rapport, verifier_journal
from domain.errors import RefusMetier
from tests.modeles import Copie
from tests.test_deliberation_stores import jury_delibere


class Base:
    """Direct SQL on the log's table, as an attacker with database access would do."""

    def __init__(self, service: ServiceRegistre) -> None:
        self.service = service
        sqlite = service.registre.stockage.moteur == "sqlite"
        self.table = service.registre.stockage.table_evenements
        self.pos = "rowid" if sqlite else "notification_id"

    def sql(self, requete: str, **params: Any) -> Any:
        with self.service.moteur.begin() as c:
            return c.execute(text(requete.format(t=self.table, pos=self.pos)), params)

    def lignes(self) -> list[tuple[int, str, bytes]]:
        with self.service.moteur.connect() as c:
            r = c.execute(text(f"SELECT {self.pos}, topic, state FROM {self.table} ORDER BY {self.pos}"))
            return [(int(p), t, bytes(s)) for p, t, s in r]

    def position(self, sujet: str, rang: int = 0) -> int:
        return [p for p, t, _ in self.lignes() if t.rsplit(".", 1)[-1] == sujet][rang]

    def etat(self, position: int) -> bytes:
        return next(s for p, _, s in self.lignes() if p == position)

    def ecrire(self, position: int, etat: bytes) -> None:
        self.sql("UPDATE {t} SET state = :s WHERE {pos} = :p", s=etat, p=position)

    def echanger(self, a: int, b: int) -> None:
        self.sql("UPDATE {t} SET {pos} = -1 WHERE {pos} = :a", a=a)
        self.sql("UPDATE {t} SET {pos} = :a WHERE {pos} = :b", a=a, b=b)
        self.sql("UPDATE {t} SET {pos} = :b WHERE {pos} = -1", b=b)


def _jury_delibere(url: str, _dossier: Path) -> None:
    with ServiceRegistre(url) as service:
        jury_delibere(service)  # two deliberations: two seals


@pytest.fixture
def journal(copie_de: Callable[..., Copie]) -> Iterator[tuple[ServiceRegistre, Base]]:
    """Its own copy of a deliberated jury (built once per store and process, tests/modeles.py)."""
    with ServiceRegistre(copie_de("jury_delibere", _jury_delibere).url) as service:
        yield service, Base(service)


def verifier(service: ServiceRegistre) -> Rapport:
    return verifier_journal(service.registre, service.moteur)


def rechainer_comme_un_attaquant(service: ServiceRegistre) -> None:
    """The attacker's own script recomputes the whole chain (the registry's catch-up refuses to, ADR 0013)."""
    effacer_chaine(service.moteur)
    rattraper_chaine(service.registre, service.moteur, depuis_zero=True)


def modifier_un_octet(base: Base, position: int) -> None:
    etat = bytearray(base.etat(position))
    i = etat.index(b'"note":"') + len(b'"note":"')
    etat[i] = ord("1") if etat[i] != ord("1") else ord("2")  # one byte of the grade
    base.ecrire(position, bytes(etat))


def test_r52_journal_intact_et_scelle_par_chaque_deliberation(journal: tuple[ServiceRegistre, Base]) -> None:
    service, _ = journal
    rapport = verifier(service)
    assert rapport.valide and not rapport.defauts, rapport.defauts
    assert rapport.chaines == rapport.evenements > 0 and rapport.non_chaines == 0
    assert [(s.jury, s.groupe, s.racine_ok) for s in rapport.sceaux] == [("J1", 1, True), ("J1", 2, True)]
    assert rapport.sceaux[0].taille < rapport.sceaux[1].taille


def test_r52_un_octet_modifie_dans_une_note(journal: tuple[ServiceRegistre, Base]) -> None:
    service, base = journal
    cible = base.position("NoteSaisie", 5)
    modifier_un_octet(base, cible)
    d = verifier(service).premier_defaut
    assert d is not None and (d.position, d.nature) == (cible, "modifie")


def test_r52_evenement_supprime(journal: tuple[ServiceRegistre, Base]) -> None:
    service, base = journal
    cible = base.position("NoteSaisie", 3)
    base.sql("DELETE FROM {t} WHERE {pos} = :p", p=cible)
    d = verifier(service).premier_defaut
    assert d is not None and (d.position, d.nature) == (cible, "supprime")


def test_r52_deux_evenements_permutes(journal: tuple[ServiceRegistre, Base]) -> None:
    service, base = journal
    a, b = base.position("NoteSaisie", 2), base.position("Délibéré", 0)
    base.echanger(a, b)
    rapport = verifier(service)
    assert rapport.premier_defaut is not None
    assert (rapport.premier_defaut.position, rapport.premier_defaut.nature) == (a, "modifie")
    assert {d.position for d in rapport.defauts if d.nature == "modifie"} >= {a, b}


def test_r52_journal_tronque(journal: tuple[ServiceRegistre, Base]) -> None:
    service, base = journal
    cible = base.position("ContrôlePassé", 0)
    base.sql("DELETE FROM {t} WHERE {pos} >= :p", p=cible)
    rapport = verifier(service)
    d = rapport.premier_defaut
    assert d is not None and (d.position, d.nature) == (cible, "tronque")


def test_r52_plage_scellee_reecrite_avec_chaine_recalculee(journal: tuple[ServiceRegistre, Base]) -> None:
    """The attacker edits a grade *and* recomputes `chaine_journal`: the chain holds, the seals do not."""
    service, base = journal
    cible = base.position("NoteSaisie", 5)
    modifier_un_octet(base, cible)
    rechainer_comme_un_attaquant(service)
    rapport = verifier(service)
    assert not rapport.valide
    assert {d.nature for d in rapport.defauts} == {"sceau_rompu"}
    assert [s.racine_ok for s in rapport.sceaux] == [False, False]
    d = rapport.premier_defaut
    assert d is not None and d.position <= cible
    # A rebuild of the projections refuses to launder the damage.
    with pytest.raises(RefusMetier) as refus:
        service.reconstruire()
    assert refus.value.code == "JOURNAL_ALTERE"
    with pytest.raises(RefusMetier) as refus:
        service.rechainer(acteur="admin", raison="essai")
    assert refus.value.code == "JOURNAL_ALTERE"


def test_r52_sceau_signe_falsifie_apres_reecriture(
    url_persistante: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the attacker also rewrites the sealed root in the jury's act, the president's signature fails."""
    cle = tmp_path / "president.pem"
    cle.write_bytes(Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    monkeypatch.setenv("BAC_CLE_PRESIDENT", str(cle))
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)
        base = Base(service)
        assert [s.signature for s in verifier(service).sceaux] == ["valide", "valide"]
        cible = base.position("NoteSaisie", 5)
        modifier_un_octet(base, cible)
        rechainer_comme_un_attaquant(service)
        faux = verifier(service)
        for sceau, position in zip(faux.sceaux, (s.position for s in faux.sceaux), strict=True):
            etat = base.etat(position).replace(sceau.racine.encode(), faux.racine.encode())
            base.ecrire(position, etat)
        # Recomputed roots now match up to the rewritten acts? The attacker fixes the roots of each prefix:
        rechainer_comme_un_attaquant(service)
        rapport = verifier(service)
        assert not rapport.valide
        assert "signature" in {d.nature for d in rapport.defauts}
        assert all(s.signature == "invalide" for s in rapport.sceaux)
