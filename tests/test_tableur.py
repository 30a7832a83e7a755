"""Lists exported for French spreadsheet software: BOM, `;`, decimal comma, formulas never run (ADR 0018)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from adapters.publication.tableur import BOM, candidats_csv, ecrire_csv, neutraliser

DEBUTS = ("=", "+", "-", "@", "\t", "\r")


def relire(contenu: bytes) -> list[list[str]]:
    texte = contenu.decode("utf-8")
    assert texte.startswith(BOM), "sans BOM, Excel lit l'UTF-8 comme du Windows-1252"
    return list(csv.reader(io.StringIO(texte[1:], newline=""), delimiter=";"))


def test_attaque_injection_de_formule_neutralisee() -> None:
    attaques = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", '  =HYPERLINK("http://x")', "＝1"]
    lignes = relire(ecrire_csv(["texte"], [[a] for a in attaques]))
    for attaque, (cellule,) in zip(attaques, lignes[1:], strict=True):
        assert cellule == "'" + attaque


@given(st.text(max_size=60))
def test_proprietes_aucune_cellule_texte_ne_commence_par_une_formule(texte: str) -> None:
    (cellule,) = relire(ecrire_csv(["c"], [[texte]]))[1] or [""]
    assert not cellule.lstrip(" ").startswith(DEBUTS)
    assert cellule in (texte, "'" + texte)  # nothing else changed: the apostrophe only


def test_nombres_a_virgule_decimale_jamais_neutralises() -> None:
    (ligne,) = relire(ecrire_csv(["a", "b", "c", "d"], [[Decimal("12.35"), Decimal("-0.9"), 7, None]]))[1:]
    assert ligne == ["12,35", "-0,9", "7", ""]


def test_liste_des_candidats_dans_le_dialecte_du_tableur() -> None:
    contenu = candidats_csv([{"numero": "00000001", "voie": "general", "jury": "-J1", "decision": "admis",
                              "moyenne": "14.56", "total_points": "553.28", "notes_saisies": 18}])  # fmt: skip
    assert contenu.startswith(b"\xef\xbb\xbf") and b"\r\n" in contenu
    entete, ligne = relire(contenu)
    valeurs = dict(zip(entete, ligne, strict=True))
    assert valeurs["moyenne"] == "14,56" and valeurs["total_points"] == "553,28" and valeurs["jury"] == "'-J1"
    assert valeurs["notes_saisies"] == "18" and valeurs["serie"] == ""


def test_neutraliser_laisse_le_texte_ordinaire() -> None:
    assert neutraliser("Lycée Thiers") == "Lycée Thiers" and neutraliser("12-3") == "12-3"
