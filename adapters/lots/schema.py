"""Export the JSON Schema of the commands: the documented form of a batch line (docs/schema/)."""

from __future__ import annotations

import json
from pathlib import Path

from domain.commandes import COMMANDE


def exporter(dossier: Path) -> list[Path]:
    dossier.mkdir(parents=True, exist_ok=True)
    schema = COMMANDE.json_schema()
    schema["title"] = "Commande du registre bac-registre (une ligne d'un lot JSON Lines)"
    chemin = dossier / "commande.schema.json"
    chemin.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return [chemin]
