"""Stored form of events: the pydantic model's own JSON, validated again when read back (ADR 0002).

The library's default mapper stores ``vars(event)`` through its JSON transcoder; our events are
pydantic models, so their JSON is produced and parsed by pydantic itself (exact ``Decimal`` as
string, ``UUID``, ``datetime`` with offset). Compression and encryption configured through the
library's environment (``COMPRESSOR_TOPIC``, ``CIPHER_TOPIC``) still apply.

Personal fields (domain/donnees_personnelles.py) are stored encrypted with their candidate's own key (ADR 0023):
``{"chiffre": …, "cle": …, "alg": "A256GCM"}``, bound to the event's aggregate id and topic. A field stored in
clear by a log older than ADR 0023 still reads as it was; a field whose key is destroyed reads as erased.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel, ValidationError

from adapters.stockage import cles
from adapters.stockage.lecture_delibere import lire_delibere
from domain.donnees_personnelles import CHAMPS_PERSONNELS, ChampPersonnel
from domain.evenements import Delibere, sujets

# Stored topic → the personal field its events carry.
PERSONNELS: dict[str, ChampPersonnel] = {sujets()[c.evenement]: c for c in CHAMPS_PERSONNELS}


class MappeurPydantic(Mapper[UUID]):
    coffre: cles.Coffre | None = None  # set by the registry; without it (never in use) fields stay as they are

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        model = cast(BaseModel, domain_event)
        state = model.__pydantic_serializer__.to_json(model)
        topic = get_topic(type(model))
        champ = PERSONNELS.get(topic)
        if champ is not None and self.coffre is not None:
            state = self._chiffrer(state, topic, model, champ, self.coffre)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(
            originator_id=model.originator_id,  # type: ignore[attr-defined]
            originator_version=model.originator_version,  # type: ignore[attr-defined]
            topic=topic,
            state=state,
        )

    @staticmethod
    def _chiffrer(state: bytes, topic: str, model: Any, champ: ChampPersonnel, coffre: cles.Coffre) -> bytes:
        donnees = orjson.loads(state)
        valeur = donnees.get(champ.champ)
        if valeur is None or valeur == champ.efface:
            return state  # nothing personal left to protect
        proprietaire = model.originator_id if champ.proprietaire is None else getattr(model, champ.proprietaire)
        cle_id = proprietaire.hex
        associees = cles.donnees_associees(model.originator_id, topic)
        chiffre = cles.chiffrer(coffre.cle_pour_chiffrer(cle_id), orjson.dumps(valeur), associees)
        donnees[champ.champ] = {"chiffre": chiffre, "cle": cle_id, "alg": cles.ALGORITHME}
        return orjson.dumps(donnees)

    def _ouvrir(self, donnees: Any, stored_event: StoredEvent, champ: ChampPersonnel) -> bool:
        """Open the personal field of ``donnees`` in place with its key (erased if the key is destroyed, R56);
        False if there was nothing to open (a log older than ADR 0023 keeps the field in clear). A state that is
        JSON but not an object is not an event's: a ValueError, which the mapper reports as unreadable."""
        if not isinstance(donnees, dict):
            raise ValueError("l'état stocké n'est pas un objet JSON")
        valeur = donnees.get(champ.champ)
        if not (isinstance(valeur, dict) and "chiffre" in valeur and "cle" in valeur):
            return False
        cle_id = str(valeur["cle"])
        cle = self.coffre.cle_pour_lire(cle_id) if self.coffre is not None else None
        if cle is None:
            donnees[champ.champ] = champ.efface  # key destroyed (R56): the identity is erased
        else:
            associees = cles.donnees_associees(stored_event.originator_id, stored_event.topic)
            donnees[champ.champ] = orjson.loads(cles.dechiffrer(cle, str(valeur["chiffre"]), associees, cle_id=cle_id))
        return True

    def clair(self, state: bytes) -> bytes:
        """The event's JSON under the library's cipher and compressor, if configured (they raise if it is not
        theirs)."""
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return state

    def _illisible(self, stored_event: StoredEvent, e: Exception) -> MapperDeserialisationError:
        return MapperDeserialisationError(
            f"Événement illisible : topic {stored_event.topic}, agrégat {stored_event.originator_id}, "
            f"version {stored_event.originator_version} : {e}"
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        try:
            state = self.clair(stored_event.state)
            champ = PERSONNELS.get(stored_event.topic)
            if champ is not None:
                donnees = orjson.loads(state)
                if self._ouvrir(donnees, stored_event, champ):
                    state = orjson.dumps(donnees)
            if cls is Delibere:  # its trace's model chosen on the bytes, not by materialising the trace
                return lire_delibere(state)
            return cls.model_validate_json(state)
        except (ValidationError, ValueError) as e:
            raise self._illisible(stored_event, e) from e

    def champ_personnel(self, stored_event: StoredEvent) -> Any:
        """The personal field of an identity-bearing stored event, opened as `to_domain_event` opens it (the same
        key, the same `CleInvalide`, erased once its key is destroyed), as JSON, without validating the rest of
        the event: `bac verifier`'s look at every identity of the log (ADR 0023), whose hashes already vouch for
        the bytes. A record that is not an event's JSON raises the mapper's `MapperDeserialisationError`."""
        champ = PERSONNELS[stored_event.topic]
        try:
            donnees = orjson.loads(self.clair(stored_event.state))
            self._ouvrir(donnees, stored_event, champ)
        except ValueError as e:
            raise self._illisible(stored_event, e) from e
        return donnees.get(champ.champ)


class TranscodeurInutile:
    """The library wants a transcoder; ours is never called since events encode themselves."""

    def encode(self, obj: Any) -> bytes:  # pragma: no cover - never called
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:  # pragma: no cover - never called
        raise NotImplementedError
