"""The success envelope of every door (`adapters.application.reponses.Succes`): ``{"statut": "ok", "resultat": …}``.

Decimals travel as decimal strings (12.35 stays 12.35), timestamps with their offset, ``null`` for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel


def _defaut(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, Decimal | UUID):
        return str(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    if isinstance(obj, bytes):
        return obj.hex()
    raise TypeError(type(obj).__name__)


def ok(resultat: Any) -> Response:
    contenu = orjson.dumps({"statut": "ok", "resultat": resultat}, default=_defaut, option=orjson.OPT_NON_STR_KEYS)
    return Response(contenu, media_type="application/json")


def lignes_json(lignes: Iterable[dict[str, Any]]) -> StreamingResponse:
    return StreamingResponse((orjson.dumps(ligne) + b"\n" for ligne in lignes), media_type="application/x-ndjson")
