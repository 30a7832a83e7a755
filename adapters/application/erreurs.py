"""The errors a door can meet, in one place: domain refusals, refused batches, a bad database URL, no credential.

Doors catch these and nothing else of ours; `adapters.application.reponses` maps each to an HTTP status and an
exit code, once for every door.
"""

from __future__ import annotations

from adapters.lots.lot import ErreurLigne, LotRefuse
from adapters.stockage.configuration import UrlInvalide, erreur_stockage
from domain.errors import JournalAltere, RefusMetier


class NonAuthentifie(Exception):
    """No credential, or one that does not verify (401): said without echoing the secret."""

    def __init__(self, message: str = "Identifiant de connexion absent ou invalide", code: str = "NON_AUTHENTIFIE"):
        self.message = message
        self.code = code
        super().__init__(message)


__all__ = [
    "ErreurLigne",
    "JournalAltere",
    "LotRefuse",
    "NonAuthentifie",
    "RefusMetier",
    "UrlInvalide",
    "erreur_stockage",
]
