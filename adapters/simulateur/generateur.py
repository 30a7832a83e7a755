"""Synthetic candidates as batch commands, deterministic from a seed (demo, benchmarks, tests).

Épreuves and grade kinds come from the règlement itself, so the generated grades always fit
the rules of the session (whole points for épreuves, tenths for contrôle continu).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from domain.reglement import Epreuve, Reglement, charger_reglement

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


# --- Grades drawn for a target outcome (results-day cohorts, `adapters.simulateur.cohorte`) ---------------
# The outcome is decided first; grades are then drawn around a target average and nudged, one
# grade step at a time, until the exact total (R15: Σ note × coefficient, decided on points, Q1)
# falls in the outcome's band. A step never exceeds a band's width, so the nudging converges.
# `tests/test_cohorte.py` checks the outcome against the real rules (`domain.calcul`).

ISSUES = ("admis_1", "sg_admis", "sg_ajourne", "ajourne_1", "remplacement_admis", "absent")


@dataclass(frozen=True)
class DossierTire:
    """A candidate's grades (None: absence), contrôle choices and grades, replacement grade."""

    notes: dict[str, Decimal | None]
    absences: dict[str, str]  # code → "justifiee" | "injustifiee"
    controles: tuple[tuple[str, Decimal], ...] = ()
    remplacement: tuple[str, Decimal] | None = None


def _quantifier(valeur: float, entiere: bool) -> Decimal:
    valeur = min(20.0, max(0.0, valeur))
    return Decimal(round(valeur)) if entiere else Decimal(str(round(valeur, 1)))


def _bande(issue: str, voie: str, rng: random.Random) -> tuple[Fraction, Fraction, float]:
    """(low, high) of the average for the outcome, and the average aimed at."""
    if issue in ("admis_1", "remplacement_admis"):
        return Fraction(10), Fraction(21), min(19.0, max(10.2, rng.gauss(12.8, 2.0)))
    if issue in ("sg_admis", "sg_ajourne"):
        bas = 9.2 if (issue == "sg_admis" and voie == "professionnel") else 8.1
        basse = Fraction(92, 10) if (issue == "sg_admis" and voie == "professionnel") else Fraction(8)
        return basse, Fraction(10), rng.uniform(bas, 9.9)
    return Fraction(2), Fraction(8), rng.uniform(4.0, 7.6)


def _total(notes: dict[str, Decimal | None], coefs: dict[str, Decimal]) -> Fraction:
    # Decimal products and sums of one-decimal grades and coefficients are exact; one Fraction at the end.
    return Fraction(sum(((n or Decimal(0)) * coefs[c] for c, n in notes.items()), Decimal(0)))


def _ajuster(
    notes: dict[str, Decimal | None],
    coefs: dict[str, Decimal],
    modifiables: list[str],
    bas: Fraction,
    haut: Fraction,
    rng: random.Random,
) -> bool:
    """Nudge grades by whole points until bas ≤ total < haut (one step ≤ the band's width)."""
    total = _total(notes, coefs)
    for _ in range(2000):
        if bas <= total < haut:
            return True
        monter = total < bas
        possibles = (
            [c for c in modifiables if (notes[c] or 0) <= 19]
            if monter
            else [c for c in modifiables if (notes[c] or 0) >= 1]
        )
        if not possibles:
            return False
        code = rng.choice(possibles)
        pas = 1 if monter else -1
        notes[code] = (notes[code] or Decimal(0)) + pas
        total += pas * Fraction(coefs[code])
    return False


