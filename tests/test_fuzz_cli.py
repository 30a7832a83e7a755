"""Fuzz (hypothesis) over every `bac` command's arguments and over batch lines: never a traceback (issue 9, point 7).

Every exit is 0 done, 1 refused, 2 usage or configuration, 3 log damaged; no exception escapes; a refused input
stores nothing. The registry is real (SQLite file) and holds a session, a candidate and a jury, so that
commands go past the first lookup.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer.main
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from adapters.application.service import ServiceRegistre
from adapters.lots.lot import LotRefuse, appliquer_lot, lire_lot
from cli.main import app
from tests.scenario import ACTEUR, affecter, constituer_jury, inscrire, note, ouvrir

pytestmark = pytest.mark.porte

LENTES = {"demo"}  # a whole simulated session: minutes, not a fuzz target
# `verifier --ancre` is parsed by the proofs' own work in progress (issue 9, points 1-3), fuzzed there.
SAUTES = {("verifier", "ancre")}
runner = CliRunner()


def _commandes() -> list[tuple[tuple[str, ...], Any]]:
    trouvees: list[tuple[tuple[str, ...], Any]] = []

    def parcourir(commande: Any, chemin: tuple[str, ...]) -> None:
        if hasattr(commande, "commands"):
            for nom, sous in commande.commands.items():
                parcourir(sous, (*chemin, nom))
        elif chemin[0] not in LENTES:
            trouvees.append((chemin, commande))

    parcourir(typer.main.get_command(app), ())
    return trouvees


COMMANDES = _commandes()


@pytest.fixture(scope="module")
def terrain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    dossier = tmp_path_factory.mktemp("fuzz")
    base = dossier / "registre.db"
    url = f"sqlite:///{base}"
    lignes = [ouvrir(), inscrire(), constituer_jury(), affecter("00000001"), note("PHILO", 12)]
    with ServiceRegistre(url) as service:
        appliquer_lot(service.registre, lire_lot(b"".join(orjson.dumps({**ACTEUR, **lg}) + b"\n" for lg in lignes)))
    (dossier / "lot.jsonl").write_bytes(orjson.dumps({**ACTEUR, **note("SPE1", 13)}) + b"\n")
    (dossier / "dechets.bin").write_bytes(os.urandom(256))
    (dossier / "cle.pem").write_text("pas une clé\n")
    os.mkfifo(dossier / "tube")
    chemins = [str(dossier / n) for n in ("lot.jsonl", "dechets.bin", "cle.pem", "tube", "absent.jsonl")]
    chemins += [str(dossier), "/dev/zero", "/dev/null"]
    ancien = Path.cwd()
    os.chdir(dossier)  # commands that write a default file (statistiques --format png) write it here
    # `bac serveur` with valid options serves until stopped: the fuzz checks everything up to the listening
    # socket (options, URL, opening the log), the served app is tested for real in test_http*.py.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uvicorn, "run", lambda app, **options: None)
        try:
            yield {"url": url, "base": base, "chemins": chemins, "dossier": dossier}
        finally:
            os.chdir(ancien)


def taille(base: Path) -> int:
    with sqlite3.connect(base) as connexion:
        return int(connexion.execute("SELECT count(*) FROM stored_events").fetchone()[0])


PLAUSIBLES = [
    "2024-aix-marseille", "2024-nice", "00000001", "99999999", "PHILO", "SPE1", "J1", "12", "12.5", "-0", "1_2",
    "١٢", "１２", "1E1", "NaN", "inf", "", " ", "nope", "5", "-1", "0", "2024-01-01", "2024-07-05T12:00", "[]", "{}",
    "null", '{"type": "ouvrir_session"}', '{"type":"ouvrir_session","session":"2024-x","session":"2024-y"}',
    "general", "president_jury", "gestionnaire", "json", "png", "csv", "final", "a" * 5000, "\x00", "\u202e",
    "\u2028", "Émile\u0085", "x" * 200_000,
]  # fmt: skip
MAUVAISES_DB = [
    "sqlite:///relative.db", "postgresql+psycopg://u@127.0.0.1:1/x", "nope://x", "sqlite://", "memoire://",
    "sqlite:////nonexistent/dir/x.db", "postgresql+asyncpg://h/db", "postgresql+psycopg://h", ":", "",
]  # fmt: skip

textes = st.one_of(st.sampled_from(PLAUSIBLES), st.text(max_size=40), st.integers(-(10**20), 10**20).map(str))


@st.composite
def arguments(draw: st.DrawFn, terrain: dict[str, Any]) -> list[str]:
    chemin, commande = draw(st.sampled_from(COMMANDES))
    args = list(chemin)
    valeurs_chemin = st.one_of(st.sampled_from(terrain["chemins"]), textes)
    for p in commande.params:
        if (chemin[0], p.name) in SAUTES:
            continue
        if p.name == "db":
            if draw(st.integers(0, 4)) == 0:
                args += ["--db", draw(st.sampled_from(MAUVAISES_DB))]
            else:
                args += ["--db", terrain["url"]]
            continue
        nom = p.opts[0]
        if not nom.startswith("-"):  # an argument: always given
            args.append(draw(valeurs_chemin if p.name in ("fichier",) else textes))
            continue
        if not draw(st.booleans()) and not p.required:
            continue
        if getattr(p, "is_flag", False):
            args.append(nom)
            continue
        strategie = valeurs_chemin if p.name in ("cle", "sortie", "dossier", "fichier") else textes
        if p.name in ("sortie", "dossier"):
            strategie = st.sampled_from([str(terrain["dossier"] / "sortie"), str(terrain["dossier"] / "s.png")])
        for _ in range(draw(st.integers(1, 2)) if getattr(p, "multiple", False) else 1):
            args += [nom, draw(strategie)]
    return args


def _sans_traceback(args: list[str], terrain: dict[str, Any]) -> None:
    avant = taille(terrain["base"])
    resultat = runner.invoke(app, args, catch_exceptions=True)
    if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
        raise AssertionError(f"traceback pour {args!r:.300}") from resultat.exception
    assert resultat.exit_code in (0, 1, 2, 3), (args, resultat.exit_code, resultat.output[-500:])
    if resultat.exit_code != 0:
        assert taille(terrain["base"]) == avant, f"refusé mais enregistré : {args!r:.300}"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(donnees=st.data())
def test_fuzz_toutes_les_commandes_sans_traceback(terrain: dict[str, Any], donnees: st.DataObject) -> None:
    _sans_traceback(donnees.draw(arguments(terrain)), terrain)


@pytest.mark.parametrize(
    "args",
    [
        ["executer", "[]"],
        ["executer", "5"],
        ["executer", '{"type":"ouvrir_session","session":"2024-x","libelle":"a","libelle":"b"}'],
        ["statistiques", "--session", "nope"],
        ["candidats", "s", "--db", "postgresql+psycopg://u@127.0.0.1:1/x"],
        ["candidats", "s", "--db", "sqlite:////nonexistent/dir/x.db"],
        ["candidats", "s", "--db", "sqlite:///relative.db"],
        ["apply", "/dev/zero"],
        ["apply", "tube"],
        ["apply", "."],
        ["verifier", "--cle-publique", "cle.pem"],
        ["executer", '{"type":"ouvrir_session","session":"' + "x" * 10_000_000 + '"}'],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_sondes_du_rapport_sans_traceback(terrain: dict[str, Any], args: list[str]) -> None:
    if args[0] in ("apply", "executer", "statistiques", "verifier") and "--db" not in args:
        args = [*args, "--db", terrain["url"]]
    _sans_traceback(args, terrain)
    resultat = runner.invoke(app, args)
    assert len(resultat.output) < 5000, "une valeur refusée n'est renvoyée que coupée"


LIGNES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.dictionaries(
        st.sampled_from(["type", "session", "numero", "epreuve", "note", "origine", "acteur", "role", "id", "raison"]),
        st.one_of(
            textes,
            st.integers(-(2**63), 2**63 - 1),
            st.floats(),
            st.none(),
            st.booleans(),
            st.lists(textes, max_size=3),
        ),
        max_size=8,
    ).map(lambda d: orjson.dumps({**ACTEUR, "type": "saisir_note", **d}, option=orjson.OPT_NON_STR_KEYS)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(lignes=st.lists(LIGNES, min_size=1, max_size=5), separateur=st.sampled_from([b"\n", b"\r\n", b"\n\n"]))
def test_fuzz_lignes_de_lot_refus_propres_rien_stocke(lignes: list[bytes], separateur: bytes) -> None:
    with ServiceRegistre("memoire://") as service:
        appliquer_lot(
            service.registre,
            lire_lot(b"".join(orjson.dumps({**ACTEUR, **lg}) + b"\n" for lg in [ouvrir(), inscrire()])),
        )
        avant = service.registre.enregistreur.max_notification_id()
        try:
            appliquer_lot(service.registre, lire_lot(separateur.join(lignes)))
        except LotRefuse as refus:
            assert refus.erreurs and all(len(str(e)) < 1200 for e in refus.erreurs)
            assert service.registre.enregistreur.max_notification_id() == avant
