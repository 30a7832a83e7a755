"""Grade sheets as the back offices have them, read into plain tables of text (CSV `;` UTF-8, XLSX).

Every input is bounded before it is parsed (STYLE "Security habits"): the file's size, an XLSX's unpacked
size (a zip bomb is refused before openpyxl reads it), the rows, the columns and each cell. A formula in an
XLSX cell is refused (its value is whatever the spreadsheet last computed, or nothing); a number where a
candidate number is expected is refused too (Excel drops the leading zeros of 00012345).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from adapters.lots.lot import ErreurLigne, LotRefuse

LIMITE_OCTETS = 20 * 1024 * 1024
LIMITE_DECOMPRESSE = 100 * 1024 * 1024  # the XML inside an XLSX; a real grade sheet is a few MB
LIMITE_LIGNES = 200_000
LIMITE_COLONNES = 100
LIMITE_CELLULE = 200  # characters: a grade, a code, a name; anything longer is not a grade sheet's cell
SEPARATEUR = ";"


@dataclass(frozen=True)
class Tableau:
    """One sheet: its header and its rows (numbered as the spreadsheet numbers them, header = row 1)."""

    feuille: str
    entete: list[str]
    lignes: list[tuple[int, list[str]]]
    # (row, column index) of the cells that held numbers, not text (XLSX only).
    numeriques: set[tuple[int, int]] = field(default_factory=set)
    # Cells refused while reading (a formula): reported with the rest of the sheet's errors, in one answer.
    erreurs: list[ErreurLigne] = field(default_factory=list)


def lettre(colonne: int) -> str:
    """Spreadsheet column letter of a 0-based index (0 → A, 26 → AA)."""
    resultat = ""
    colonne += 1
    while colonne:
        colonne, reste = divmod(colonne - 1, 26)
        resultat = chr(65 + reste) + resultat
    return resultat


def _refus(message: str, *, feuille: str, ligne: int | None = None, code: str = "FEUILLE_INVALIDE") -> LotRefuse:
    return LotRefuse([ErreurLigne(ligne, f"feuille « {feuille} »", message, code=code)])


def verifier_taille(taille: int, nom: str) -> None:
    """Refuse a file larger than any grade sheet, before its bytes are read."""
    if taille > LIMITE_OCTETS:
        raise _refus(
            f"fichier trop volumineux ({taille:,} octets ; au plus {LIMITE_OCTETS:,})".replace(",", " "),
            feuille=nom,
            code="ENTREE_TROP_GRANDE",
        )


def _verifier_taille(contenu: bytes, nom: str) -> None:
    verifier_taille(len(contenu), nom)
    if not contenu.strip(b"\xef\xbb\xbf \t\r\n"):
        raise _refus("le fichier est vide : une ligne d'en-tête puis une ligne par note sont attendues", feuille=nom)


def _borner(tableau: Tableau, erreurs: list[ErreurLigne]) -> None:
    """Cells longer than any grade sheet's: each one reported, by row and column."""
    for numero, cellules in [(1, tableau.entete), *tableau.lignes]:
        for i, valeur in enumerate(cellules):
            if len(valeur) > LIMITE_CELLULE:
                erreurs.append(
                    ErreurLigne(
                        numero,
                        f"feuille « {tableau.feuille} », colonne {lettre(i)}",
                        f"cellule trop longue ({len(valeur)} caractères ; au plus {LIMITE_CELLULE})",
                        code="ENTREE_TROP_GRANDE",
                    )
                )


def lire_csv(contenu: bytes, nom: str) -> Tableau:
    """A `;`-separated UTF-8 sheet (with or without BOM), as French spreadsheet software saves it."""
    _verifier_taille(contenu, nom)
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        ligne = contenu.count(b"\n", 0, e.start) + 1
        raise _refus(
            f"le fichier n'est pas en UTF-8 (octet invalide à la position {e.start}) : l'enregistrer en "
            "« CSV UTF-8 (délimité par des points-virgules) »",
            feuille=nom,
            ligne=ligne,
            code="ENCODAGE",
        ) from None
    premiere = texte.lstrip("\r\n").split("\n", 1)[0]
    if SEPARATEUR not in premiere:
        autre = next((s for s, nom_s in ((",", "virgule"), ("\t", "tabulation")) if s in premiere), None)
        if autre is not None:
            raise _refus(
                "séparateur « ; » attendu (point-virgule, comme l'enregistre un tableur en français) : "
                f"la ligne d'en-tête est séparée par des « {autre!r} »",
                feuille=nom,
                ligne=1,
                code="SEPARATEUR",
            )
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=SEPARATEUR, strict=True)
    lignes: list[tuple[int, list[str]]] = []
    try:
        for cellules in lecteur:
            if len(lignes) > LIMITE_LIGNES:
                raise _refus(f"plus de {LIMITE_LIGNES} lignes", feuille=nom, code="ENTREE_TROP_GRANDE")
            if len(cellules) > LIMITE_COLONNES:
                raise _refus(
                    f"plus de {LIMITE_COLONNES} colonnes",
                    feuille=nom,
                    ligne=lecteur.line_num,
                    code="ENTREE_TROP_GRANDE",
                )
            if any(c.strip() for c in cellules):
                lignes.append((lecteur.line_num, [c.strip() for c in cellules]))
    except csv.Error as e:
        raise _refus(
            f"CSV mal formé ({e}) — une cellule trop longue ou un guillemet non fermé",
            feuille=nom,
            ligne=lecteur.line_num,
            code="CSV_INVALIDE",
        ) from None
    return _tableau(nom, lignes, set())


