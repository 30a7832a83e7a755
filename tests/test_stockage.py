"""One URL selects the store; concurrent writers never lose an update; every wait is bounded."""

from __future__ import annotations

import threading
from decimal import Decimal

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError
from sqlalchemy import text

from adapters.application.service import ServiceRegistre
from adapters.stockage.configuration import UrlInvalide, stockage_depuis_url
from adapters.stockage.registre import Registre
from domain import ids
from domain.commandes import COMMANDE
from tests.scenario import ACTEUR, SESSION, executer_comme, inscrire, note, ouvrir


def commande(donnees: dict[str, object]) -> object:
    return COMMANDE.validate_python({**ACTEUR, **donnees})


def test_url_par_defaut_est_un_fichier_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BAC_DB_URL", raising=False)
    stockage = stockage_depuis_url(None)
    assert stockage.moteur == "sqlite" and stockage.env_evenements["SQLITE_DBNAME"] == "bac-registre.db"


def test_variable_bac_db_url_choisit_le_stockage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BAC_DB_URL", "postgresql+psycopg://u:secret@db.example:6543/bac")
    stockage = stockage_depuis_url(None)
    assert stockage.moteur == "postgresql"
    assert stockage.env_evenements["POSTGRES_PORT"] == "6543"
    assert "secret" not in stockage.url_affichable


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "postgresql+asyncpg://h/b", "postgresql+psycopg://h"])
def test_url_non_prise_en_charge_refusee(url: str) -> None:
    with pytest.raises(UrlInvalide):
        stockage_depuis_url(url)


def test_deux_ecrivains_meme_version_un_seul_gagne(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        executer_comme(service, ouvrir())
        executer_comme(service, inscrire())
    premier, second = Registre.ouvrir(url_persistante), Registre.ouvrir(url_persistante)
    try:
        cid = ids.candidat_id(SESSION, "00000001")
        a, b = premier.repository.get(cid), second.repository.get(cid)
        from domain.modele import Acte

        acte = Acte(acteur="t", role="gestionnaire", correlation_id=cid)
        a.saisir_note(
            epreuve="PHILO",
            note=Decimal(12),
            absence=None,
            origine="epreuve_terminale",
            source="import",
            correcteur=None,
            acte=acte,
        )
        b.saisir_note(
            epreuve="SPE1",
            note=Decimal(14),
            absence=None,
            origine="epreuve_terminale",
            source="import",
            correcteur=None,
            acte=acte,
        )
        premier.save(a)
        with pytest.raises(IntegrityError):
            second.save(b)
        assert set(premier.repository.get(cid).notes) == {"PHILO"}
    finally:
        premier.close()
        second.close()


def test_ecrivains_concurrents_via_le_service_aucune_note_perdue(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        executer_comme(service, ouvrir())
        executer_comme(service, inscrire())
    epreuves = ["PHILO", "SPE1", "SPE2", "GRAND_ORAL", "FR_ECRIT", "FR_ORAL"]
    erreurs: list[BaseException] = []

    def saisir(epreuve: str) -> None:
        try:
            with ServiceRegistre(url_persistante) as s:
                executer_comme(s, note(epreuve, 11))
        except BaseException as e:  # pragma: no cover - reported below
            erreurs.append(e)

    fils = [threading.Thread(target=saisir, args=(e,)) for e in epreuves]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert not erreurs
    with ServiceRegistre(url_persistante) as service:
        assert set(service.candidat(SESSION, "00000001").notes) == set(epreuves)


def test_inscription_jumelle_concurrente_refusee_par_le_stockage(url_persistante: str) -> None:
    """R36 holds even when two writers race: the twin collides on the derived aggregate id."""
    with ServiceRegistre(url_persistante) as service:
        executer_comme(service, ouvrir())
    premier, second = Registre.ouvrir(url_persistante), Registre.ouvrir(url_persistante)
    try:
        from adapters.lots.executeur import executer
        from adapters.stockage.chantier import Chantier
        from domain.modele import Acte

        acte = Acte(acteur="t", role="service_examens", correlation_id=ids.session_id(SESSION))
        plans = []
        for registre, numero in ((premier, "00000001"), (second, "00000002")):
            chantier = Chantier(registre)
            executer(chantier, commande(inscrire(numero, ine="123456789AB")), acte)
            plans.append((registre, chantier.recolter()))
        plans[0][0].enregistrer(plans[0][1])
        with pytest.raises(IntegrityError):
            plans[1][0].enregistrer(plans[1][1])
    finally:
        premier.close()
        second.close()


def test_postgres_requete_bloquee_echoue_au_lieu_d_attendre(url_postgres: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer blocked by a lock gets an error within the lock timeout, never an endless wait (pitfall 1)."""
    monkeypatch.setattr("adapters.stockage.configuration.DELAI_VERROU_S", 1)
    with ServiceRegistre(url_postgres) as service:
        executer_comme(service, ouvrir())
        url = service.registre.stockage
        conninfo = (
            f"host={url.env_evenements['POSTGRES_HOST']} port={url.env_evenements['POSTGRES_PORT']} "
            f"user={url.env_evenements['POSTGRES_USER']} dbname={url.env_evenements['POSTGRES_DBNAME']}"
        )
    with ServiceRegistre(url_postgres) as service, psycopg.connect(conninfo) as bloqueur:
        bloqueur.execute("LOCK TABLE registre_events IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(OperationalError, match="lock timeout"):
            executer_comme(service, inscrire())
        bloqueur.rollback()


def test_postgres_delai_de_requete_sur_chaque_connexion(url_postgres: str) -> None:
    with ServiceRegistre(url_postgres) as service:
        with service.registre.factory.datastore.get_connection() as connexion:  # type: ignore[attr-defined]
            valeur = connexion.execute("SHOW statement_timeout").fetchone()
        assert valeur is not None and next(iter(valeur.values())) != "0"
        with service.moteur.connect() as connexion:
            assert connexion.execute(text("SHOW statement_timeout")).scalar() != "0"


def test_postgres_grande_transaction_ne_se_bloque_pas(url_postgres: str) -> None:
    """Pitfall 1: a multi-megabyte transaction once hung forever in psycopg's pipeline mode.

    Liveness, not speed: the write runs in a thread and must come back; a hang fails the test
    instead of stalling the suite.
    """
    from adapters.lots.executeur import executer
    from adapters.simulateur.generateur import cohorte
    from adapters.stockage.chantier import Chantier
    from domain.modele import Acte

    with ServiceRegistre(url_postgres) as service:
        executer_comme(service, ouvrir())
        chantier = Chantier(service.registre)
        acte = Acte(acteur="t", role="service_examens", correlation_id=ids.session_id(SESSION))
        for ligne in cohorte(SESSION, 2024, 600, par_releve=True):
            executer(chantier, commande(ligne), acte)
        evenements = chantier.recolter()
        assert len(evenements) == 600 * 20  # ≈ 5.5 MB in one transaction, the size that hung
        resultat: list[object] = []
        fil = threading.Thread(target=lambda: resultat.append(service.registre.enregistrer(evenements)), daemon=True)
        fil.start()
        fil.join(timeout=600)
        assert not fil.is_alive(), "l'écriture d'une grande transaction PostgreSQL ne revient pas"
        assert resultat and (service.registre.enregistreur.max_notification_id() or 0) >= 600 * 20
