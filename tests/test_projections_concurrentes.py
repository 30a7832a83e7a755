"""Read models that never lie (issue 9, point 4): concurrent catch-ups never fold a page twice.

Measured before the position guard: with 4–8 concurrent writers and catch-ups, `bac candidats` disagreed with
the log for up to 2,250 of 3,000 candidates (e.g. 7 grades shown, 5 in the log). Each page's transaction now
moves the position from where the page was read, only if it is still there (projections/runner.py `avancer`).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import orjson
import pytest
from eventsourcing.utils import get_topic

from adapters.application.service import PROJECTIONS, ServiceRegistre
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.simulateur.generateur import cohorte
from projections.runner import (
    Poussee,
    avancer,
    plier_ensemble,
    plier_page,
    position,
    rattraper,
    rattraper_ensemble,
)
from projections.tables import positions
from tests.scenario import ACTEUR, SESSION, ouvrir, sans_suivi


def lot(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


def vues(service: ServiceRegistre) -> dict[str, list[dict[str, Any]]]:
    """Every row of every read model, in key order."""
    with service.moteur.connect() as connexion:
        return {
            p.nom: sorted((dict(r._mapping) for r in connexion.execute(p.table.select())), key=lambda r: r[p.cle])
            for p in PROJECTIONS
        }


def rejouees(url: str) -> dict[str, list[dict[str, Any]]]:
    """The read models rebuilt from the log alone: what every catch-up must converge to."""
    with ServiceRegistre(url) as service:
        service.reconstruire()
        return vues(service)


class SourceQuiCede:
    """The log, but the first page read lets another catch-up run to the end before it is folded: the
    interleaving two writers' processes meet on results day, made deterministic."""

    def __init__(self, registre: Any, autre: Any) -> None:
        self.registre, self.autre, self.cede = registre, autre, False

    def borne(self) -> int:
        return int(self.registre.borne())

    def notifications(self, **k: Any) -> Any:
        page = self.registre.notifications(**k)
        if not self.cede:
            self.cede = True
            self.autre()
        return page

    def lire(self, n: Any) -> Any:
        return self.registre.lire(n)

    def lire_resume(self, n: Any) -> Any:
        return self.registre.lire_resume(n)


def test_deux_rattrapages_de_la_meme_page_ne_la_plient_qu_une_fois(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        sans_suivi(service)
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 6))))  # not caught up yet

        def autre() -> None:
            rattraper_ensemble(service.registre, service.moteur, PROJECTIONS)

        source = SourceQuiCede(service.registre, autre)
        rattraper_ensemble(source, service.moteur, PROJECTIONS)  # type: ignore[arg-type]
        assert source.cede
        # Without the guard, the page was folded a second time on rows that already held it: 36 grades for 18.
        assert vues(service) == rejouees(url_persistante)
        for etat in service.etats(SESSION):
            assert etat["notes_saisies"] == 18, etat


class PlieEnCedant:
    """A projection whose first fold, inside the page's transaction, lets another writer and catch-up run:
    the lost update of issue 9 (stale rows written over newer ones, the position moved back)."""

    def __init__(self, projection: Any, pendant: Any) -> None:
        self.projection, self.pendant, self.fait = projection, pendant, False

    def __getattr__(self, nom: str) -> Any:
        return getattr(self.projection, nom)

    def plier(self, ligne: Any, evenement: Any) -> Any:
        if not self.fait:
            self.fait = True
            self.pendant()
        return self.projection.plier(ligne, evenement)


def test_un_rattrapage_plus_recent_n_est_jamais_ecrase_par_un_plus_ancien(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 3))))
        service.rattraper()
        sans_suivi(service)
        premier = 30_000_000
        deux = list(cohorte(SESSION, 2024, 2, premier_numero=premier))  # 2 × (inscription + 18 grades)
        appliquer_lot(service.registre, lire_lot(lot(*deux[:30])))  # the second candidate has 11 grades so far
        fil: list[threading.Thread] = []

        def pendant() -> None:
            # Another process writes grades of the same candidates and catches up while this page is folded.
            def autre() -> None:
                with ServiceRegistre(url_persistante) as s:
                    appliquer_lot(s.registre, lire_lot(lot(*deux[30:])))  # his 7 other grades
                    s.rattraper()

            fil.append(threading.Thread(target=autre))
            fil[0].start()
            fil[0].join(timeout=2)  # with the guard it waits for this transaction; without, it is done by now

        cedantes = tuple(PlieEnCedant(p, pendant) if i == 0 else p for i, p in enumerate(PROJECTIONS))
        rattraper_ensemble(service.registre, service.moteur, cedantes)  # type: ignore[arg-type]
        fil[0].join(timeout=120)
        assert not fil[0].is_alive()
        assert vues(service) == rejouees(url_persistante), "une vue plus ancienne a écrasé la plus récente"


