"""What `--json` prints when the act is done or the question answered: the one success envelope.

``{"statut": "ok", "resultat": …}`` (`adapters.application.reponses.Succes`), the same model the HTTP
service answers with; refusals are `Probleme` (cli/sortie.py). ``None`` values stay ``null``.
"""

from __future__ import annotations

from typing import Any

from adapters.application.reponses import Succes
from cli.sortie import imprimer_json


def imprimer_succes(resultat: Any) -> None:
    imprimer_json(Succes(resultat=resultat))
