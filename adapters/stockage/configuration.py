"""One database URL selects the store (ADR 0003): the event log and the read models live in it together.

- ``sqlite:///chemin.db`` (default ``sqlite:///bac-registre.db``): the library's own SQLite recorder
  for the log, SQLAlchemy for read models, one file.
- ``postgresql+psycopg://user:pass@host:port/db``: the library's PostgreSQL recorder and SQLAlchemy
  on the same database; every wait is bounded (lock, statement, idle-in-transaction timeouts).
- ``memoire://``: the library's in-memory recorder and an in-memory SQLite for read models (tests).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from eventsourcing.postgres import PostgresFactory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from domain.errors import JournalAltere, RefusMetier

URL_PAR_DEFAUT = "sqlite:///bac-registre.db"

# Bounded waits (notes/EVENTSOURCING.md pitfall 1: a batched PostgreSQL save once hung forever).
DELAI_VERROU_S = 15
DELAI_REQUETE_MS = 120_000
DELAI_INACTIF_EN_TRANSACTION_S = 60
DELAI_CONNEXION_S = 10


def options_postgres() -> str:
    """Session settings of every PostgreSQL connection: no statement and no lock wait is unbounded."""
    return f"-c statement_timeout={DELAI_REQUETE_MS} -c lock_timeout={DELAI_VERROU_S * 1000}"


class UrlInvalide(ValueError):
    pass


class RegistreInjoignable(UrlInvalide):
    """The database of the URL cannot be opened or reached: a configuration problem (exit status 2)."""


class RegistreOccupe(RefusMetier):
    """Another process held the write lock past the bounded wait: nothing was written, try again."""

    code = "REGISTRE_OCCUPE"


_VERROU = ("database is locked", "lock timeout", "locknotavailable", "could not obtain lock", "database is busy")
_INJOIGNABLE = (
    "unable to open database",
    "connection failed",
    "could not connect",
    "connection refused",
    "connection timeout",
    "timeout expired",
    "could not translate host",
    "name or service not known",
    "does not exist",
    "password authentication failed",
    "no such host",
    "readonly database",
    "disk i/o error",
)


def erreur_stockage(erreur: BaseException) -> Exception | None:
    """The clear error a failure of the database makes (a lock held too long, an unreachable or damaged
    database), or None: the doors show it without a traceback; messages never carry a password."""
    from eventsourcing.persistence import MapperDeserialisationError
    from eventsourcing.utils import TopicError

    if isinstance(erreur, MapperDeserialisationError | TopicError):
        # The library's message names the topic, the aggregate and the version; never the whole payload.
        return JournalAltere(f"Journal illisible : un événement stocké ne se relit pas ({_court(str(erreur))})")
    noms = {type(e).__module__.split(".")[0] for e in _chaine(erreur)}
    if not noms & {"sqlalchemy", "eventsourcing", "sqlite3", "psycopg", "psycopg_pool"}:
        return None
    texte = " ".join(f"{type(e).__name__} {e}" for e in _chaine(erreur)).lower()
    if any(m in texte for m in _VERROU):
        return RegistreOccupe(
            f"Registre occupé, réessayez : une autre écriture tient le verrou depuis plus de {DELAI_VERROU_S} s "
            "(rien n'a été enregistré)"
        )
    if any(m in texte for m in _INJOIGNABLE) or "operationalerror" in texte or "interfaceerror" in texte:
        return RegistreInjoignable(f"Base de données injoignable ou illisible : {_court(str(erreur).splitlines()[0])}")
    if "not a database" in texte or "databaseerror" in texte:
        return RegistreInjoignable(f"Ce fichier n'est pas une base du registre : {_court(str(erreur))}")
    return None


def _chaine(erreur: BaseException) -> list[BaseException]:
    vues: list[BaseException] = []
    courante: BaseException | None = erreur
    while courante is not None and courante not in vues and len(vues) < 10:
        vues.append(courante)
        courante = courante.__cause__ or courante.__context__
    return vues


def _court(texte: str, longueur: int = 200) -> str:
    return texte if len(texte) <= longueur else texte[:longueur] + "…"


@dataclass(frozen=True)
class Stockage:
    """Where the registry lives: the library's environment and the SQLAlchemy URL, derived from one URL."""

    url: str
    moteur: Literal["sqlite", "postgresql", "memoire"]
    env_evenements: dict[str, str] = field(repr=False)
    url_sqlalchemy: str = field(repr=False)

    @property
    def table_evenements(self) -> str:
        """The library's table for this backend (notes/EVENTSOURCING.md pitfall 5)."""
        return "stored_events" if self.moteur == "sqlite" else "registre_events"

    def sans_creation_de_tables(self) -> Stockage:
        return replace(self, env_evenements={**self.env_evenements, "CREATE_TABLE": "n"})

    @property
    def taille_transaction(self) -> int:
        """Events per batch transaction.

        SQLite: each commit is an fsync (WAL, synchronous=FULL), so fewer and larger transactions. PostgreSQL: the
        size that hung (pitfall 1) was psycopg's pipeline, which the recorder no longer uses (one binary COPY,
        enregistreur_postgres.py); 5,000 rather than 1,000 events a transaction folds each read model's rows
        with 5 times fewer reads: the Aix-Marseille inscriptions' write 20.6 / 20.5 s → 13.4 / 16.4 s (two runs
        each, alternated). A transaction of 5,000 `Délibéré` (≈ 35 MB) holds the table lock well within every
        bounded wait (lock and statement timeouts)."""
        return {"sqlite": 20_000, "postgresql": 5000, "memoire": 50_000}[self.moteur]

    @property
    def url_affichable(self) -> str:
        """The URL without its password, for logs and messages."""
        if self.moteur == "memoire":
            return self.url
        return make_url(self.url).render_as_string(hide_password=True)

    def creer_moteur_sql(self) -> Engine:
        if self.moteur == "memoire":
            return create_engine(self.url_sqlalchemy, poolclass=StaticPool, connect_args={"check_same_thread": False})
        if self.moteur == "sqlite":
            moteur = create_engine(self.url_sqlalchemy, connect_args={"timeout": DELAI_VERROU_S})

            @event.listens_for(moteur, "connect")
            def _pragmas(dbapi_connection: Any, _record: Any) -> None:
                curseur = dbapi_connection.cursor()
                curseur.execute("PRAGMA journal_mode=WAL")
                curseur.execute("PRAGMA synchronous=NORMAL")
                curseur.close()

            return moteur
        return create_engine(
            self.url_sqlalchemy,
            pool_pre_ping=True,
            connect_args={"options": options_postgres(), "connect_timeout": DELAI_CONNEXION_S},
        )