def test_une_projection_seule_cede_aussi(url_sqlite: str) -> None:
    with ServiceRegistre(url_sqlite) as service:
        sans_suivi(service)
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 3))))
        projection = PROJECTIONS[0]
        source = SourceQuiCede(service.registre, lambda: rattraper(service.registre, service.moteur, projection))
        rattraper(source, service.moteur, projection)  # type: ignore[arg-type]
        assert vues(service)[projection.nom] == rejouees(url_sqlite)[projection.nom]


def test_ecrivains_et_rattrapages_concurrents_convergent_vers_le_journal(url_persistante: str) -> None:
    """Four threads, each with its own service (as four processes would): two write batches and catch up,
    two only catch up, over and over. Every row of every read model then equals the replay of the log."""
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
    erreurs: list[BaseException] = []

    def ecrivain(rang: int) -> None:
        with ServiceRegistre(url_persistante) as s:
            for k in range(4):
                premier = 10_000_000 + rang * 1_000_000 + k * 1000
                appliquer_lot(s.registre, lire_lot(lot(*cohorte(SESSION, 2024, 2, premier_numero=premier))))
                s.rattraper()

    def lecteur() -> None:
        with ServiceRegistre(url_persistante) as s:
            for _ in range(12):
                s.rattraper()

    def garde(faire: Any, *args: Any) -> None:
        try:
            faire(*args)
        except BaseException as e:
            erreurs.append(e)

    fils = [threading.Thread(target=garde, args=(ecrivain, r)) for r in range(2)]
    fils += [threading.Thread(target=garde, args=(lecteur,)) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=300)
    assert not erreurs, erreurs
    with ServiceRegistre(url_persistante) as service:
        service.rattraper()
        obtenues = vues(service)
        assert len(service.etats(SESSION)) == 16
    assert obtenues == rejouees(url_persistante)


def test_une_reconstruction_interrompue_n_est_jamais_lue_a_moitie(url_persistante: str) -> None:
    """A rebuild killed after its first page leaves rows up to that page: the next read folds the rest
    before answering (a view is read at the log's end, never behind it)."""
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 5))))
        service.rattraper()
        attendu = service.etats(SESSION)
        with service.moteur.begin() as connexion:  # what `reconstruire` leaves when killed after its first step
            for p in PROJECTIONS:
                connexion.execute(p.table.delete())
                connexion.execute(positions.delete().where(positions.c.projection == p.nom))
    with ServiceRegistre(url_persistante) as lecteur:
        assert lecteur.etats(SESSION) == attendu
        assert lecteur.statistiques(SESSION).ligne("ensemble").effectifs.presents == 5


