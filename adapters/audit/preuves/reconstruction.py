"""Rebuilding the chain: never silently (ADR 0013).

`bac projections rebuild` only catches the chain up (it never recomputes a link) and refuses on a damaged log;
`bac rechainer` is the one explicit, logged way to start a chain again over a log that had one (a log restored
or copied without its chain): refused if any seal, signature or decision does not hold over the log as it is,
and recorded in ``chaine_reconstructions``, which `bac verifier` lists.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from sqlalchemy import Engine, insert

from adapters.audit.preuves.chaine import effacer_chaine, etat_courant, rattraper_chaine
from adapters.audit.preuves.verification import Rapport, verifier_journal
from adapters.stockage.registre import Registre
from domain.errors import JournalAltere, RefusMetier
from projections.tables import chaine_reconstructions

journal = structlog.get_logger("bac.preuves")


def reconstruire_chaine(registre: Registre, moteur: Engine) -> int:
    """Before a rebuild of the read models: the chain caught up (never recomputed) and the log intact."""
    chaines = rattraper_chaine(registre, moteur)
    rapport = verifier_journal(registre, moteur)
    d = rapport.premier_defaut
    if d is not None:
        raise JournalAltere(
            f"Le journal ne correspond plus à sa chaîne d'intégrité (position {d.position} : {d.message}) : "
            "rien n'est reconstruit ; lancer « bac verifier »",
            regle="R52",
        )
    return chaines


def rechainer(registre: Registre, moteur: Engine, *, acteur: str, raison: str) -> Rapport:
    """The explicit, logged rebuild of the chain (a log restored or copied without it): refused if any seal,
    signature or decision does not hold over the log as it is — a rebuild never launders a rewrite."""
    if not acteur.strip() or not raison.strip():
        raise RefusMetier("Reconstruire la chaîne exige un acteur et une raison", regle="R52", code="RAISON_ABSENTE")
    avant = verifier_journal(registre, moteur)
    graves = [d for d in avant.defauts if d.nature not in ("chaine_absente", "frontiere", "maillon", "insere", "bloc")]
    if graves:
        d = min(graves, key=lambda x: x.position)
        raise JournalAltere(
            f"La chaîne n'est pas reconstruite : le journal ne tient plus ses sceaux (position {d.position} : "
            f"{d.message})",
            regle="R52",
        )
    effacer_chaine(moteur)
    rattraper_chaine(registre, moteur, depuis_zero=True)
    etat = etat_courant(moteur)
    plus_grand = max((s.taille for s in avant.sceaux if s.racine_ok), default=0)
    with moteur.begin() as connexion:
        connexion.execute(
            insert(chaine_reconstructions).values(
                le=datetime.now(tz=UTC), acteur=acteur.strip()[:200], raison=raison.strip()[:500], taille=etat.taille,
                position=etat.position, racine=etat.racine.hex(), dernier_sceau=plus_grand,
            )
        )  # fmt: skip
    journal.warning(
        "chaine.reconstruite", acteur=acteur, raison=raison, taille=etat.taille, racine=etat.racine.hex(),
        dernier_sceau=plus_grand,
    )  # fmt: skip
    return verifier_journal(registre, moteur)
