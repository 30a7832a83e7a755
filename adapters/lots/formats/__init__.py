"""Grade sheets (CSV `;` and XLSX) turned into the same `Lot` as a JSON Lines batch (issue 10, ADR 0018).

A sheet goes through the batch engine unchanged: every cell is validated first, then every command is
planned against the rules, and nothing is stored unless all pass; it is applied exactly once under the hash
of its bytes and of the options that shaped its commands. Refusals are said by sheet, row and column.

Public API::

    lire_feuille(contenu, nom=…, format="csv"|"xlsx", session=…, acteur=…, role=…) -> Feuille
    localiser(refus, feuille) -> LotRefuse
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from adapters.lots.formats.releve import Conversion, Emplacement, convertir
from adapters.lots.formats.tableaux import LIMITE_CELLULE, LIMITE_OCTETS, lire_csv, lire_xlsx, verifier_taille
from adapters.lots.lot import ErreurLigne, Lot, LotRefuse

FORMATS_FEUILLE = ("csv", "xlsx")

__all__ = [
    "FORMATS_FEUILLE", "LIMITE_CELLULE", "LIMITE_OCTETS", "Feuille", "lire_feuille", "localiser", "verifier_taille",
]  # fmt: skip


@dataclass(frozen=True)
class Feuille:
    """The batch a grade sheet makes, and where each of its numbered commands came from."""

    lot: Lot
    emplacements: dict[int, Emplacement] = field(default_factory=dict)


def lire_feuille(
    contenu: bytes,
    *,
    nom: str,
    format: str,
    session: str | None,
    acteur: str,
    role: str,
    origine: str = "epreuve_terminale",
    source: str = "import",
) -> Feuille:
    """Every sheet's rows as commands; a file that is no grade sheet at all is refused at once (`LotRefuse`)."""
    if format not in FORMATS_FEUILLE:
        raise LotRefuse([ErreurLigne(None, "--format", f"format inconnu « {format} » : csv ou xlsx", code="FORMAT")])
    tableaux = [lire_csv(contenu, nom)] if format == "csv" else lire_xlsx(contenu, nom)
    conversion = Conversion(session=session, acteur=acteur, role=role, origine=origine, source=source)
    for tableau in tableaux:
        convertir(tableau, conversion)
    # The same bytes imported with other options are other commands: the options enter the batch's identity.
    options = "\0".join((format, session or "", origine, source, acteur, role)).encode()
    empreinte = hashlib.sha256(b"feuille\0" + options + b"\0" + contenu).hexdigest()
    lot = Lot(empreinte=empreinte, lignes=conversion.lignes, erreurs=conversion.erreurs)
    return Feuille(lot, conversion.emplacements)


def localiser(refus: LotRefuse, feuille: Feuille) -> LotRefuse:
    """The batch's refusal said by sheet, row and column instead of the batch's command numbers."""
    ordre = {nom: rang for rang, nom in enumerate(dict.fromkeys(o.feuille for o in feuille.emplacements.values()))}
    places: list[tuple[int, int, ErreurLigne]] = []
    for e in refus.erreurs:
        ou = feuille.emplacements.get(e.ligne) if e.ligne is not None else None
        if ou is None:
            places.append((-1, e.ligne or 0, e))
            continue
        # Cell errors already name their column; a field path or a rule's refusal is placed by the field or épreuve.
        if e.champ == "(ligne)":
            champ = f"feuille « {ou.feuille} »"
        elif e.champ.startswith("colonne"):
            champ = f"feuille « {ou.feuille} », {e.champ}"
        else:
            champ = ou.champ(e.champ, e.message)
        places.append((ordre[ou.feuille], ou.ligne, ErreurLigne(ou.ligne, champ, e.message, e.regle, e.code)))
    erreurs = [e for _, _, e in sorted(places, key=lambda p: (p[0], p[1]))]
    deja = feuille.emplacements.get(refus.deja_appliquees)
    return LotRefuse(erreurs, deja_appliquees=deja.ligne if deja else refus.deja_appliquees)
