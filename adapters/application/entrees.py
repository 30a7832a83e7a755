"""What the doors hand to the application service, turned into commands and values (or a clear refusal).

A door parses its own syntax (options, an HTTP body) into plain data; this module makes the command out of
it with the same pydantic models as a batch line, so that no door validates anything on its own.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from pydantic import ValidationError

from adapters.lots.erreurs_validation import traduire
from adapters.lots.lot import ErreurLigne, LotRefuse
from adapters.lots.schema import exporter
from domain.commandes import COMMANDE
from domain.errors import RefusMetier


def commande_depuis(donnees: dict[str, Any], *, role: str | None = None, raison: str | None = None) -> Any:
    """The command these fields make, or `LotRefuse` listing every field in French with its rule.
    Its actor is the authenticated caller's (ADR 0017): the service fills it in and refuses any other."""
    donnees = {k: v for k, v in {"role": role, "raison": raison, **donnees}.items() if v is not None and v != ()}
    try:
        return COMMANDE.validate_python(donnees)
    except ValidationError as e:
        raise LotRefuse([ErreurLigne(None, champ, message, regle) for champ, message, regle in traduire(e)]) from None


def objet_json(texte: str) -> dict[str, Any]:
    """One JSON object given on a command line."""
    try:
        donnees = orjson.loads(texte)
    except orjson.JSONDecodeError as e:
        raise RefusMetier(f"JSON mal formé : {e}", code="JSON_INVALIDE") from None
    if not isinstance(donnees, dict):
        raise RefusMetier("Une commande JSON est un objet { … }, pas une liste ni une valeur", code="JSON_INVALIDE")
    return donnees


def lire_date(texte: str) -> datetime:
    try:
        moment = datetime.fromisoformat(texte)
    except ValueError:
        raise RefusMetier(
            f"Date invalide : « {texte} » (attendu ISO 8601, ex. 2024-07-05T12:00)", code="DATE_INVALIDE"
        ) from None
    # An instant typed without offset is the exam office's wall time: Europe/Paris (issue 10), not UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Paris"))


def exporter_schema(dossier: Path) -> list[Path]:
    """The JSON Schema of the commands, the documented form of a batch line (docs/schema/)."""
    return exporter(dossier)


REF = "#/components/schemas/{model}"


def schema_commandes() -> dict[str, Any]:
    """The JSON Schema of a command (any type), with references an OpenAPI document can hold."""
    return COMMANDE.json_schema(ref_template=REF)


def schema_habilitations() -> dict[str, dict[str, Any]]:
    from domain.habilitation import AccorderHabilitation, RetirerHabilitation

    return {m.__name__: m.model_json_schema(ref_template=REF) for m in (AccorderHabilitation, RetirerHabilitation)}
