"""The documented JSON form of the commands (docs/schema/) never drifts from the code."""

from __future__ import annotations

from pathlib import Path

from adapters.lots.schema import exporter

RACINE = Path(__file__).resolve().parents[1]


def test_schema_publie_a_jour(tmp_path: Path) -> None:
    (genere,) = exporter(tmp_path)
    publie = RACINE / "docs" / "schema" / genere.name
    assert publie.read_text(encoding="utf-8") == genere.read_text(encoding="utf-8"), (
        "docs/schema est périmé : lancer `make schema`"
    )
