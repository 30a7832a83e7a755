"""A small FastAPI app for the page tests: the pages' routers behind a test authentication, served by a real
uvicorn on 127.0.0.1 (a free port), in a thread that the fixture stops.

The test authentication maps a token (``Authorization: Bearer`` or the ``jeton`` cookie, for the browser) to a
caller and an académie scope, as the HTTP service's habilitations do; no token is a 401.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from adapters.application.erreurs import NonAuthentifie
from adapters.application.reponses import probleme_depuis
from adapters.application.service import ServiceRegistre
from adapters.pages.routeur import LecteurVerifie, creer_routeur, creer_routeur_public

JETONS = {
    "jeton-auditeur-aix": LecteurVerifie("auditrice-aix", "auditeur", frozenset({"aix-marseille"})),
    "jeton-auditeur-nice": LecteurVerifie("auditeur-nice", "auditeur", frozenset({"nice"})),
    "jeton-examens-aix": LecteurVerifie("dec-aix", "service_examens", frozenset({"aix-marseille"})),
    "jeton-correcteur": LecteurVerifie("correcteur-1", "correcteur", None),
}


def application(service: ServiceRegistre) -> FastAPI:
    app = FastAPI(title="pages (tests)")

    def lecteur(request: Request) -> LecteurVerifie:
        entete = request.headers.get("authorization", "")
        jeton = entete.removeprefix("Bearer ").strip() or request.cookies.get("jeton", "")
        if jeton not in JETONS:
            raise NonAuthentifie()
        return JETONS[jeton]

    verrou = threading.Lock()

    def le_service() -> Iterator[ServiceRegistre]:
        # One request at a time on this service, like the HTTP service's pool of one (a service keeps replayed
        # aggregates in memory: two threads must never share one).
        with verrou:
            yield service

    @app.exception_handler(NonAuthentifie)
    def non_authentifie(_: Request, erreur: NonAuthentifie) -> JSONResponse:
        p = probleme_depuis(erreur)
        assert p is not None
        return JSONResponse(p.model_dump(), status_code=p.status, media_type="application/problem+json")

    app.include_router(creer_routeur(lecteur, le_service))
    app.include_router(creer_routeur_public(le_service))
    return app


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def servir(service: ServiceRegistre) -> Iterator[str]:
    """The app on a real uvicorn; yields its base URL and stops the server afterwards."""
    port = _port_libre()
    serveur = uvicorn.Server(uvicorn.Config(application(service), host="127.0.0.1", port=port, log_level="warning"))
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):  # bounded wait for the socket, not a timing assertion
        if serveur.started:
            break
        time.sleep(0.05)
    try:
        yield base
    finally:
        serveur.should_exit = True
        fil.join(timeout=10)


def client(base: str, jeton: str | None = "jeton-auditeur-aix") -> httpx.Client:
    entetes: dict[str, Any] = {"Authorization": f"Bearer {jeton}"} if jeton else {}
    return httpx.Client(base_url=base, headers=entetes, timeout=60, follow_redirects=False)