def test_le_pli_d_un_ecrivain_attend_celui_de_l_ecrivain_d_avant(url_persistante: str) -> None:
    """Given writer A's write committed and not folded yet, when writer B commits right after it and folds first,
    then B's fold waits for A's instead of giving up: both are folded at their writes, no pull needed, and the
    next writes fold too (measured before: one lost race left every later fold of both writers to the pull)."""
    with ServiceRegistre(url_persistante) as a, ServiceRegistre(url_persistante) as b:
        appliquer_lot(a.registre, lire_lot(lot(ouvrir())))
        b.registre.suivants[:] = []
        poussee_b = Poussee(b.moteur, PROJECTIONS, immobile_s=30.0)  # the bound is not what is tested here

        def plier_b(ecrit: Any, evenements: Any) -> None:
            poussee_b(ecrit.precedent, ecrit.fin, [(get_topic(type(e)), e) for e in evenements])

        b.registre.suivants.append(plier_b)
        plier_a = a.registre.suivants[0]
        fil: list[threading.Thread] = []

        def a_plie_apres_b(ecrit: Any, evenements: Any) -> None:
            def ecrire_b() -> None:
                appliquer_lot(b.registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=40_000_001))))

            fil.append(threading.Thread(target=ecrire_b))
            fil[0].start()
            while a.registre.borne() == ecrit.fin and fil[0].is_alive():  # B committed after A, before A's fold
                time.sleep(0.005)
            time.sleep(0.05)  # B's fold has found A's write unfolded
            plier_a(ecrit, evenements)

        a.registre.suivants[:] = [a_plie_apres_b]
        appliquer_lot(a.registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=30_000_001))))
        fil[0].join(timeout=60)
        assert not fil[0].is_alive()
        with a.moteur.connect() as connexion:
            assert {position(connexion, p.nom) for p in PROJECTIONS} == {a.registre.borne()}
        a.registre.suivants[:] = [plier_a]
        appliquer_lot(a.registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=50_000_001))))
        with a.moteur.connect() as connexion:
            assert {position(connexion, p.nom) for p in PROJECTIONS} == {a.registre.borne()}
        assert vues(a) == rejouees(url_persistante)


def test_des_vues_separees_se_rejoignent_au_rattrapage_suivant(url_sqlite: str) -> None:
    """Given the views at two different positions, when another writer writes during the catch-up, then every
    view ends at the same position (the one bound read first), so the next fold takes them together again.
    Before, each view read its own bound, and two writers' processes kept them apart for good."""
    with ServiceRegistre(url_sqlite) as service:
        sans_suivi(service)
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 2))))
        milieu = service.registre.borne()
        appliquer_lot(service.registre, lire_lot(lot(*cohorte(SESSION, 2024, 2, premier_numero=20_000_001))))
        rattraper(service.registre, service.moteur, PROJECTIONS[0], borne=milieu)  # one view ahead of the other

        def autre() -> None:
            with ServiceRegistre(url_sqlite) as s:
                appliquer_lot(
                    sans_suivi(s).registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=30_000_001)))
                )

        source = SourceQuiCede(service.registre, autre)
        rattraper_ensemble(source, service.moteur, PROJECTIONS)  # type: ignore[arg-type]
        assert source.cede
        with service.moteur.connect() as connexion:
            assert len({position(connexion, p.nom) for p in PROJECTIONS}) == 1
        service.rattraper()
        assert vues(service) == rejouees(url_sqlite)


def _ecritures_non_pliees(service: ServiceRegistre, n: int) -> list[tuple[int, int, list[tuple[str, Any]]]]:
    """``n`` writes of one candidate each, kept as their writer had them and not folded: another process's."""
    ecrits: list[tuple[int, int, list[tuple[str, Any]]]] = []

    def garder(ecrit: Any, evenements: Any) -> None:
        ecrits.append((ecrit.precedent, ecrit.fin, [(get_topic(type(e)), e) for e in evenements]))

    service.registre.suivants[:] = [garder]
    for k in range(n):
        appliquer_lot(service.registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=60_000_001 + k))))
    return ecrits


def test_le_pli_attend_tant_que_les_vues_avancent_vers_lui(url_sqlite: str) -> None:
    """Given three earlier writes whose folds come one after the other, 0.2 s apart, when this write's fold comes
    first, then it waits as long as the views move toward it (0.6 s in all, more than the 0.5 s it waits for views
    that stand still), and its write is folded at the write."""
    with ServiceRegistre(url_sqlite) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
        *avant, dernier = _ecritures_non_pliees(service, 4)

        def plier_les_precedentes() -> None:
            for depart, fin, evenements in avant:
                time.sleep(0.2)
                plier_ensemble(service.moteur, PROJECTIONS, depart, fin, evenements)

        fil = threading.Thread(target=plier_les_precedentes)
        fil.start()
        assert Poussee(service.moteur, PROJECTIONS, immobile_s=0.5)(*dernier)
        fil.join(timeout=60)
        with service.moteur.connect() as connexion:
            assert {position(connexion, p.nom) for p in PROJECTIONS} == {service.registre.borne()}
        assert vues(service) == rejouees(url_sqlite)


