"""Who reads the pages: the token of a habilitation, presented once in a form and kept in a cookie.

A browser cannot send ``Authorization: Bearer``; the reader pastes his token (the one `bac init` or the grant of
his habilitation printed) into `/pages/connexion`. It is verified like every request's, then kept in a cookie
that scripts cannot read (HttpOnly), that no other site's page sends (SameSite=Strict: a link or form elsewhere
arrives without it) and, behind HTTPS, that travels only encrypted (Secure). Every page request verifies it
again: a token revoked or a habilitation withdrawn closes the pages at the next click (ADR 0021).

The reading role and académies come from the habilitations (`ServiceRegistre.lecteur`), never from the request.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' signatures at run time.
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from adapters.application.documents import NonHabilite
from adapters.application.erreurs import NonAuthentifie
from adapters.application.habilitations import ROLES_LECTEURS
from adapters.pages.resultats import creer_routeur_resultats
from adapters.pages.routeur import creer_routeur, creer_routeur_public, page_probleme
from adapters.publication.rendu import rendre

COOKIE = "bac_jeton"
DUREE = 8 * 3600  # seconds: a working day; the token itself may live longer, the browser forgets it sooner
TAILLE_FORMULAIRE = 4096  # bytes: a token is ~100 characters, the form two fields


def _suivant(valeur: str | None, prefixe: str) -> str:
    """Where to go after signing in: a page of ours only (an open redirect would lend our name to a phishing
    link), by default the pages' home."""
    if valeur and valeur.startswith(prefixe + "/") and not valeur.startswith("//") and "\\" not in valeur:
        return valeur
    return prefixe + "/"


def _jeton(requete: Request) -> str | None:
    entete = requete.headers.get("authorization", "")
    if entete.lower().startswith("bearer "):
        return entete[7:].strip() or None
    return requete.cookies.get(COOKIE) or None


def lecteur_habilite(service: Callable[..., Any], *, prefixe: str = "/pages") -> Callable[..., Any]:
    """The pages' ``lecteur`` dependency: the caller the token proves, his scope read from his habilitations.
    A browser without a valid token is sent to the sign-in form (303), a program gets the 401 problem."""
    Service = Annotated[Any, Depends(service)]

    def lecteur(requete: Request, registre: Service) -> Any:
        try:
            return registre.lecteur(registre.authentifier(_jeton(requete)))
        except NonAuthentifie:
            if "text/html" not in requete.headers.get("accept", ""):
                raise
            cible = quote(requete.url.path + (f"?{requete.url.query}" if requete.url.query else ""), safe="/?=&")
            raise HTTPException(303, headers={"Location": f"{prefixe}/connexion?suivant={cible}"}) from None

    return lecteur


def creer_routeur_connexion(
    service: Callable[..., Any], *, prefixe: str = "/pages", statique: str = "/statique"
) -> APIRouter:
    """`GET|POST /pages/connexion` (the form, then the cookie), `POST /pages/deconnexion`, the pages' home (the
    sessions within the reader's académies)."""
    routeur = APIRouter(prefix=prefixe)
    Service = Annotated[Any, Depends(service)]

    def formulaire(suivant: str, statut: int = 200, erreur: str | None = None) -> HTMLResponse:
        html = rendre("connexion.html", titre="Connexion", statique=statique, lecteur=None, fil=None,
                      action=f"{prefixe}/connexion", suivant=suivant, erreur=erreur)  # fmt: skip
        return HTMLResponse(html, status_code=statut)

    @routeur.get("/connexion", response_class=HTMLResponse)
    def afficher(suivant: str | None = None) -> Response:
        return formulaire(_suivant(suivant, prefixe))

    @routeur.post("/connexion", response_class=HTMLResponse)
    async def connecter(requete: Request, registre: Service) -> Response:
        corps = b""
        async for morceau in requete.stream():  # bounded before parsing: a form is a few hundred bytes
            corps += morceau
            if len(corps) > TAILLE_FORMULAIRE:
                return formulaire(prefixe + "/", 413, "Formulaire trop volumineux : rien n'a été retenu.")
        try:
            champs = parse_qs(corps.decode("utf-8", "replace"), max_num_fields=4)
        except ValueError:  # more fields than the form has: not our form
            return formulaire(prefixe + "/", 400, "Formulaire invalide : rien n'a été retenu.")
        suivant = _suivant((champs.get("suivant") or [""])[0], prefixe)
        jeton = (champs.get("jeton") or [""])[0].strip()
        try:  # the token's hash is checked off the event loop (argon2 costs milliseconds by design)
            await run_in_threadpool(lambda: registre.lecteur(registre.authentifier(jeton)))
        except NonAuthentifie:
            return formulaire(suivant, 401, "Jeton absent, invalide, expiré ou révoqué : rien n'a été retenu.")
        reponse = RedirectResponse(suivant, status_code=303)
        reponse.set_cookie(
            COOKIE, jeton, max_age=DUREE, path=prefixe, httponly=True, samesite="strict",
            secure=requete.url.scheme == "https",
        )  # fmt: skip
        return reponse

    @routeur.post("/deconnexion")
    def deconnecter() -> Response:
        reponse = RedirectResponse(f"{prefixe}/connexion", status_code=303)
        reponse.delete_cookie(COOKIE, path=prefixe, httponly=True, samesite="strict")
        return reponse

    @routeur.get("/", response_class=HTMLResponse)
    def accueil(requete: Request, registre: Service) -> Response:
        try:
            qui = registre.lecteur(registre.authentifier(_jeton(requete)))
        except NonAuthentifie:
            return RedirectResponse(f"{prefixe}/connexion", status_code=303)
        if qui.role not in ROLES_LECTEURS:
            refus = NonHabilite(f"Le rôle {qui.role} ne consulte pas le registre (auditeur, recteur, service des "
                                "examens)", regle="R26")  # fmt: skip
            return page_probleme(refus, statique, qui)
        sessions = registre.sessions(qui.academies)
        html = rendre("accueil.html", titre="Accueil", statique=statique, lecteur=qui, fil=None, racine=prefixe,
                      sessions=sessions)  # fmt: skip
        return HTMLResponse(html)

    return routeur


def pages_du_registre(service: Callable[..., Any]) -> tuple[APIRouter, ...]:
    """Every page router behind the registry's own tokens and habilitations, for `bac serveur`:
    ``creer_app(url, routeurs=pages_du_registre(adapters.http.dependances.service))``."""
    return (
        creer_routeur_connexion(service),
        creer_routeur(lecteur_habilite(service), service),
        creer_routeur_public(service),
        creer_routeur_resultats(service),  # public: the published list of admitted candidates (R57)
    )
