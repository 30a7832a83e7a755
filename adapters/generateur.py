"""Synthetic candidates as batch commands, deterministic from a seed (demo, benchmarks, tests).

Épreuves and grade kinds come from the règlement itself, so the generated grades always fit
the rules of the session (whole points for épreuves, tenths for contrôle continu).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.reglement import Epreuve, charger_reglement

NATURES_TERMINALES = {"ecrit_terminal", "oral_terminal", "anticipee_ecrit", "anticipee_oral"}
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent"]
PRENOMS = ["Camille", "Léa", "Hugo", "Inès", "Lucas", "Chloé", "Nathan", "Jade", "Louis", "Manon"]
SPECIALITES = ["MATHS", "PC", "SVT", "SES", "HGGSP", "HLP", "LLCER", "NSI"]


def _note(rng: random.Random, epreuve: Epreuve, niveau: float) -> Decimal:
    brute = min(20.0, max(0.0, rng.gauss(niveau, 3.0)))
    if epreuve.note_entiere:
        return Decimal(round(brute))
    return Decimal(str(round(brute, 2)))


def commande_inscription(
    session: str, annee: int, numero: int, rng: random.Random, voie: str = "general", serie: str | None = None
) -> dict[str, Any]:
    specialites = rng.sample(SPECIALITES, 2) if voie != "professionnel" else []
    return {
        "type": "inscrire",
        "session": session,
        "numero": f"{numero:08d}",
        "identite": {
            "ine": f"{numero:09d}{chr(65 + numero % 26)}{chr(65 + (numero // 26) % 26)}",
            "nom": rng.choice(NOMS),
            "prenom": rng.choice(PRENOMS),
            "date_naissance": (date(annee - 18, 1, 1) + timedelta(days=rng.randrange(365))).isoformat(),
        },
        "voie": voie,
        "serie": serie,
        "specialites": specialites,
        "categorie": "scolaire_public",
        "etablissement": f"013{numero % 10000:04d}X",
        "livret_scolaire": True,
    }


def commandes_notes(
    session: str,
    annee: int,
    numero: int,
    rng: random.Random,
    voie: str = "general",
    serie: str | None = None,
    limite: int | None = None,
) -> Iterator[dict[str, Any]]:
    reglement = charger_reglement(annee, voie, serie)
    niveau = rng.gauss(11.5, 2.5)
    for epreuve in reglement.epreuves_obligatoires()[:limite]:
        terminale = epreuve.nature in NATURES_TERMINALES
        yield {
            "type": "saisir_note",
            "session": session,
            "numero": f"{numero:08d}",
            "epreuve": epreuve.code,
            "note": str(_note(rng, epreuve, niveau)),
            "origine": "epreuve_terminale" if terminale else "controle_continu",
            "source": "santorin" if terminale else "livret_scolaire",
        }


def cohorte(
    session: str,
    annee: int,
    nombre: int,
    graine: int = 2024,
    *,
    premier_numero: int = 10_000_001,
    notes_par_candidat: int | None = None,
    par_releve: bool = False,
) -> Iterator[dict[str, Any]]:
    """Inscription then grades, candidate after candidate (the order of a results-week import).

    ``par_releve``: each candidate's grades as one ``saisir_notes`` line (a transcript), instead of
    one ``saisir_note`` line per grade; the events are the same.
    """
    rng = random.Random(graine)
    champs = ("epreuve", "note", "origine", "source")
    for numero in range(premier_numero, premier_numero + nombre):
        yield commande_inscription(session, annee, numero, rng)
        notes = commandes_notes(session, annee, numero, rng, limite=notes_par_candidat)
        if not par_releve:
            yield from notes
            continue
        yield {
            "type": "saisir_notes",
            "session": session,
            "numero": f"{numero:08d}",
            "notes": [{k: n[k] for k in champs} for n in notes],
        }
