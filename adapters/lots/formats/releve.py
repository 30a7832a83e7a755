"""A grade sheet → the same commands as a batch (`saisir_note`, `saisir_notes`), each cell kept locatable.

Two layouts, told apart by the header:
- *longue*: one row per candidate × épreuve — columns ``numero``, ``epreuve``, ``note`` (and optionally
  ``absence``, ``origine``, ``source``, ``session``, ``correcteur``) → one `saisir_note` per row;
- *large*: one row per candidate, one column per épreuve code (``PHILO``, ``SPE1``…) → one `saisir_notes`
  per row (the candidate's transcript in one act); an empty cell is no grade.
A grade is written with a decimal comma (``12,5``; a point is read too); ``ABJ`` is a justified absence,
``ABS`` an unjustified one (R13). Descriptive columns (``nom``, ``prenom``…) are read past, never stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from adapters.lots.erreurs_validation import traduire
from adapters.lots.formats.tableaux import Tableau, lettre
from adapters.lots.lot import ErreurLigne, LigneLue
from domain.commandes import COMMANDE

ALIAS = {
    "numero": {"numero", "numero_candidat", "n_candidat", "no_candidat", "num_candidat", "candidat"},
    "session": {"session", "code_session"},
    "epreuve": {"epreuve", "code_epreuve"},
    "note": {"note", "note_sur_20"},
    "absence": {"absence"},
    "origine": {"origine"},
    "source": {"source"},
    "correcteur": {"correcteur", "examinateur"},
}
DESCRIPTIVES = {
    "nom", "prenom", "nom_d_usage", "ine", "date_naissance", "naissance", "etablissement", "uai", "classe",
    "voie", "serie", "jury", "libelle", "libelle_epreuve", "observations", "observation", "commentaire",
}  # fmt: skip
ABSENCES = {
    "abj": "justifiee", "absence_justifiee": "justifiee", "absent_justifie": "justifiee", "justifiee": "justifiee",
    "abs": "injustifiee", "abi": "injustifiee", "absent": "injustifiee", "absence_injustifiee": "injustifiee",
    "absent_injustifie": "injustifiee", "injustifiee": "injustifiee",
}  # fmt: skip
NOTE = re.compile(r"^[0-9]{1,3}(?:[,.][0-9]{1,4})?$")
CODE_EPREUVE = re.compile(r"^[A-Z0-9_]{2,40}$")


def cle(texte: str) -> str:
    """A header or a token as compared: no accents, lower case, words joined by ``_`` (« N° candidat »)."""
    sans_accents = "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", sans_accents.lower()).strip("_")


@dataclass(frozen=True)
class Emplacement:
    """Where a command came from: the sheet, the row, and the column of each of its fields."""

    feuille: str
    ligne: int
    colonnes: dict[str, str] = field(default_factory=dict)  # field path → "colonne C « note »"
    epreuves: dict[str, str] = field(default_factory=dict)  # épreuve code → its column
    defaut: str | None = None

    def champ(self, chemin: str | None = None, message: str = "") -> str:
        colonne = None
        if chemin is not None:
            colonne = next((c for p, c in self.colonnes.items() if chemin == p or chemin.startswith(p + ".")), None)
        if colonne is None:
            cites = [c for code, c in self.epreuves.items() if f"« {code} »" in message]
            colonne = cites[0] if len(cites) == 1 else self.defaut
        return f"feuille « {self.feuille} »" + (f", {colonne}" if colonne else "")


@dataclass
class Conversion:
    """The commands of the sheets read so far, numbered for the batch, and where each number came from."""

    session: str | None
    acteur: str
    role: str
    origine: str
    source: str
    lignes: list[LigneLue] = field(default_factory=list)
    erreurs: list[ErreurLigne] = field(default_factory=list)
    emplacements: dict[int, Emplacement] = field(default_factory=dict)

    def _suivant(self, emplacement: Emplacement) -> int:
        numero = len(self.emplacements) + 1
        self.emplacements[numero] = emplacement
        return numero

    def refuser(self, emplacement: Emplacement, colonne: str | None, message: str, code: str = "INVALIDE") -> None:
        numero = self._suivant(emplacement)
        self.erreurs.append(ErreurLigne(numero, colonne or "(ligne)", message, code=code))

    def ajouter(self, emplacement: Emplacement, donnees: dict[str, Any]) -> None:
        numero = self._suivant(emplacement)
        donnees = {"acteur": self.acteur, "role": self.role, **donnees}
        try:
            self.lignes.append(LigneLue(numero, COMMANDE.validate_python(donnees)))
        except ValidationError as e:
            self.erreurs.extend(ErreurLigne(numero, champ, message, regle) for champ, message, regle in traduire(e))


def _colonne(i: int, entete: str) -> str:
    return f"colonne {lettre(i)} « {entete} »"


def _valeur_note(texte: str) -> tuple[str | None, str | None] | None:
    """(note, absence) of a grade cell; ``None`` when it is neither a number nor ABJ / ABS."""
    if not texte:
        return (None, None)
    if NOTE.match(texte):  # the common case first: a number needs no accent folding
        return (texte.replace(",", "."), None)
    absence = ABSENCES.get(cle(texte))
    return None if absence is None else (None, absence)


MESSAGE_NOTE = "note sur 20 attendue, avec une virgule décimale (ex. 12,5), ou ABJ / ABS pour une absence (R13)"


def convertir(tableau: Tableau, conversion: Conversion) -> None:
    """Every row of one sheet into commands (or located errors), appended to ``conversion``."""
    champs: dict[str, int] = {}
    epreuves: dict[str, int] = {}
    entete_emplacement = Emplacement(tableau.feuille, 1)
    for e in tableau.erreurs:
        conversion.refuser(Emplacement(tableau.feuille, e.ligne or 1), e.champ, e.message, e.code)
    for i, brut in enumerate(tableau.entete):
        nom = cle(brut)
        connu = next((c for c, alias in ALIAS.items() if nom in alias), None)
        code = brut.strip().upper()
        if not brut.strip() or nom in DESCRIPTIVES:
            continue
        if connu is not None:
            cible, valeur = champs, connu
        elif CODE_EPREUVE.match(code):
            cible, valeur = epreuves, code
        else:
            conversion.refuser(
                entete_emplacement, _colonne(i, brut), "colonne inconnue : ni un champ du relevé ni un code d'épreuve"
            )
            continue
        if valeur in cible:
            conversion.refuser(entete_emplacement, _colonne(i, brut), f"colonne « {brut} » en double")
            continue
        cible[valeur] = i
    longue = "epreuve" in champs
    manquantes = ["numero"] if "numero" not in champs else []
    if longue and "note" not in champs and "absence" not in champs:
        manquantes.append("note")
    if not longue and not epreuves:
        manquantes.append("epreuve (ou une colonne par code d'épreuve : PHILO, SPE1…)")
    if "session" not in champs and conversion.session is None:
        manquantes.append("session (ou l'option --session)")
    if longue and epreuves:
        conversion.refuser(
            entete_emplacement,
            None,
            "une feuille a soit une colonne « epreuve » (une ligne par note), soit une colonne par épreuve, "
            "pas les deux",
        )
        return
    if manquantes:
        conversion.refuser(
            entete_emplacement,
            None,
            f"colonne(s) manquante(s) dans l'en-tête : {', '.join(manquantes)}",
            "COLONNE_MANQUANTE",
        )
        return
    colonnes = {c: _colonne(i, tableau.entete[i]) for c, i in champs.items()}  # once per sheet, not per row
    par_epreuve = {code: _colonne(i, tableau.entete[i]) for code, i in epreuves.items()}
    for ligne, cellules in tableau.lignes:
        if longue:
            _ligne_longue(tableau, ligne, cellules, champs, colonnes, conversion)
        else:
            _ligne_large(tableau, ligne, cellules, champs, epreuves, dict(colonnes), par_epreuve, conversion)


def _cellule(cellules: list[str], i: int | None) -> str:
    return cellules[i] if i is not None and i < len(cellules) else ""


def _communs(
    tableau: Tableau, ligne: int, cellules: list[str], champs: dict[str, int], conversion: Conversion, ou: Emplacement
) -> dict[str, Any] | None:
    """Session and candidate number of a row (both sheet layouts), or ``None`` once refused."""
    numero = _cellule(cellules, champs["numero"])
    if (ligne, champs["numero"]) in tableau.numeriques:
        conversion.refuser(
            ou, ou.colonnes["numero"],
            f"numéro de candidat saisi comme un nombre ({numero}) : les zéros initiaux ont pu être perdus ; "
            "mettre la colonne au format Texte",
        )  # fmt: skip
        return None
    session = _cellule(cellules, champs.get("session")) or conversion.session
    if conversion.session and session != conversion.session:
        conversion.refuser(ou, ou.colonnes["session"], f"session « {session} » ≠ --session {conversion.session}")
        return None
    return {"session": session, "numero": numero}


def _ligne_longue(
    tableau: Tableau,
    ligne: int,
    cellules: list[str],
    champs: dict[str, int],
    colonnes: dict[str, str],
    conversion: Conversion,
) -> None:
    ou = Emplacement(tableau.feuille, ligne, colonnes, defaut=colonnes.get("note") or colonnes.get("absence"))
    communs = _communs(tableau, ligne, cellules, champs, conversion, ou)
    if communs is None:
        return
    note_absence = _valeur_note(_cellule(cellules, champs.get("note")))
    if note_absence is None:
        conversion.refuser(ou, colonnes["note"], f"{MESSAGE_NOTE} (reçu : « {_cellule(cellules, champs['note'])} »)")
        return
    note, absence = note_absence
    texte_absence = _cellule(cellules, champs.get("absence"))
    if texte_absence:
        absence = ABSENCES.get(cle(texte_absence))
        if absence is None:
            conversion.refuser(
                ou, colonnes["absence"], f"absence « {texte_absence} » : justifiee (ABJ) ou injustifiee (ABS)"
            )
            return
    donnees = {
        "type": "saisir_note",
        **communs,
        "epreuve": _cellule(cellules, champs["epreuve"]),
        "note": note,
        "absence": absence,
        "origine": _cellule(cellules, champs.get("origine")) or conversion.origine,
        "source": _cellule(cellules, champs.get("source")) or conversion.source,
    }
    correcteur = _cellule(cellules, champs.get("correcteur"))
    if correcteur:
        donnees["correcteur"] = {"identifiant": correcteur}
    conversion.ajouter(ou, {k: v for k, v in donnees.items() if v is not None})


def _ligne_large(
    tableau: Tableau,
    ligne: int,
    cellules: list[str],
    champs: dict[str, int],
    epreuves: dict[str, int],
    colonnes: dict[str, str],
    par_epreuve: dict[str, str],
    conversion: Conversion,
) -> None:
    notes: list[dict[str, Any]] = []
    refusee = False
    for code, i in epreuves.items():
        valeur = _valeur_note(_cellule(cellules, i))
        if valeur is None:
            ou = Emplacement(tableau.feuille, ligne, colonnes, par_epreuve)
            conversion.refuser(ou, par_epreuve[code], f"{MESSAGE_NOTE} (reçu : « {_cellule(cellules, i)} »)")
            refusee = True
        elif valeur != (None, None):
            colonnes[f"notes.{len(notes)}"] = par_epreuve[code]
            origine = _cellule(cellules, champs.get("origine")) or conversion.origine
            source = _cellule(cellules, champs.get("source")) or conversion.source
            note, absence = valeur
            notes.append(
                {"epreuve": code, "origine": origine, "source": source}
                | ({"note": note} if note is not None else {"absence": absence})
            )
    ou = Emplacement(tableau.feuille, ligne, colonnes, par_epreuve)
    communs = _communs(tableau, ligne, cellules, champs, conversion, ou)
    if refusee or communs is None or not notes:
        return  # a row without any grade is a candidate this sheet does not concern
    conversion.ajouter(ou, {"type": "saisir_notes", **communs, "notes": notes})
