"""Aggregate ids derived from natural keys (STYLE), so that a twin collides on the store.

Two writers creating the same candidate compute the same id and the event store's
uniqueness on (id, version 1) lets only one of them win.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

# Fixed forever: changing it would orphan every stored aggregate.
ESPACE_BAC_REGISTRE = UUID("3c7d2f0e-5b1a-5e8c-9a47-1f2b6d0c8e93")

CODE_SESSION = re.compile(r"^(?P<annee>20[0-9]{2})-(?P<academie>[a-z][a-z0-9-]{1,40})$")


# Cached: in a batch every line derives its aggregates' ids again.
@lru_cache(maxsize=1 << 16)
def session_id(code_session: str) -> UUID:
    return uuid5(ESPACE_BAC_REGISTRE, f"session:{code_session}")


@lru_cache(maxsize=1 << 16)
def candidat_id(code_session: str, numero: str) -> UUID:
    return uuid5(ESPACE_BAC_REGISTRE, f"candidat:{code_session}:{numero}")


@lru_cache(maxsize=1 << 16)
def inscription_annuelle_id(annee: int, ine: str) -> UUID:
    """One id per person and year, whatever the académie: R36 (D336-16, D334-17)."""
    return uuid5(ESPACE_BAC_REGISTRE, f"inscription-annuelle:{annee}:{ine.upper()}")


@lru_cache(maxsize=1 << 16)
def jury_id(code_session: str, code_jury: str) -> UUID:
    return uuid5(ESPACE_BAC_REGISTRE, f"jury:{code_session}:{code_jury}")


def lot_correlation_id(empreinte_lot: str) -> UUID:
    """The correlation id of a batch file is derived from its content, so a re-run keeps it."""
    return uuid5(ESPACE_BAC_REGISTRE, f"lot:{empreinte_lot}")


def commande_id(correlation_id: UUID, numero_ligne: int) -> UUID:
    return uuid5(correlation_id, f"ligne:{numero_ligne}")


def crees_par(commande: Any) -> list[UUID]:
    """The aggregates a command would create: looked up in bulk before a batch runs."""
    if commande.type == "inscrire":
        annee = int(commande.session[:4])
        return [candidat_id(commande.session, commande.numero), inscription_annuelle_id(annee, commande.identite.ine)]
    if commande.type == "ouvrir_session":
        return [session_id(commande.session)]
    return []


def references(commande: Any) -> list[UUID]:
    """The aggregates a command names (its session, its candidate, its jury) or creates: loaded in bulk before a
    batch's slice runs, instead of one by one."""
    session = getattr(commande, "session", None)
    if not isinstance(session, str):
        return []
    trouves = [session_id(session), *crees_par(commande)]
    numero = getattr(commande, "numero", None)
    if isinstance(numero, str):
        trouves.append(candidat_id(session, numero))
    jury = getattr(commande, "jury", None)
    if isinstance(jury, str):
        trouves.append(jury_id(session, jury))
    return trouves
