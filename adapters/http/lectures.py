"""Reads: a candidate's state, history, differences, explanation and proofs; a session's statistics; the log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from adapters.application.entrees import lire_date
from adapters.http.dependances import Appelant, Service
from adapters.http.reponses import lignes_json, ok

routeur = APIRouter(tags=["lectures"])

Session = Annotated[str, Path(pattern=r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$", description="ex. 2024-aix-marseille")]
Numero = Annotated[str, Path(pattern=r"^[0-9]{5,12}$", description="Numéro de candidat (anonyme, R28)")]
Date = Annotated[str, Query(max_length=40, description="ISO 8601, ex. 2024-07-05T12:00+02:00")]
CANDIDAT = "/sessions/{session}/candidats/{numero}"


@routeur.get("/moi", summary="L'acteur du jeton présenté et ses habilitations actives")
def moi(s: Service, appelant: Appelant) -> Any:
    return ok(s.qui(appelant))


def _lire(s: Any, appelant: Any, session: str) -> None:
    """A candidate's data (identity included) and a session's figures are read by the reading roles within
    their académies only (R26, R36): the same rule as the pages, never any authenticated caller."""
    s.autoriser_lecture(appelant, session)


@routeur.get(CANDIDAT, summary="État courant d'un candidat : notes, décision, mention, moyenne")
def etat(session: Session, numero: Numero, s: Service, appelant: Appelant) -> Any:
    _lire(s, appelant, session)
    return ok(s.etat_a(session, numero))


@routeur.get(CANDIDAT + "/historique", summary="Historique d'un candidat ; avec a_la_date, son état à cette date")
def historique(session: Session, numero: Numero, s: Service, appelant: Appelant, a_la_date: Date | None = None) -> Any:
    _lire(s, appelant, session)
    if a_la_date is None:
        return ok({"evenements": s.historique_complet(session, numero), "etat": None})
    moment = lire_date(a_la_date)
    evenements = s.historique_complet(session, numero, jusqua=moment)
    return ok({"evenements": evenements, "etat": s.etat_a(session, numero, date=moment)})


@routeur.get(CANDIDAT + "/difference", summary="Ce qui a changé pour un candidat entre deux dates, et pourquoi")
def difference(session: Session, numero: Numero, t1: Date, t2: Date, s: Service, appelant: Appelant) -> Any:
    _lire(s, appelant, session)
    return ok(s.difference(session, numero, lire_date(t1), lire_date(t2)))


@routeur.get(CANDIDAT + "/explication", summary="Explication de la dernière décision, règles rejouées (R54)")
def explication(session: Session, numero: Numero, s: Service, appelant: Appelant) -> Any:
    _lire(s, appelant, session)
    return ok(s.expliquer(session, numero))


@routeur.get(CANDIDAT + "/preuves", summary="Preuves d'inclusion des événements du candidat dans le journal")
def preuves(session: Session, numero: Numero, s: Service, appelant: Appelant) -> Any:
    _lire(s, appelant, session)
    return ok(s.preuve(session, numero))


@routeur.get("/sessions/{session}/statistiques", summary="Statistiques de la session (R44–R47)")
def statistiques(
    session: Session,
    s: Service,
    appelant: Appelant,
    etape: Annotated[str, Query(pattern=r"^(provisoire|second_groupe|final)$")] = "provisoire",
    comparer: Annotated[str | None, Query(pattern=r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$")] = None,
) -> Any:
    _lire(s, appelant, session)
    if comparer is not None:
        _lire(s, appelant, comparer)
    return ok(s.statistiques(session, etape=etape, comparer=comparer))


@routeur.get("/journal/verification", summary="Vérifier le journal : chaîne de hachage, racines de Merkle, sceaux")
def verifier(s: Service, _: Appelant) -> Any:
    return ok(s.verifier())


@routeur.get(
    "/journal",
    summary="Export du journal depuis une position (JSON Lines) : position, sujet, SHA-256 des octets, chaîne",
)
def journal(
    s: Service,
    _: Appelant,
    depuis: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limite: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Any:
    return lignes_json(s.journal(depuis, limite))
