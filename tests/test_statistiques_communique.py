"""The Aix-Marseille 2024 press release (../shared/seeds/000), reproduced from the events on both stores.

The full-size 2023 and 2024 sessions (≈ 63,000 candidates) are generated once per module, applied
through the batch path of `bac apply` (same validation, same aggregates), deliberated jury by jury;
the figures below are the press release's own, never read from the profile that generated them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from functools import cache

import orjson
import pytest

from adapters.application.service import ServiceRegistre
from adapters.publication import statistiques as rendus
from adapters.simulateur.acteurs import Acteurs, par_acteur
from adapters.simulateur.cohorte import construire
from adapters.simulateur.journee import Journee
from adapters.simulateur.lots_journee import lots_de_la_journee
from adapters.simulateur.profils import charger_profil
from projections.statistiques import Statistiques
from tests.conftest import _base_pg_neuve

pytestmark = pytest.mark.lent

SESSION, PRECEDENTE = "2024-aix-marseille", "2023-aix-marseille"

# Communiqué du 8 juillet 2024: (présents or None, rate, evolution in points; None = "n/a", Q12).
VOIES = {
    "general": (17_329, "93.0", "1.2"),
    "technologique": (6_629, "78.7", "-0.9"),
    "professionnel": (7_645, "79.2", "2.5"),
}
GROUPES_PRO = {"Production": ("78.2", "0.3"), "Services": ("79.9", "3.2")}
SERIES = {
    "STMG": ("76.8", "-0.2"),
    "ST2S": ("78.7", "0.3"),
    "STHR": ("85.1", "-10.3"),
    "STI2D": ("79.6", "-4.7"),
    "STD2A": ("96.0", "4.4"),
    "STL": ("86.0", "0.8"),
    "S2TMD": ("100.0", None),  # published "100": no 2023 candidate, so n/a (Q12)
}


@cache
def journees() -> tuple[Journee, Journee]:
    precedente = construire(charger_profil("aix-marseille-2023"), 2024)
    return precedente, construire(charger_profil("aix-marseille-2024"), 2024, precedente)


def restreinte(journee: Journee, voie: str) -> Journee:
    """The day of one voie's candidates and juries: its published figures are the same (R45 rates are per voie,
    série and groupe), for a fifth of the events."""
    jurys = {code: candidats for code, candidats in journee.jurys.items() if candidats[0].voie == voie}
    return replace(journee, candidats=[c for c in journee.candidats if c.voie == voie], jurys=jurys)


# The whole académie on SQLite (every published figure); on PostgreSQL the voie technologique only (its seven
# séries and its evolutions): the same path, batches, seals and stages, at a fifth of the time (issue 8).
VOIE_JOUEE = {"sqlite": None, "postgres": "technologique"}
JOUEES: dict[str, str | None] = {}  # url → the voie played (None: all)


def appliquer(service: ServiceRegistre, acteurs: Acteurs, journee: Journee, jusqua: str = "remplacement") -> None:
    acteurs.habiliter_journee(journee)
    for etape, _nom, lignes in lots_de_la_journee(journee):
        for acteur, siennes in par_acteur(lignes):  # each actor sends his own batch with his own token
            principal = acteurs.principal(acteur)
            contenu = b"".join(orjson.dumps(ligne) + b"\n" for ligne in siennes)
            rapport = service.appliquer_lot(service.lire_contenu(contenu, principal), principal)
            # Every line of the day is a new act: none may be taken for a retry (the September re-deliberation,
            # word for word July's, once was, and the final figures stayed the provisional ones).
            # (A write conflict re-plans the rest of a batch: what it had written then counts as already applied.)
            assert rapport.deja_appliquees == 0 or rapport.conflits > 0, (etape, acteur, rapport)
        if etape == jusqua:
            return


# One full session per store per run; under xdist each store's session runs on its own worker (loadgroup).
# Session scope, not module: xdist runs other modules' tests between these on the same worker, and pytest tears
# a module fixture down at each change of module (measured: the day was played twice per store, 12 min each).
@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", marks=pytest.mark.xdist_group("communique_sqlite")),
        pytest.param("postgres", marks=pytest.mark.xdist_group("communique_postgres")),
    ],
)
def journee_jouee(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """2023 up to its provisional results, then the 2024 day to its final stage, once per store."""
    # pytest sets a failed module fixture up again for each of its tests: a quarter of an hour each here.
    if request.param in ECHECS:
        pytest.fail(f"la journée n'a pas pu être jouée sur {request.param} : {ECHECS[request.param]}")
    try:
        yield from _jouer(request.param, tmp_path_factory)
    except Exception as e:
        ECHECS[request.param] = f"{type(e).__name__}: {e}"[:2000]
        raise


ECHECS: dict[str, str] = {}


def _jouer(magasin: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if magasin == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('communique')}/registre.db"])
    else:
        urls = _base_pg_neuve()
    url = next(urls)
    precedente, journee = journees()
    if (voie := VOIE_JOUEE[magasin]) is not None:
        precedente, journee = restreinte(precedente, voie), restreinte(journee, voie)
    JOUEES[url] = voie
    with ServiceRegistre(url) as service:
        acteurs = Acteurs(service)
        appliquer(service, acteurs, precedente, jusqua="premier_groupe")  # the base of the provisional evolutions (R46)
        appliquer(service, acteurs, journee)
    yield url
    for _ in urls:  # drops the PostgreSQL database
        pass


@pytest.fixture(scope="session")
def provisoire(journee_jouee: str) -> Statistiques:
    with ServiceRegistre(journee_jouee) as service:
        return service.statistiques(SESSION, etape="provisoire", comparer=PRECEDENTE)


@pytest.fixture(scope="session")
def entiere(journee_jouee: str) -> bool:
    return JOUEES[journee_jouee] is None


def test_R44_R45_effectifs_et_taux_provisoires_par_voie(provisoire: Statistiques, entiere: bool) -> None:
    for voie, (presents, taux, _) in VOIES.items():
        if entiere or voie == "technologique":
            ligne = provisoire.ligne("voie", voie)
            assert (ligne.effectifs.presents, ligne.taux) == (presents, Decimal(taux)), voie
    if not entiere:
        assert provisoire.ligne("ensemble").effectifs.presents == VOIES["technologique"][0]
        return
    assert provisoire.ligne("ensemble").effectifs.presents == 31_603
    parts = {v: rendus._part(provisoire.ligne("voie", v).effectifs.presents, 31_603) for v in VOIES}
    assert parts == {"general": "54.8 %", "technologique": "21.0 %", "professionnel": "24.2 %"}


def test_R43_R45_taux_par_serie_et_par_groupe_de_specialites(provisoire: Statistiques, entiere: bool) -> None:
    for groupe, (taux, _) in GROUPES_PRO.items() if entiere else ():
        assert provisoire.ligne("groupe_pro", groupe).taux == Decimal(taux), groupe
    for serie, (taux, _) in SERIES.items():
        assert provisoire.ligne("serie", serie).taux == Decimal(taux), serie


def test_R46_Q12_evolutions_en_points_contre_la_session_provisoire_2023(
    provisoire: Statistiques, entiere: bool
) -> None:
    attendues = {("voie", v): e for v, (_, _, e) in VOIES.items() if entiere or v == "technologique"}
    attendues |= {("groupe_pro", g): e for g, (_, e) in GROUPES_PRO.items() if entiere}
    attendues |= {("serie", s): e for s, (_, e) in SERIES.items()}
    for (niveau, code), evolution in attendues.items():
        obtenue = provisoire.ligne(niveau, code).evolution
        assert obtenue == (None if evolution is None else Decimal(evolution)), (niveau, code)


def test_les_tableaux_markdown_du_communique(provisoire: Statistiques, entiere: bool) -> None:
    md = rendus.markdown(provisoire)
    assert "| Sciences et technologies de l'hôtellerie et de la restauration (STHR) | 85.1 % | -10.3 |" in md
    if entiere:
        assert "| Production | 78.2 % | +0.3 |" in md
        assert "| Baccalauréat général | 17329 | 16116 | 93.0 % | +1.2 |" in md


def test_R47_les_stades_suivants_ne_font_que_monter(journee_jouee: str, entiere: bool) -> None:
    with ServiceRegistre(journee_jouee) as service:
        stades = [
            service.statistiques(SESSION, etape=e).ligne("ensemble") for e in ("provisoire", "second_groupe", "final")
        ]
    admis = [s.effectifs.admis for s in stades]
    assert admis[0] < admis[1] < admis[2] if entiere else admis[0] < admis[1] <= admis[2]
    assert stades[0].effectifs.second_groupe > 0 and stades[1].effectifs.second_groupe == 0
    assert stades[2].effectifs.en_attente == 0
