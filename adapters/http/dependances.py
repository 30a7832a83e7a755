"""What every handler depends on: a service of the pool (one request at a time each) and the verified caller."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.application.authentification import Principal, Verificateur
from adapters.application.service import ServiceRegistre


class Reserve:
    """Services on one database, each used by one request at a time: a service keeps replayed aggregates in
    memory and a unit of work mutates them, so two threads must never share one (ADR 0016)."""

    def __init__(self, url: str | None, taille: int) -> None:
        self.verificateur = Verificateur()  # shared: a token verified once is known to every worker
        self.libres: queue.Queue[ServiceRegistre] = queue.Queue()
        self.tous: list[ServiceRegistre] = []
        for _ in range(taille):
            service = ServiceRegistre(url)
            service.verificateur = self.verificateur
            self.tous.append(service)
            self.libres.put(service)

    def fermer(self) -> None:
        for service in self.tous:
            service.fermer()


def service(requete: Request) -> Iterator[ServiceRegistre]:
    reserve: Reserve = requete.app.state.reserve
    s = reserve.libres.get()
    try:
        yield s
    finally:
        reserve.libres.put(s)


Service = Annotated[ServiceRegistre, Depends(service)]
_porteur = HTTPBearer(auto_error=False, description="Jeton « bac1.… » émis par bac init ou une habilitation")


def principal(s: Service, identifiants: Annotated[HTTPAuthorizationCredentials | None, Depends(_porteur)]) -> Principal:
    """The caller a bearer token proves (401 otherwise); the token is neither logged nor echoed."""
    return s.authentifier(identifiants.credentials if identifiants else None)


Appelant = Annotated[Principal, Depends(principal)]
