"""The read models as the application service reads them: always at the log's end (issue 9, point 4).

A view is read after folding what another process wrote, or what a killed rebuild left undone (the catch-up
is guarded by position, projections/runner.py), so it never answers behind the log. The chain is not caught
up on a read: a damaged log must not stop reading the views (`bac verifier` reports it).

A write of this process is folded right after its commit from the events it has in hand (`Poussee`, ADR 0025):
the pull then finds nothing left to read back and decode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import Engine, func, select

from adapters.lots.lot import Progression
from adapters.stockage.ecriture import Ecrit
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from adapters.stockage.registre import Registre
from projections.etat_candidats import ProjectionEtatCandidats
from projections.runner import Poussee, Projection, rattraper_ensemble, reconstruire
from projections.source import SourceJournal
from projections.statistiques import ProjectionStatistiques
from projections.tables import etat_candidats

PROJECTIONS: tuple[Projection, ...] = (ProjectionEtatCandidats(), ProjectionStatistiques())


def a_jour(registre: Registre, moteur: Engine) -> int:
    with sans_ramasse_miettes():  # decoded events page after page, no cycle (see reconstruire_vues)
        return rattraper_ensemble(registre, moteur, PROJECTIONS)  # the log decoded once for all


_SUJETS: dict[type, str] = {}


def _sujet(classe: type) -> str:
    sujet = _SUJETS.get(classe)
    if sujet is None:
        sujet = _SUJETS[classe] = get_topic(classe)
    return sujet


class _Suivi:
    """Each write of one registry folded into the views right after its commit; before the next write, what a
    fold left to the pull is caught up (`Poussee.rattraper_retard`)."""

    def __init__(self, registre: Registre, moteur: Engine) -> None:
        self.registre, self.poussee = registre, Poussee(moteur, PROJECTIONS)

    def __call__(self, ecrit: Ecrit, evenements: Sequence[Any]) -> None:
        self.poussee(ecrit.precedent, ecrit.fin, [(_sujet(type(e)), e) for e in evenements])

    def avant_ecriture(self) -> None:
        self.poussee.rattraper_retard(self.registre)


def suivre_ecritures(registre: Registre, moteur: Engine) -> None:
    """Have every write of ``registre`` folded into the views right after its commit."""
    suivi = _Suivi(registre, moteur)
    registre.suivants.append(suivi)
    registre.preparatifs.append(suivi.avant_ecriture)


def etats(
    registre: Registre, moteur: Engine, session: str, jury: str | None, decision: str | None
) -> list[dict[str, Any]]:
    a_jour(registre, moteur)
    t = etat_candidats
    requete = select(t).where(t.c.session == session)
    if jury is not None:
        requete = requete.where(t.c.jury == jury)
    if decision is not None:
        requete = requete.where(t.c.decision == decision)
    with moteur.connect() as connexion:
        return [dict(r._mapping) for r in connexion.execute(requete.order_by(t.c.numero))]


def sessions(registre: Registre, moteur: Engine, academies: frozenset[str] | None) -> list[tuple[str, int]]:
    a_jour(registre, moteur)
    t = etat_candidats
    requete = select(t.c.session, func.count()).group_by(t.c.session).order_by(t.c.session)
    with moteur.connect() as connexion:
        lignes = [(str(s), int(n)) for s, n in connexion.execute(requete)]
    return [(s, n) for s, n in lignes if academies is None or s[5:] in academies]


def reconstruire_vues(registre: Registre, moteur: Engine, progression: Progression | None) -> int:
    source: SourceJournal = registre if progression is None else _SourceSuivie(registre, progression)
    # Every event decoded, page after page, with no reference cycle: with the cyclic GC on, its collections kept
    # traversing them; the Aix-Marseille day's views rebuilt in 42.4 / 42.8 s, 20.4 / 20.0 s with it paused.
    with sans_ramasse_miettes():
        return sum(reconstruire(source, moteur, p) for p in PROJECTIONS)


class _SourceSuivie:
    """The log as the projections read it, telling how far each page went (progress on a terminal)."""

    def __init__(self, source: Registre, progression: Progression) -> None:
        self.source, self.progression = source, progression

    def borne(self) -> int:
        return self.source.borne()

    def notifications(self, *, start: int, limit: int, stop: int, topics: Any, inclusive_of_start: bool) -> Any:
        page = self.source.notifications(
            start=start, limit=limit, stop=stop, topics=topics, inclusive_of_start=inclusive_of_start
        )
        self.progression("projections", page[-1].id if page else stop, stop)
        return page

    def lire(self, notification: Any) -> Any:
        return self.source.lire(notification)

    def lire_resume(self, notification: Any) -> Any:
        return self.source.lire_resume(notification)