def _tableau(
    nom: str,
    lignes: list[tuple[int, list[str]]],
    numeriques: set[tuple[int, int]],
    refusees: list[ErreurLigne] | None = None,
) -> Tableau:
    if not lignes:
        raise _refus("la feuille est vide : une ligne d'en-tête puis une ligne par note sont attendues", feuille=nom)
    (_, entete), *reste = lignes
    if not reste:
        raise _refus("aucune ligne de notes sous l'en-tête", feuille=nom, ligne=1)
    tableau = Tableau(nom, entete, reste, numeriques, refusees or [])
    erreurs: list[ErreurLigne] = []
    _borner(tableau, erreurs)
    if erreurs:
        raise LotRefuse(erreurs)
    return tableau


def _texte_de(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "VRAI" if valeur else "FAUX"
    if isinstance(valeur, float):
        return str(Decimal(repr(valeur)).normalize()) if valeur == valeur else "NaN"  # 12.5 stays 12.5
    if isinstance(valeur, datetime | date):
        return valeur.isoformat()
    return str(valeur).strip()


def lire_xlsx(contenu: bytes, nom: str) -> list[Tableau]:
    """Every non-empty sheet of a workbook; each sheet is a grade sheet of its own."""
    _verifier_taille(contenu, nom)
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            deplie = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise _refus(
            "ce n'est pas un classeur XLSX (Excel 2007 ou plus récent)", feuille=nom, code="XLSX_INVALIDE"
        ) from None
    if deplie > LIMITE_DECOMPRESSE:
        raise _refus(
            f"classeur trop volumineux une fois décompressé ({deplie:,} octets)".replace(",", " "),
            feuille=nom,
            code="ENTREE_TROP_GRANDE",
        )
    import openpyxl

    try:
        classeur = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException…) on a damaged file
        raise _refus("classeur XLSX illisible ou endommagé", feuille=nom, code="XLSX_INVALIDE") from None
    tableaux: list[Tableau] = []
    try:
        for feuille in classeur.worksheets:
            erreurs: list[ErreurLigne] = []
            lignes, numeriques = _lire_feuille(feuille, erreurs)
            if lignes:
                tableaux.append(_tableau(feuille.title, lignes, numeriques, erreurs))
    finally:
        classeur.close()
    if not tableaux:
        raise _refus("le classeur ne contient aucune feuille remplie", feuille=nom)
    return tableaux


def _lire_feuille(feuille: Any, erreurs: list[ErreurLigne]) -> tuple[list[tuple[int, list[str]]], set[tuple[int, int]]]:
    lignes: list[tuple[int, list[str]]] = []
    numeriques: set[tuple[int, int]] = set()
    for numero, rangee in enumerate(feuille.iter_rows(), start=1):
        if numero > LIMITE_LIGNES + 1:
            raise _refus(f"plus de {LIMITE_LIGNES} lignes", feuille=feuille.title, code="ENTREE_TROP_GRANDE")
        cellules: list[str] = []
        for i, cellule in enumerate(rangee):
            if i >= LIMITE_COLONNES:
                if cellule.value is not None:
                    raise _refus(
                        f"plus de {LIMITE_COLONNES} colonnes",
                        feuille=feuille.title,
                        ligne=numero,
                        code="ENTREE_TROP_GRANDE",
                    )
                continue
            valeur = cellule.value
            if getattr(cellule, "data_type", None) == "f" or (isinstance(valeur, str) and valeur.startswith("=")):
                erreurs.append(
                    ErreurLigne(
                        numero,
                        f"colonne {lettre(i)}",
                        "la cellule contient une formule : y coller la valeur (collage spécial, valeurs)",
                        code="FORMULE",
                    )
                )
                valeur = None
            if isinstance(valeur, int | float) and not isinstance(valeur, bool):
                numeriques.add((numero, i))
            cellules.append(_texte_de(valeur))
        while cellules and not cellules[-1]:
            cellules.pop()
        if cellules:
            lignes.append((numero, cellules))
    return lignes, numeriques
