"""The published list of admitted candidates as CSV, PDF and page (R57, ADR 0024): rendering only.

The view model holds what R57 lets a list say — session, stage, and for each line a name and a first name —
so no template or writer here can print a grade, a mention or a candidate number: they are not given one.
The CSV follows the French spreadsheet conventions of `tableur` (BOM, ``;``, CRLF, formulas neutralised: a
name beginning with ``=`` is data, not a formula); the PDF is WeasyPrint's, with no creation date, so the same
list gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from adapters.publication.heures import heure_de_paris
from adapters.publication.rendu import rendre
from adapters.publication.tableur import ecrire_csv
from domain.publication_resultats import ETAPES_PUBLICATION, LignePubliee, correspond

COLONNES = ("nom", "prenom", "resultat", "academie", "session")
MENTION_R57 = (
    "Liste publiée sans notes ni mentions (R57). N'y figurent que les candidats admis qui ont consenti à la "
    "publication de leur résultat ; l'absence d'un nom ne dit rien de son résultat. Chaque candidat reçoit son "
    "résultat personnellement."
)


@dataclass(frozen=True)
class Admis:
    nom: str
    prenom: str


@dataclass(frozen=True)
class ListeResultats:
    session: str
    annee: str
    academie: str
    etape: str
    libelle_etape: str
    situation_au: str | None  # the latest change the list reflects (Paris time, printed), not the request's clock
    admis: tuple[Admis, ...]
    mention: str = MENTION_R57

    @property
    def nombre(self) -> int:
        return len(self.admis)

    def chercher(self, texte: str, limite: int = 50) -> tuple[Admis, ...]:
        """The published lines whose name matches (never anyone off the list)."""
        return tuple(a for a in self.admis if correspond(LignePubliee(nom=a.nom, prenom=a.prenom), texte))[:limite]


def vue_liste(session: str, etape: str, lignes: tuple[LignePubliee, ...], situation: str | None) -> ListeResultats:
    if situation is not None:  # "05/07/2024 à 12:00 (heure de Paris)": the stored instant is UTC
        moment = datetime.fromisoformat(situation)
        paris = heure_de_paris(moment if moment.tzinfo else moment.replace(tzinfo=UTC)) or ""
        situation = f"{paris[8:10]}/{paris[5:7]}/{paris[:4]} à {paris[11:16]} (heure de Paris)"
    return ListeResultats(
        session=session, annee=session[:4], academie=session[5:], etape=etape,
        libelle_etape=ETAPES_PUBLICATION[etape], situation_au=situation,
        admis=tuple(Admis(nom=ligne.nom, prenom=ligne.prenom) for ligne in lignes),
    )  # fmt: skip


def csv(liste: ListeResultats) -> bytes:
    return ecrire_csv(COLONNES, ((a.nom, a.prenom, "admis", liste.academie, liste.session) for a in liste.admis))


def html(liste: ListeResultats) -> str:
    return rendre("liste_resultats.html", liste=liste)


def pdf(liste: ListeResultats) -> bytes:
    """Imported lazily, as the papers: WeasyPrint loads Pango, which the pages never need."""
    from weasyprint import HTML

    sortie: bytes = HTML(string=html(liste)).write_pdf()
    return sortie


def nom_fichier(liste: ListeResultats, extension: str) -> str:
    return f"admis-{liste.session}-{liste.etape}.{extension}"