def stockage_depuis_url(url: str | None = None) -> Stockage:
    """``--db URL``, else ``BAC_DB_URL``, else an SQLite file in the working directory."""
    url = url or os.environ.get("BAC_DB_URL") or URL_PAR_DEFAUT
    if url.startswith("memoire://"):
        return Stockage(
            url=url,
            moteur="memoire",
            env_evenements={"PERSISTENCE_MODULE": "adapters.stockage.enregistreur_memoire:FabriqueMemoire"},
            url_sqlalchemy="sqlite://",
        )
    try:
        parsed = make_url(url)
    except Exception as e:
        raise UrlInvalide(f"URL de base de données invalide : {e}") from e
    if parsed.get_backend_name() == "sqlite":
        chemin = parsed.database
        if not chemin or chemin == ":memory:":
            raise UrlInvalide("SQLite en mémoire n'est pas un registre : utiliser memoire:// pour les essais")
        return Stockage(
            url=url,
            moteur="sqlite",
            env_evenements={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "PROCESS_RECORDER_TOPIC": "adapters.stockage.enregistreur_sqlite:EnregistreurSQLite",
                "SQLITE_DBNAME": chemin,
                "SQLITE_LOCK_TIMEOUT": str(DELAI_VERROU_S),
            },
            url_sqlalchemy=f"sqlite:///{chemin}",
        )
    if parsed.get_backend_name() == "postgresql":
        # A bare postgresql:// names no driver (SQLAlchemy would pick psycopg2): it means ours, psycopg 3.
        if parsed.drivername not in ("postgresql", "postgresql+psycopg"):
            raise UrlInvalide("Pour PostgreSQL, utiliser le pilote psycopg : postgresql+psycopg://…")
        if not parsed.database:
            raise UrlInvalide("L'URL PostgreSQL doit nommer la base : postgresql+psycopg://hôte/base")
        return Stockage(
            url=url,
            moteur="postgresql",
            env_evenements={
                "PERSISTENCE_MODULE": f"{__name__}:FabriquePostgres",
                "POSTGRES_DBNAME": parsed.database,
                "POSTGRES_HOST": parsed.host or "127.0.0.1",
                "POSTGRES_PORT": str(parsed.port or 5432),
                "POSTGRES_USER": parsed.username or "postgres",
                "POSTGRES_PASSWORD": parsed.password or "",
                "POSTGRES_LOCK_TIMEOUT": str(DELAI_VERROU_S),
                "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(DELAI_INACTIF_EN_TRANSACTION_S),
                "POSTGRES_CONNECT_TIMEOUT": str(DELAI_CONNEXION_S),
                "POSTGRES_POOL_SIZE": "2",
                "POSTGRES_MAX_OVERFLOW": "4",
                "PROCESS_RECORDER_TOPIC": "adapters.stockage.enregistreur_postgres:EnregistreurPostgres",
            },
            url_sqlalchemy=parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False),
        )
    raise UrlInvalide(f"Base non prise en charge : {parsed.get_backend_name()} (sqlite, postgresql ou memoire)")


class FabriquePostgres(PostgresFactory):
    """The library's PostgreSQL factory, with a statement timeout on every connection of its pool.

    The library bounds lock waits and idle transactions but not statements; a hung statement
    must fail with an error instead of blocking a results-day batch forever.
    """

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        parametres = cast(dict[str, Any], self.datastore.pool.kwargs)
        parametres["options"] = options_postgres()
