"""A stored `Délibéré` read back without turning its trace into Python objects twice (ADR 0002).

The trace field is a union tagged by a function (domain/deliberation.py: the tag is computed, never stored). To
call that function, pydantic-core first builds the trace's JSON as Python dicts and lists, then validates the JSON
again against the model it names: measured over the 34,530 decisions of an Aix-Marseille day, 128 µs a decision
read so, 100 µs read here — and a decision is the largest event a candidate's replay decodes.

Here the stored bytes suggest the model (only a second-groupe trace has a ``premier_groupe`` key), a twin of the
event whose trace is that one model validates the state, and the `Délibéré` is built from the twin's validated
fields (``model_construct``: the same values and the same fields set). The bytes only suggest: whenever the twin
refuses a state, the event's own validation decides, so a state is read, or refused with its reason, exactly as
``Délibéré.model_validate_json`` would (tests/test_lecture_delibere.py compares both on every decision of a jury
and on rewritten states).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from domain.calcul.types import DecisionPremierGroupe, DecisionSecondGroupe
from domain.evenements import Delibere

# A key only `DecisionSecondGroupe` has, as pydantic writes it. In a JSON string a quote is escaped (\"), so
# these bytes can only be a key: at worst a key of some other object of a rewritten state, which the twin refuses.
CLE_SECOND_GROUPE = b'"premier_groupe":'


def _jumeau(nom: str, trace: type[BaseModel]) -> type[BaseModel]:
    """The event's fields and configuration, its trace being ``trace`` alone (every other field's own `FieldInfo`:
    its type, default and constraints)."""
    champs: dict[str, Any] = {
        champ: (trace, ...) if champ == "trace" else (info.annotation, info)
        for champ, info in Delibere.model_fields.items()
    }
    return create_model(nom, __config__=Delibere.model_config, **champs)


JUMEAU_PREMIER = _jumeau("DelibereLuPremierGroupe", DecisionPremierGroupe)
JUMEAU_SECOND = _jumeau("DelibereLuSecondGroupe", DecisionSecondGroupe)


def lire_delibere(etat: bytes | bytearray | memoryview | str) -> Any:
    """The `Délibéré` of a stored state (its JSON), or pydantic's `ValidationError` as the event itself gives it."""
    octets = etat.encode("utf-8") if isinstance(etat, str) else bytes(etat)
    jumeau = JUMEAU_SECOND if CLE_SECOND_GROUPE in octets else JUMEAU_PREMIER
    try:
        lu = jumeau.model_validate_json(octets)
    except ValidationError:
        return Delibere.model_validate_json(octets)  # the event's own validation decides, and says why
    return Delibere.model_construct(_fields_set=lu.model_fields_set, **dict(lu))
