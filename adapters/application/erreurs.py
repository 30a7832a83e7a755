"""The errors a door can meet, in one place: domain refusals, refused batches, a bad database URL.

Doors catch these and nothing else of ours (cli/sortie.py), so the mapping to exit codes lives in one module.
"""

from adapters.lots.lot import ErreurLigne, LotRefuse
from adapters.stockage.configuration import UrlInvalide
from domain.errors import RefusMetier

__all__ = ["ErreurLigne", "LotRefuse", "RefusMetier", "UrlInvalide"]