def tirer_dossier(
    reglement: Reglement,
    issue: str,
    rng: random.Random,
    *,
    options: tuple[str, ...] = (),
    absence_injustifiee: bool = False,
    conservees: dict[str, Decimal] | None = None,
) -> DossierTire:
    """Grades whose deliberation by the real rules gives ``issue`` (see ISSUES)."""
    epreuves = [*reglement.epreuves_obligatoires(), *(reglement.epreuve(o) for o in options)]
    if issue == "absent":
        return DossierTire(notes={e.code: None for e in epreuves}, absences={e.code: "injustifiee" for e in epreuves})
    conservees = conservees or {}
    coefs = {e.code: e.coefficient for e in epreuves}
    K = Fraction(sum(coefs.values(), Decimal(0)))
    pro = [e.code for e in epreuves if e.professionnelle]
    for _essai in range(50):
        bas, haut, vise = _bande(issue, reglement.voie, rng)
        notes: dict[str, Decimal | None] = {}
        for e in epreuves:
            notes[e.code] = conservees.get(e.code, _quantifier(rng.gauss(vise, 2.2), e.note_entiere))
        fixes = set(conservees)
        if reglement.voie == "professionnel" and issue in ("sg_admis", "sg_ajourne"):
            # R39: the contrôle is open only with the professional épreuves' average ≥ 10.
            for code in pro:
                notes[code] = Decimal(str(round(rng.uniform(10.5, 13.0), 1)))
            fixes.update(pro)
        absences: dict[str, str] = {}
        if absence_injustifiee:
            terminales = [e.code for e in epreuves if e.nature in NATURES_TERMINALES and e.code not in fixes]
            terminales = terminales or [e.code for e in epreuves if e.code not in fixes and e.nature != "option"]
            code = rng.choice(terminales)
            notes[code], absences[code] = Decimal(0), "injustifiee"
            fixes.add(code)
        modifiables = [c for c in notes if c not in fixes]
        if not _ajuster(notes, coefs, modifiables, bas * K, haut * K, rng):
            continue
        controles = _controles(reglement, issue, notes, coefs, K, rng, set(conservees))
        if controles is None:
            continue
        notes_saisies = {c: (None if c in absences else n) for c, n in notes.items() if c not in conservees}
        return DossierTire(notes=notes_saisies, absences=absences, controles=controles)
    raise RuntimeError(f"{reglement.version} : aucun tirage pour l'issue {issue}")


def _controles(
    reglement: Reglement,
    issue: str,
    notes: dict[str, Decimal | None],
    coefs: dict[str, Decimal],
    K: Fraction,
    rng: random.Random,
    exclus: set[str],
) -> tuple[tuple[str, Decimal], ...] | None:
    """Contrôle choices and grades (R19, R20, R39): enough to pass for sg_admis, never enough for
    sg_ajourne (some of whom sit nothing, Q8). ``None``: no choice can reach the target, redraw."""
    if issue not in ("sg_admis", "sg_ajourne"):
        return ()
    if issue == "sg_ajourne" and rng.random() < 0.2:
        return ()
    sg = reglement.second_groupe

    def marge(code: str) -> Fraction:
        return (20 - Fraction(notes[code] or 0)) * Fraction(coefs[code])

    if sg.groupes:
        choix = [max((c for c in g.codes if c in notes and c not in exclus), key=marge) for g in sg.groupes]
    else:
        rattrapables = [
            e.code for e in reglement.epreuves if e.rattrapable and e.code in notes and e.code not in exclus
        ]
        choix = sorted(rattrapables, key=marge, reverse=True)[: sg.max_epreuves]
    deficit = 10 * K - _total(notes, coefs)
    vise = deficit if issue == "sg_admis" else deficit * Fraction(rng.randint(1, 8), 10)
    resultat: list[tuple[str, Decimal]] = []
    gagne = Fraction(0)
    for code in sorted(choix, key=lambda c: coefs[c], reverse=True):
        avant = Fraction(notes[code] or 0)
        reste = max(vise - gagne, Fraction(0))
        besoin = reste / Fraction(coefs[code])
        # sg_admis rounds up to reach the target; sg_ajourne rounds down to stay under it.
        pas = besoin.__ceil__() if issue == "sg_admis" else besoin.__floor__()
        if issue == "sg_ajourne" and pas * Fraction(coefs[code]) >= reste and pas > 0:
            pas -= 1
        note = min(Fraction(20), avant + pas)
        gagne += (note - avant) * Fraction(coefs[code])
        resultat.append((code, Decimal(note.numerator) / Decimal(note.denominator)))
    if issue == "sg_admis" and gagne < deficit:
        return None
    if issue == "sg_ajourne" and gagne >= deficit:
        return None
    return tuple(sorted(resultat, key=lambda r: reglement.rang(r[0])))
