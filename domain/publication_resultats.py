"""Who appears on a published list of admitted candidates, and what it says of them (R57, ADR 0024).

R57: the lists of admitted candidates are public information *without grades or mentions*; passing them on
(Publinet, the press, private sites) needs the candidate's explicit consent, collected at inscription, and
without it nothing is published (the default since 2008/2012). So a line holds a name and a first name and
nothing else of the person: no grade, no mention, no average, no candidate number (the number is what keeps
the copies anonymous, R28), no birth date, no INE. A candidate who did not consent is absent, exactly like an
ajourné: the list never tells one from the other.

Stages (R45, R47): ``provisoire`` after the premier groupe, ``final`` after the second groupe and the
replacement épreuves (Q15), as the statistics count them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Literal

from domain.modele import Immutable

EtapePublication = Literal["provisoire", "final"]
ETAPES_PUBLICATION: dict[str, str] = {
    "provisoire": "Liste provisoire des admis après le premier groupe d'épreuves (R45, R57)",
    "final": "Liste des admis après le second groupe et les épreuves de remplacement (R47, R57)",
}
ADMIS = "admis"


class CandidatAPublier(Immutable):
    """What the rule reads of one candidate: his name, his consent, his outcome at the stage (None: not yet)."""

    nom: str
    prenom: str
    consentement: bool
    issue: str | None


class LignePubliee(Immutable):
    """One line of a published list: exactly what R57 allows, nothing that could be a grade."""

    nom: str
    prenom: str


def cle_de_tri(texte: str) -> str:
    """Alphabetical order as a French list reads (accents and case ignored, then the exact text)."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def issue_a_l_etape(decisions: Iterable[tuple[int, str]], etape: str) -> str | None:
    """The outcome a stage publishes, from the candidate's decisions in recorded order (groupe, decision), as the
    statistics count them: ``provisoire`` the first premier-groupe decision (R45), ``final`` the last one —
    second groupe, replacement épreuves or a new deliberation after a correction (R47, Q15, R29)."""
    decisions = list(decisions)
    if etape == "provisoire":
        return next((decision for groupe, decision in decisions if groupe == 1), None)
    return decisions[-1][1] if decisions else None


def publiable(candidat: CandidatAPublier) -> bool:
    """R57: admitted at this stage *and* consenting; anything else (ajourné, second groupe, waiting for a
    replacement, not deliberated, no consent) stays off the list."""
    return candidat.consentement and candidat.issue == ADMIS


def liste_publiee(candidats: Iterable[CandidatAPublier]) -> tuple[LignePubliee, ...]:
    """The published list: the consenting admitted candidates, by name then first name (R57)."""
    lignes = [LignePubliee(nom=c.nom, prenom=c.prenom) for c in candidats if publiable(c)]
    return tuple(sorted(lignes, key=lambda ligne: (cle_de_tri(ligne.nom), cle_de_tri(ligne.prenom), ligne.nom)))


def correspond(ligne: LignePubliee, recherche: str) -> bool:
    """A search by name on the public page: every word typed begins the name or the first name (accents and
    case ignored). The page answers only from the published list, so it can say "admis" and nothing else."""
    mots = cle_de_tri(recherche).split()
    noms = cle_de_tri(f"{ligne.nom} {ligne.prenom}").replace("-", " ").split()
    return bool(mots) and all(any(n.startswith(m) for n in noms) for m in mots)
