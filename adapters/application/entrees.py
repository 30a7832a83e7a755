"""What the doors hand to the application service, turned into commands and values (or a clear refusal).

A door parses its own syntax (options, an HTTP body) into plain data; this module makes the command out of
it with the same pydantic models as a batch line, so that no door validates anything on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError

from adapters.lots.erreurs_validation import court
from adapters.lots.lecture import LIMITE_LIGNE_OCTETS, ErreurLigne, LotRefuse, commande_de, ouvrir_fichier_ordinaire
from adapters.lots.lecture import objet_json as lire_objet
from adapters.lots.schema import exporter
from domain.commandes import COMMANDE
from domain.errors import RefusMetier
from domain.valeurs import CodeSession


def commande_depuis(donnees: dict[str, Any], *, role: str | None = None, raison: str | None = None) -> Any:
    """The command these fields make, or `LotRefuse` listing every field in French with its rule.
    Its actor is the authenticated caller's (ADR 0017): the service fills it in and refuses any other."""
    donnees = {k: v for k, v in donnees.items() if v is not None and v != ()}
    return commande_de({k: v for k, v in {"role": role, "raison": raison, **donnees}.items() if v is not None})


def objet_json(texte: str | bytes) -> dict[str, Any]:
    """One JSON object given on a command line or in a body: as strict as a batch line (UTF-8, no key twice,
    bounded), or `LotRefuse` saying why."""
    if len(texte) > LIMITE_LIGNE_OCTETS:
        raise LotRefuse(
            [
                ErreurLigne(
                    None,
                    "(commande)",
                    f"commande trop longue (plus de {LIMITE_LIGNE_OCTETS} octets)",
                    code="ENTREE_TROP_GRANDE",
                )
            ]
        )
    return lire_objet(texte)


_CODE_SESSION: TypeAdapter[str] = TypeAdapter(CodeSession)


def code_session(texte: str) -> str:
    """A session code as the commands spell it (2024-aix-marseille), or a clear refusal."""
    try:
        return _CODE_SESSION.validate_python(texte)
    except ValidationError:
        raise RefusMetier(
            f"Code de session invalide : « {court(texte)} » (attendu : année et académie, ex. 2024-aix-marseille)",
            code="SESSION_INVALIDE",
        ) from None


def cles_publiques(chemins: Iterable[Path]) -> frozenset[str]:
    """Trusted presidents' public keys (PEM files) as raw hex, or a clear refusal naming the file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

    cles = set()
    for chemin in chemins:
        try:
            with ouvrir_fichier_ordinaire(chemin) as flux:
                cle = load_pem_public_key(flux.read(64 * 1024))
        except LotRefuse as refus:
            raise RefusMetier(f"Clé publique illisible : {refus.erreurs[0].message}", code="CLE_INVALIDE") from None
        except (ValueError, TypeError):
            raise RefusMetier(
                f"Clé publique illisible : {court(str(chemin))} n'est pas une clé PEM", code="CLE_INVALIDE"
            ) from None
        if not isinstance(cle, Ed25519PublicKey):
            raise RefusMetier(f"La clé {court(str(chemin))} n'est pas une clé Ed25519", code="CLE_INVALIDE")
        cles.add(cle.public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
    return frozenset(cles)


def lire_date(texte: str) -> datetime:
    try:
        moment = datetime.fromisoformat(texte)
    except ValueError:
        raise RefusMetier(
            f"Date invalide : « {court(texte)} » (attendu ISO 8601, ex. 2024-07-05T12:00)", code="DATE_INVALIDE"
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
