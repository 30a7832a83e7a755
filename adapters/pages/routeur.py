"""The pages' routes: `creer_routeur` (behind authentication) and `creer_routeur_public` (verification, assets).

Both are parameterised by FastAPI dependencies, so the application that owns authentication decides who the
caller is: ``lecteur`` yields the verified caller (``acteur``, ``role``, ``academies`` — None for a national
scope), ``service`` yields the `ServiceRegistre` of the database. Every refusal is rendered from the one
mapping of `adapters.application.reponses` (status and French problem details), never a traceback.
"""

# No `from __future__ import annotations`: FastAPI reads the dependencies of the routes' signatures at run time,
# and the annotated aliases below are local to the router's factory.
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from adapters.application.documents import Introuvable, NonHabilite, RefusMetier, ServiceDocuments
from adapters.application.habilitations import PorteeLecture
from adapters.application.reponses import probleme_depuis
from adapters.publication import statistiques as rendus_statistiques
from adapters.publication.documents.modeles import sceau_imprime
from adapters.publication.documents.pdf import GABARITS
from adapters.publication.pages import modeles
from adapters.publication.rendu import rendre

SESSION = re.compile(r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$")
NUMERO = re.compile(r"^[0-9]{5,12}$")
JURY = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
RACINE_DEPOT = Path(__file__).resolve().parents[2]
STATIQUE = Path(__file__).resolve().parents[1] / "publication" / "statique"
SUFFIXES_STATIQUES = {".css", ".woff2", ".woff", ".svg", ".png", ".ico"}
NATURES_CANDIDAT = ("releve", "attestation", "certificat")


class Lecteur(Protocol):
    @property
    def acteur(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def academies(self) -> frozenset[str] | None: ...


@dataclass(frozen=True)
class LecteurVerifie:
    """A caller as an authentication dependency may return it (any object with these three fields will do)."""

    acteur: str
    role: str
    academies: frozenset[str] | None = None


def dossier_dsfr() -> Path:
    """The DSFR's dist folder, installed by the build (`npm ci`, ADR 0021), or where BAC_DSFR says."""
    return Path(os.environ.get("BAC_DSFR", RACINE_DEPOT / "node_modules" / "@gouvfr" / "dsfr" / "dist"))


def verifier_portee(lecteur: Lecteur, session: str) -> None:
    """Auditors, the recteur and the exam office read; each within the académies of their habilitation (the one
    rule of `domain.habilitation.PorteeLecture`, the API's reads apply it too)."""
    PorteeLecture(acteur=lecteur.acteur, role=lecteur.role, academies=lecteur.academies).verifier(session)


def _cle(valeur: str, motif: re.Pattern[str], quoi: str) -> str:
    if len(valeur) > 60 or not motif.match(valeur):
        raise Introuvable(f"{quoi} invalide : {valeur[:40]!r}")
    return valeur


def _moment(texte: str | None, quoi: str) -> datetime | None:
    if not texte:
        return None
    try:
        moment = datetime.fromisoformat(texte[:40].strip())
    except ValueError:
        raise RefusMetier(f"{quoi} : date illisible {texte[:40]!r} (attendu AAAA-MM-JJTHH:MM)", code="DATE") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _html(gabarit: str, statut: int = 200, **contexte: Any) -> HTMLResponse:
    return HTMLResponse(rendre(gabarit, **contexte), status_code=statut)


def page_probleme(erreur: BaseException, statique: str, lecteur: Any = None) -> HTMLResponse:
    p = probleme_depuis(erreur)
    if p is None:
        raise erreur
    return _html("probleme.html", p.status, titre=p.title, p=p, statique=statique, lecteur=lecteur, fil=None)


def creer_routeur(
    lecteur: Callable[..., Any], service: Callable[..., Any], *, prefixe: str = "/pages", statique: str = "/statique"
) -> APIRouter:
    """The read-only pages and the papers, for the roles of `ROLES_LECTEURS` within their académies."""
    routeur = APIRouter(prefix=prefixe)
    Appelant = Annotated[Any, Depends(lecteur)]
    Service = Annotated[Any, Depends(service)]

    def page(gabarit: str, qui: Any, titre: str, fil: list[tuple[str, str | None]], **contexte: Any) -> HTMLResponse:
        return _html(gabarit, titre=titre, lecteur=qui, statique=statique, racine=prefixe, fil=fil, **contexte)

    def sous_garde(qui: Any, session: str, faire: Callable[[], Response]) -> Response:
        try:
            _cle(session, SESSION, "Session")
            verifier_portee(qui, session)
            return faire()
        except (RefusMetier, NonHabilite) as erreur:
            return page_probleme(erreur, statique, qui)

    def fil_session(session: str) -> list[tuple[str, str | None]]:
        return [("Sessions", None), (f"Session {session}", f"{prefixe}/sessions/{session}")]

    @routeur.get("/sessions/{session}", response_class=HTMLResponse)
    def page_session(session: str, qui: Appelant, registre: Service) -> Response:
        def faire() -> Response:
            etats = registre.etats(session)
            sceaux = ServiceDocuments(registre).sceaux_de_session(session, {e["jury"] for e in etats if e["jury"]})
            vue = modeles.vue_session(session, etats, registre.verifier(), sceaux)
            if not vue.total:
                raise Introuvable(f"Session inconnue ou vide : {session}")
            return page("session.html", qui, f"Session {session}", [("Sessions", None), (session, None)], vue=vue)

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/candidat")
    def aller_au_candidat(session: str, qui: Appelant, numero: Annotated[str, Query(max_length=20)] = "") -> Response:
        def faire() -> Response:
            _cle(numero.strip(), NUMERO, "Numéro de candidat")
            return RedirectResponse(f"{prefixe}/sessions/{session}/candidats/{numero.strip()}", status_code=303)

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/candidats/{numero}", response_class=HTMLResponse)
    def page_candidat(
        session: str,
        numero: str,
        qui: Appelant,
        registre: Service,
        a_la_date: Annotated[str | None, Query(max_length=40)] = None,
        t1: Annotated[str | None, Query(max_length=40)] = None,
        t2: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Response:
        def faire() -> Response:
            _cle(numero, NUMERO, "Numéro de candidat")
            evenements = registre.historique_complet(session, numero)
            moment = _moment(a_la_date, "État à un moment")
            etat = registre.etat_a(session, numero, date=moment) if moment else registre.etat_a(session, numero)
            debut, fin = _moment(t1, "Premier moment"), _moment(t2, "Second moment")
            difference = registre.difference(session, numero, debut, fin) if debut and fin else None
            documents = [
                modeles.Document(n, t, c) for n, t, c in ServiceDocuments(registre).disponibles(session, numero)
            ]
            vue = modeles.VueCandidat(
                session=session, numero=numero, chronologie=modeles.chronologie(evenements), etat=etat,
                moment=a_la_date if moment else None, difference=difference,
                t1=t1 or (evenements[0].horodatage[:19] if evenements else ""),
                t2=t2 or (evenements[-1].horodatage[:19] if evenements else ""),
                documents=documents, delibere=registre.etat_a(session, numero).decision is not None,
            )  # fmt: skip
            fil = [*fil_session(session), (f"Candidat {numero}", None)]
            return page(
                "candidat.html", qui, f"Candidat {numero}", fil, vue=vue, libelles_decision=modeles.LIBELLES_DECISION
            )

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/candidats/{numero}/explication", response_class=HTMLResponse)
    def page_explication(session: str, numero: str, qui: Appelant, registre: Service) -> Response:
        def faire() -> Response:
            _cle(numero, NUMERO, "Numéro de candidat")
            e = registre.expliquer(session, numero)
            sceau = sceau_imprime(e.sceau)
            fil = [*fil_session(session), (f"Candidat {numero}", f"{prefixe}/sessions/{session}/candidats/{numero}"),
                   ("Explication", None)]  # fmt: skip
            return page("explication.html", qui, f"Explication de la décision du candidat {numero}", fil, vue=e,
                        sceau=sceau)  # fmt: skip

        return sous_garde(qui, session, faire)

    def document_candidat(session: str, numero: str, nature: str, qui: Any, registre: Any) -> Any:
        _cle(numero, NUMERO, "Numéro de candidat")
        if nature not in NATURES_CANDIDAT:
            raise Introuvable(f"Document inconnu : {nature[:20]}")
        return ServiceDocuments(registre).emettre(nature, session, numero=numero, acteur=qui.acteur, role=qui.role)

    @routeur.get("/sessions/{session}/candidats/{numero}/documents/{nature}.pdf")
    def pdf_candidat(session: str, numero: str, nature: str, qui: Appelant, registre: Service) -> Response:
        return sous_garde(qui, session, lambda: _pdf(document_candidat(session, numero, nature, qui, registre)))

    @routeur.get("/sessions/{session}/candidats/{numero}/documents/{nature}", response_class=HTMLResponse)
    def page_document(session: str, numero: str, nature: str, qui: Appelant, registre: Service) -> Response:
        def faire() -> Response:
            rendu = document_candidat(session, numero, nature, qui, registre)
            fil = [*fil_session(session), (f"Candidat {numero}", f"{prefixe}/sessions/{session}/candidats/{numero}"),
                   (rendu.vue.entete.titre, None)]  # fmt: skip
            return page("document_page.html", qui, f"{rendu.vue.entete.titre} du candidat {numero}", fil,
                        vue=rendu.vue, impression=rendu.impression, partiel=GABARITS[nature],
                        lien_pdf=f"{prefixe}/sessions/{session}/candidats/{numero}/documents/{nature}.pdf")  # fmt: skip

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/jurys/{jury}", response_class=HTMLResponse)
    def page_jury(session: str, jury: str, qui: Appelant, registre: Service) -> Response:
        def faire() -> Response:
            agregat, pvs = ServiceDocuments(registre).jury(session, _cle(jury, JURY, "Jury"))
            vue = modeles.vue_jury(agregat, pvs, registre.verifier())
            fil = [*fil_session(session), (f"Jury {jury}", None)]
            return page("jury.html", qui, f"Jury {jury}, session {session}", fil, vue=vue)

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/jurys/{jury}/pv-{groupe}.pdf")
    def pdf_pv(session: str, jury: str, groupe: int, qui: Appelant, registre: Service) -> Response:
        def faire() -> Response:
            if groupe not in (1, 2):
                raise Introuvable(f"Groupe inconnu : {groupe}")
            documents = ServiceDocuments(registre)
            return _pdf(documents.emettre("pv", session, jury=_cle(jury, JURY, "Jury"), groupe=groupe,
                                          acteur=qui.acteur, role=qui.role))  # fmt: skip

        return sous_garde(qui, session, faire)

    @routeur.get("/sessions/{session}/statistiques", response_class=HTMLResponse)
    def page_statistiques(
        session: str,
        qui: Appelant,
        registre: Service,
        etape: Annotated[str, Query(pattern="^(provisoire|second_groupe|final)$")] = "provisoire",
    ) -> Response:
        def faire() -> Response:
            precedente = f"{int(session[:4]) - 1}{session[4:]}"
            try:
                s = registre.statistiques(session, etape=etape, comparer=precedente)
            except Introuvable:  # no previous session in this registry: no evolution to show (R46)
                s = registre.statistiques(session, etape=etape)
            vue = modeles.vue_statistiques(s, rendus_statistiques.png(s))
            fil = [*fil_session(session), ("Statistiques", None)]
            return page("statistiques.html", qui, f"Statistiques de la session {session}", fil, vue=vue)

        return sous_garde(qui, session, faire)

    return routeur


def routeurs(lecteur: Callable[..., Any], service: Callable[..., Any]) -> tuple[APIRouter, APIRouter]:
    """Both routers behind a given authentication (the tests'): ``creer_app(routeurs=routeurs(lecteur, service))``;
    `adapters.pages.connexion.pages_du_registre` gives them behind the registry's own tokens."""
    return creer_routeur(lecteur, service), creer_routeur_public(service)


def _pdf(rendu: Any) -> Response:
    return Response(
        rendu.pdf(), media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{rendu.nom_fichier}"',
                 "X-Code-Verification": rendu.code},
    )  # fmt: skip


def creer_routeur_public(service: Callable[..., Any], *, statique: str = "/statique") -> APIRouter:
    """No authentication: the verification of a paper (kind, session, decision, content hash, nothing else)
    and the pages' style sheets."""
    routeur = APIRouter()
    Service = Annotated[Any, Depends(service)]

    def verification(registre: Any, code: str | None, empreinte: str | None) -> HTMLResponse:
        v = ServiceDocuments(registre).verifier(code, empreinte=empreinte or None) if code else None
        return _html("verification.html", 200 if v is None or v.statut != "non_emis" else 404,
                     titre="Vérifier un document", v=v, empreinte=empreinte, action="/verifier", statique=statique,
                     lecteur=None, fil=None)  # fmt: skip

    @routeur.get("/verifier", response_class=HTMLResponse)
    def formulaire(
        registre: Service,
        code: Annotated[str | None, Query(max_length=1000)] = None,
        empreinte: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> Response:
        return verification(registre, code[:40] if code else None, empreinte[:64] if empreinte else None)

    @routeur.get("/verifier/{code}", response_class=HTMLResponse)
    def verifier(
        code: str, registre: Service, empreinte: Annotated[str | None, Query(max_length=1000)] = None
    ) -> Response:
        return verification(registre, code[:40], empreinte[:64] if empreinte else None)

    @routeur.get(statique + "/registre.css")
    def feuille() -> Response:
        return FileResponse(STATIQUE / "registre.css", media_type="text/css")

    @routeur.get(statique + "/dsfr/{chemin:path}")
    def dsfr(chemin: str) -> Response:
        base = dossier_dsfr().resolve()
        cible = (base / chemin).resolve()
        if not cible.is_relative_to(base) or cible.suffix not in SUFFIXES_STATIQUES or not cible.is_file():
            return Response(status_code=404)
        return FileResponse(cible)

    return routeur
