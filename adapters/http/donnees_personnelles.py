"""Personal data (ADR 0024): the exported lists of admitted candidates (R57) and the right of access (R55).

Both behind a token, like every read: the list for the exam office that passes it on (CSV for the press and
Publinet, PDF for the display in the centres), the access archive for the service des examens of the
candidate's académie only (the service refuses anyone else, naming R55). The public, unauthenticated list is
a page (`adapters/pages/resultats.py`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from adapters.http.dependances import Appelant, Service
from adapters.http.lectures import CANDIDAT, Numero, Session
from adapters.publication import resultats

routeur = APIRouter(tags=["données personnelles"])
Etape = Annotated[str, Query(pattern=r"^(provisoire|final)$", description="provisoire (R45) ou final (R47)")]
Format = Annotated[str, Query(pattern=r"^(csv|pdf)$")]


@routeur.get(
    "/sessions/{session}/publication",
    summary="Liste des admis ayant consenti à la publication, sans notes ni mentions (R57), en CSV ou PDF",
    response_class=Response,
)
def publication(session: Session, s: Service, appelant: Appelant, etape: Etape = "provisoire",
                format: Format = "csv") -> Any:  # fmt: skip
    liste = s.publication(session, etape, appelant, format=format)
    if format == "csv":
        contenu, type_media = resultats.csv(liste), "text/csv; charset=utf-8"
    else:
        contenu, type_media = resultats.pdf(liste), "application/pdf"
    entete = {"Content-Disposition": f'attachment; filename="{resultats.nom_fichier(liste, format)}"'}
    return Response(contenu, media_type=type_media, headers=entete)


@routeur.get(
    CANDIDAT + "/acces",
    summary="Droit d'accès (R55) : tout ce que le registre détient sur le candidat, en ZIP (JSON et PDF)",
    response_class=Response,
)
def acces(session: Session, numero: Numero, s: Service, appelant: Appelant) -> Any:
    archive = s.acces(session, numero, appelant)
    entete = {"Content-Disposition": f'attachment; filename="{archive.nom_fichier}"', "X-Empreinte": archive.empreinte}
    return Response(archive.contenu, media_type="application/zip", headers=entete)
