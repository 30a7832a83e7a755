"""Stored form of events: the pydantic model's own JSON, validated again when read back (ADR 0002).

The library's default mapper stores ``vars(event)`` through its JSON transcoder; our events are
pydantic models, so their JSON is produced and parsed by pydantic itself (exact ``Decimal`` as
string, ``UUID``, ``datetime`` with offset). Compression and encryption configured through the
library's environment (``COMPRESSOR_TOPIC``, ``CIPHER_TOPIC``) still apply.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel, ValidationError


class MappeurPydantic(Mapper[UUID]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        model = cast(BaseModel, domain_event)
        state = model.__pydantic_serializer__.to_json(model)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(
            originator_id=model.originator_id,  # type: ignore[attr-defined]
            originator_version=model.originator_version,  # type: ignore[attr-defined]
            topic=get_topic(type(model)),
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        state = stored_event.state
        try:
            if self.cipher:
                state = self.cipher.decrypt(state)
            if self.compressor:
                state = self.compressor.decompress(state)
            return cls.model_validate_json(state)
        except (ValidationError, ValueError) as e:
            msg = (
                f"Événement illisible : topic {stored_event.topic}, agrégat {stored_event.originator_id}, "
                f"version {stored_event.originator_version} : {e}"
            )
            raise MapperDeserialisationError(msg) from e


class TranscodeurInutile:
    """The library wants a transcoder; ours is never called since events encode themselves."""

    def encode(self, obj: Any) -> bytes:  # pragma: no cover - never called
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:  # pragma: no cover - never called
        raise NotImplementedError
