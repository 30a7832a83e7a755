"""One answer shape for every door (issue 10): a success envelope and RFC 9457 problem details.

The CLI's ``--json`` and the HTTP bodies are these models; the mapping of every error we raise to an HTTP
status and to an exit code lives here and nowhere else (STYLE.md: no door invents its own).
Exit codes: 0 done, 1 refused by a rule, 2 usage or configuration, 3 log damaged.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.application.erreurs import LotRefuse, NonAuthentifie, RefusMetier, UrlInvalide, erreur_stockage
from domain.errors import DejaFait, EtatIncompatible, Introuvable, JournalAltere, NonHabilite

SORTIE_FAIT, SORTIE_REFUS, SORTIE_USAGE, SORTIE_JOURNAL_ALTERE = 0, 1, 2, 3
TYPE_PROBLEME = "urn:bac-registre:probleme:"


class ErreurChamp(BaseModel):
    """One refused field of a command or one line of a batch."""

    model_config = ConfigDict(frozen=True)
    ligne: int | None = None
    champ: str
    message: str
    regle: str | None = None
    code: str = "INVALIDE"


class Probleme(BaseModel):
    """RFC 9457 problem details (``application/problem+json``), with the domain's stable code and rule."""

    model_config = ConfigDict(frozen=True)
    statut: Literal["refuse"] = "refuse"
    type: str = Field(description="URN of the problem kind: urn:bac-registre:probleme:CODE")
    title: str = Field(description="Short French title of the kind of problem")
    status: int = Field(description="HTTP status the problem is answered with")
    detail: str = Field(description="French explanation of this occurrence (values cut short, no secret)")
    code: str = Field(description="Stable code (NOTE_INVALIDE, NON_HABILITE …)")
    regle: str | None = Field(default=None, description="Rule (R-number of REGLEMENT.md) or article refused on")
    erreurs: list[ErreurChamp] = Field(default_factory=list, description="Every refused field or line")
    appliquees_jusqu_a_la_ligne: int | None = None
    sortie: int = Field(description="Exit code of the CLI for this problem")


class Succes(BaseModel):
    """What a door answers when the act is done or the question answered."""

    statut: Literal["ok"] = "ok"
    resultat: Any = None


TITRES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Acte non autorisé",
    404: "Introuvable",
    409: "Conflit avec l'état du registre",
    413: "Entrée trop volumineuse",
    422: "Refusé par une règle",
    500: "Configuration du registre",
    503: "Registre occupé",
}


def _statut(erreur: RefusMetier) -> int:
    if isinstance(erreur, NonHabilite):
        return 403
    if isinstance(erreur, Introuvable):
        return 404
    if isinstance(erreur, DejaFait | EtatIncompatible) or erreur.code == "CONFLIT":
        return 409
    if erreur.code == "REGISTRE_OCCUPE":
        return 503
    if erreur.code == "ENTREE_TROP_GRANDE":
        return 413
    return 422


def probleme_depuis(erreur: BaseException) -> Probleme | None:
    """The problem an error of ours makes; ``None`` for anything else (a bug, never shown as such)."""
    erreur = erreur_stockage(erreur) or erreur  # a lock held too long, an unreachable or damaged database
    if isinstance(erreur, LotRefuse):
        erreurs = [ErreurChamp(**vars(e)) for e in erreur.erreurs]
        unique = len(erreurs) == 1 and erreurs[0].ligne is None
        return Probleme(
            type=TYPE_PROBLEME + "LOT_REFUSE", title=TITRES[422], status=422, code="LOT_REFUSE",
            detail=str(erreurs[0]) if unique else f"{len(erreurs)} erreur(s), rien n'a été enregistré",
            regle=erreurs[0].regle if unique else None, erreurs=erreurs,
            appliquees_jusqu_a_la_ligne=erreur.deja_appliquees or None, sortie=SORTIE_REFUS,
        )  # fmt: skip
    if isinstance(erreur, NonAuthentifie):
        return Probleme(
            type=TYPE_PROBLEME + erreur.code, title=TITRES[401], status=401, detail=erreur.message, code=erreur.code,
            sortie=SORTIE_USAGE,
        )  # fmt: skip
    if isinstance(erreur, UrlInvalide):
        return Probleme(
            type=TYPE_PROBLEME + "URL_INVALIDE", title=TITRES[500], status=500, detail=str(erreur),
            code="URL_INVALIDE", sortie=SORTIE_USAGE,
        )  # fmt: skip
    if isinstance(erreur, RefusMetier):
        statut = _statut(erreur)
        sortie = SORTIE_JOURNAL_ALTERE if isinstance(erreur, JournalAltere) else SORTIE_REFUS
        return Probleme(
            type=TYPE_PROBLEME + erreur.code, title=TITRES[statut], status=statut, detail=str(erreur),
            code=erreur.code, regle=erreur.regle, sortie=sortie,
        )  # fmt: skip
    return None
