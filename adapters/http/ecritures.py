"""Writes: one command, a JSON Lines batch, a habilitation granted or withdrawn. Parse, authenticate, call."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool

from adapters.application.entrees import commande_depuis
from adapters.application.erreurs import ErreurLigne, LotRefuse, RefusMetier
from adapters.application.habilitations import accord_depuis, retrait_depuis
from adapters.http.dependances import Appelant, Service
from adapters.http.reponses import ok

routeur = APIRouter(tags=["écritures"])

TAILLE_COMMANDE = 1 << 20  # 1 MiB: the largest command (a harmonisation of 20,000 grades) is ≈ 1.5 MB of JSON
TAILLE_LOT = 256 << 20  # a national day's batch of one académie
TAILLE_FEUILLE = 21 << 20  # a sheet is refused at 20 MiB by the sheet reader itself, with its own message
CLE_MAX = 200


async def _corps(requete: Request, limite: int) -> bytes:
    """The body, read as it streams in and refused as soon as it is larger than ``limite`` (413)."""
    morceaux, taille = [], 0
    async for morceau in requete.stream():
        taille += len(morceau)
        if taille > limite:
            raise RefusMetier(f"Corps de requête trop volumineux (plus de {limite} octets)", code="ENTREE_TROP_GRANDE")
        morceaux.append(morceau)
    return b"".join(morceaux)


def _objet(contenu: bytes) -> dict[str, Any]:
    try:
        donnees = orjson.loads(contenu)
    except orjson.JSONDecodeError:
        raise LotRefuse([ErreurLigne(None, "(corps)", "JSON mal formé", code="JSON_INVALIDE")]) from None
    if not isinstance(donnees, dict):
        raise LotRefuse([ErreurLigne(None, "(corps)", "un objet JSON est attendu", code="JSON_INVALIDE")])
    return donnees


@routeur.post(
    "/commandes",
    summary="Exécuter une commande (même modèle qu'une ligne de lot)",
    description="L'acteur et le rôle de l'acte sont ceux du jeton présenté et de son habilitation à cet instant ; "
    "un corps qui nomme un autre acteur, ou un rôle non détenu, est refusé (403). Avec l'en-tête "
    "Idempotency-Key, une requête rejouée n'est appliquée qu'une fois.",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Commande"}}}}},
)  # fmt: skip
async def commande(
    requete: Request,
    s: Service,
    appelant: Appelant,
    cle: Annotated[str | None, Header(alias="Idempotency-Key", max_length=CLE_MAX, pattern=r"^[\x21-\x7e]+$")] = None,
) -> Any:
    donnees = _objet(await _corps(requete, TAILLE_COMMANDE))
    c = commande_depuis(donnees)

    def executer() -> list[Any]:
        return s.executer(c, appelant, cle_idempotence=cle)

    evenements = await run_in_threadpool(executer)
    return ok(
        {"evenements": [type(e).__name__ for e in evenements], "deja_applique": cle is not None and not evenements}
    )


@routeur.post(
    "/lots",
    summary="Appliquer un lot JSON Lines : tout ou rien, chaque ligne exactement une fois",
    description="Le corps est lu au fil de l'eau (application/x-ndjson). Renvoyer le même corps après une "
    "coupure reprend après la dernière ligne appliquée ; un lot déjà appliqué ne change rien.",
    openapi_extra={"requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {
        "type": "string"}}}}},
)  # fmt: skip
async def lot(requete: Request, s: Service, appelant: Appelant) -> Any:
    contenu = await _corps(requete, TAILLE_LOT)

    def appliquer() -> Any:
        return s.appliquer_lot(s.lire_contenu(contenu, appelant), appelant)

    return ok(await run_in_threadpool(appliquer))


FORMATS_FEUILLE = {"text/csv": "csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx"}


@routeur.post(
    "/feuilles",
    summary="Importer une feuille de notes CSV ou XLSX (ADR 0018) : tout ou rien, une seule fois",
    description="Le corps est le fichier tel quel ; son format vient de Content-Type (text/csv ou XLSX) ou de "
    "l'extension de `nom`. Les notes sont saisies au nom du porteur du jeton, dans son rôle de saisie ; un "
    "refus nomme la feuille, la ligne et la colonne.",
    openapi_extra={"requestBody": {"required": True, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}}}}},
)  # fmt: skip
async def feuille(
    requete: Request,
    s: Service,
    appelant: Appelant,
    session: Annotated[str | None, Query(pattern=r"^20[0-9]{2}-[a-z][a-z0-9-]{1,40}$")] = None,
    nom: Annotated[str, Query(max_length=200, pattern=r"^[^/\\\x00-\x1f]+$")] = "feuille",
) -> Any:
    contenu = await _corps(requete, TAILLE_FEUILLE)
    type_contenu = requete.headers.get("content-type", "").split(";")[0].strip().lower()
    format = FORMATS_FEUILLE.get(type_contenu)

    def appliquer() -> Any:
        lue = s.lire_feuille(contenu, appelant, nom=nom, format=format, session=session)
        return s.appliquer_feuille(lue, appelant)

    return ok(await run_in_threadpool(appliquer))


@routeur.post(
    "/habilitations",
    summary="Accorder une habilitation (chaîne d'autorité, R26) ; le jeton émis n'est montré qu'une fois",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/AccorderHabilitation"}}}}},
)  # fmt: skip
async def accorder(requete: Request, s: Service, appelant: Appelant) -> Any:
    demande = accord_depuis(_objet(await _corps(requete, TAILLE_COMMANDE)))

    def faire() -> Any:
        numero, jeton = s.accorder(demande, appelant)
        return {"acteur": demande.acteur, "numero": numero, "jeton": jeton.texte if jeton else None}

    return ok(await run_in_threadpool(faire))


@routeur.post(
    "/habilitations/retraits",
    summary="Retirer une habilitation : dès maintenant elle ne couvre plus aucun acte",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/RetirerHabilitation"}}}}},
)  # fmt: skip
async def retirer(requete: Request, s: Service, appelant: Appelant) -> Any:
    demande = retrait_depuis(_objet(await _corps(requete, TAILLE_COMMANDE)))
    await run_in_threadpool(lambda: s.retirer(demande, appelant))
    return ok({"acteur": demande.acteur, "numero": demande.numero})