def test_un_pli_n_attend_qu_une_fois_des_vues_que_personne_ne_fait_avancer(
    url_sqlite: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given an earlier write that nobody folds (an older writer, a writer killed after its commit), when two later
    writes fold, then the first waits and gives up, the second does not wait at all, and both are left to the pull,
    which then folds everything once."""
    with ServiceRegistre(url_sqlite) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
        _, deuxieme, troisieme = _ecritures_non_pliees(service, 3)
        pauses: list[float] = []
        dormir = time.sleep

        def compter(secondes: float) -> None:
            pauses.append(secondes)
            dormir(secondes)

        monkeypatch.setattr(time, "sleep", compter)
        poussee = Poussee(service.moteur, PROJECTIONS, immobile_s=0.05)
        assert not poussee(*deuxieme)
        assert pauses, "the first fold waited for the write before it"
        pauses.clear()
        assert not poussee(*troisieme)
        assert pauses == [], "no second wait where nobody folds"
        service.rattraper()
        assert vues(service) == rejouees(url_sqlite)


def test_le_pli_attend_la_page_d_un_rattrapage_qui_tient_les_positions(url_postgres: str) -> None:
    """Given another process's catch-up whose page holds the positions' row for 0.8 s (its rows being written),
    when this write's fold comes, then it waits for that page's commit although the positions it reads stand
    still for longer than its 0.25 s stillness bound, and its write is folded at the write. Measured before
    (bench/ecrivains.py): such waits gave up, and every later fold of both writers went to the pull."""
    with ServiceRegistre(url_postgres) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
        premiere, derniere = _ecritures_non_pliees(service, 2)
        tenue = threading.Event()

        def page_longue() -> None:
            depart, fin, evenements = premiere
            with service.moteur.begin() as connexion:
                for projection in PROJECTIONS:
                    avancer(connexion, projection.nom, depart, fin)
                tenue.set()
                time.sleep(0.8)  # the page's rows take this long to fold
                for projection in PROJECTIONS:
                    siens = set(projection.topics)
                    plier_page(connexion, projection, [e for topic, e in evenements if topic in siens])

        fil = threading.Thread(target=page_longue)
        fil.start()
        assert tenue.wait(timeout=30)
        poussee = Poussee(service.moteur, PROJECTIONS, immobile_s=0.25)
        assert poussee(*derniere), dict(poussee.laisses)
        fil.join(timeout=60)
        with service.moteur.connect() as connexion:
            assert {position(connexion, p.nom) for p in PROJECTIONS} == {service.registre.borne()}
        assert vues(service) == rejouees(url_postgres)


def test_une_ecriture_rattrape_avant_d_ecrire_ce_que_son_pli_a_laisse(url_persistante: str) -> None:
    """Given an older writer's rows that nobody folds, when a batch of several transactions is written, then its
    first fold gives up (never folded past another writer's rows at a write) and, before its next write, the
    process catches up what it left: the batch's later transactions are folded at their writes, and the views
    stand at the log's end without a read. Before, every later fold of the batch was left to the pull (measured,
    bench/ecrivains.py: 3 folds given up by a writer left 538 more to the pull)."""
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
        with ServiceRegistre(url_persistante) as autre:  # an older writer: no views at its writes
            appliquer_lot(sans_suivi(autre).registre, lire_lot(lot(*cohorte(SESSION, 2024, 1))))
        poussee = next(s for s in service.registre.suivants if hasattr(s, "poussee")).poussee
        rapport = appliquer_lot(
            service.registre,
            lire_lot(lot(*cohorte(SESSION, 2024, 4, premier_numero=70_000_001))),
            taille_transaction=20,
        )
        assert rapport.transactions >= 3
        assert poussee.rattrapages == 1, "one catch-up, before the second write"
        assert sum(poussee.laisses.values()) == 1, dict(poussee.laisses)
        with service.moteur.connect() as connexion:
            assert {position(connexion, p.nom) for p in PROJECTIONS} == {service.registre.borne()}
        assert vues(service) == rejouees(url_persistante)
