"""Lists written so that French spreadsheet software opens them right (ADR 0018).

The dialect the back offices' sheets use, for writing: UTF-8 with a BOM (without it Excel reads the bytes
as Windows-1252 and « Lycée » becomes « LycÃ©e »), `;` between cells, a decimal comma, CRLF line ends.
A text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
return first: OWASP "CSV injection") is written with a leading apostrophe, which the spreadsheet shows as
text and never evaluates; numbers are written by us and never need it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

BOM = "\ufeff"
SEPARATEUR = ";"
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutraliser(texte: str) -> str:
    """A text cell a spreadsheet shows as written and never runs (leading spaces do not hide a formula)."""
    return "'" + texte if texte.lstrip(" ").startswith(DEBUTS_DE_FORMULE) else texte


def nombre(valeur: Decimal | int | float) -> str:
    """A number with a decimal comma (12,35), never in exponent form."""
    if isinstance(valeur, int):
        return str(valeur)
    texte = format(Decimal(str(valeur)), "f")
    return texte.replace(".", ",")


def cellule(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int | float | Decimal):
        return nombre(valeur)
    return neutraliser(str(valeur))


def ecrire_csv(colonnes: Sequence[str], lignes: Iterable[Sequence[Any]]) -> bytes:
    """The whole file as bytes (BOM included): `;`, decimal comma, CRLF, formulas neutralised."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=SEPARATEUR, lineterminator="\r\n")
    ecrivain.writerow([neutraliser(c) for c in colonnes])
    for ligne in lignes:
        ecrivain.writerow([cellule(v) for v in ligne])
    return (BOM + tampon.getvalue()).encode("utf-8")


COLONNES_CANDIDATS = (
    "numero", "voie", "serie", "categorie", "jury", "notes_saisies", "epreuves_attendues", "statut", "decision",
    "groupe", "mention", "moyenne", "total_points", "total_coefficients",
)  # fmt: skip
NUMERIQUES = {"moyenne", "total_points", "total_coefficients"}  # exact decimal strings in the read model


def _valeur(nom: str, valeur: Any) -> Any:
    if nom in NUMERIQUES and isinstance(valeur, str) and valeur:
        return Decimal(valeur)
    return valeur


def candidats_csv(lignes: Iterable[dict[str, Any]]) -> bytes:
    """The list of a session's candidates (the read model's columns, no personal data)."""
    return ecrire_csv(COLONNES_CANDIDATS, ([_valeur(c, ligne.get(c)) for c in COLONNES_CANDIDATS] for ligne in lignes))
