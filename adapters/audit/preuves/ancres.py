"""Tree heads kept outside the database: export every seal's signed head, read them back as anchors (ADR 0013).

What the procès-verbal prints, what an auditor keeps: `bac ancres exporter FICHIER` writes every seal's
(size, last position, root, public key, signature, signed message) and the log's current head;
`bac verifier --ancres FICHIER` checks a log against them. A rewrite, a deleted act, a truncation of the log
*and* its chain — all invisible from inside a database whose every table was rewritten — break an anchor.
Also the RFC 6962 consistency proof between two sizes (`bac ancres coherence M N`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine

from adapters.audit.preuves.actes import lire_actes
from adapters.audit.preuves.chaine import etat_courant, feuilles
from adapters.audit.preuves.merkle import mth, preuve_coherence, verifier_coherence
from adapters.stockage.registre import Registre
from domain.errors import RefusMetier

FORMAT = "bac-registre:ancres:v1"
TAILLE_MAX_FICHIER = 16 * 1024 * 1024  # anchors are a few hundred bytes each: a larger file is not ours
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class AncreInvalide(RefusMetier):
    code = "ANCRE_INVALIDE"


@dataclass(frozen=True)
class Ancre:
    """A tree head kept outside: ``taille`` leaves have root ``racine`` (and the last one is at ``position``)."""

    taille: int
    racine: str
    position: int | None = None
    cle_publique: str | None = None
    signature: str | None = None
    message: str | None = None  # hex of the signed bytes, when the head is a seal's
    origine: str = "ancre"


def lire_ancre(texte: str) -> Ancre:
    """``TAILLE:RACINE`` as printed on a procès-verbal; a clear refusal otherwise."""
    morceaux = texte.strip().split(":")
    if len(morceaux) != 2 or not morceaux[0].isdecimal() or not _HEX64.match(morceaux[1].lower()):
        raise AncreInvalide(
            f"Ancre illisible « {texte[:80]} » : la forme attendue est TAILLE:RACINE (un entier, deux-points, "
            "64 chiffres hexadécimaux), comme imprimée au procès-verbal",
            regle="R52",
        )
    return Ancre(int(morceaux[0]), morceaux[1].lower(), origine=f"--ancre {morceaux[0]}")


def _entier(valeur: Any, nom: str, ou: str) -> int:
    if not isinstance(valeur, int) or isinstance(valeur, bool) or valeur < 0:
        raise AncreInvalide(f"{ou} : « {nom} » doit être un entier positif", regle="R52")
    return valeur


def _hex(valeur: Any, nom: str, ou: str, longueur: int | None) -> str | None:
    if valeur is None:
        return None
    if not isinstance(valeur, str) or not re.fullmatch(r"[0-9a-f]+", valeur) or (longueur and len(valeur) != longueur):
        raise AncreInvalide(f"{ou} : « {nom} » doit être de l'hexadécimal minuscule", regle="R52")
    return valeur


def lire_fichier_ancres(chemin: Path) -> list[Ancre]:
    """The anchors of a file written by `bac ancres exporter` (or by hand in the same shape)."""
    try:
        with chemin.open("rb") as f:
            contenu = f.read(TAILLE_MAX_FICHIER + 1)
    except OSError as e:
        raise AncreInvalide(f"Fichier d'ancres illisible : {chemin} ({e.strerror})", regle="R52") from None
    if len(contenu) > TAILLE_MAX_FICHIER:
        raise AncreInvalide(f"Fichier d'ancres trop volumineux : {chemin} (plus de 16 Mo)", regle="R52")
    try:
        donnees = orjson.loads(contenu)
    except orjson.JSONDecodeError:
        raise AncreInvalide(f"Fichier d'ancres : JSON illisible ({chemin})", regle="R52") from None
    if not isinstance(donnees, dict) or donnees.get("format") != FORMAT or not isinstance(donnees.get("ancres"), list):
        raise AncreInvalide(f"Fichier d'ancres : format {FORMAT} attendu ({chemin})", regle="R52")
    ancres = []
    for i, a in enumerate(donnees["ancres"], start=1):
        ou = f"ancre n° {i}"
        if not isinstance(a, dict):
            raise AncreInvalide(f"{ou} : un objet est attendu", regle="R52")
        racine = _hex(a.get("racine"), "racine", ou, 64)
        if racine is None:
            raise AncreInvalide(f"{ou} : racine absente", regle="R52")
        ancres.append(
            Ancre(
                taille=_entier(a.get("taille"), "taille", ou),
                racine=racine,
                position=None if a.get("position") is None else _entier(a.get("position"), "position", ou),
                cle_publique=_hex(a.get("cle_publique"), "cle_publique", ou, 64),
                signature=_hex(a.get("signature"), "signature", ou, 128),
                message=_hex(a.get("message"), "message", ou, None),
                origine=f"{chemin.name} n° {i}",
            )
        )
    return ancres


@dataclass
class ExportAncres:
    format: str
    taille: int
    position: int
    racine: str
    ancres: list[dict[str, Any]] = field(default_factory=list)


def exporter_ancres(registre: Registre, moteur: Engine) -> ExportAncres:
    """Every seal's head with what was signed, then the log's current (unsigned) head."""
    borne = registre.enregistreur.max_notification_id() or 0
    lus = lire_actes(registre, borne)
    etat = etat_courant(moteur)
    export = ExportAncres(FORMAT, etat.taille, etat.position, etat.racine.hex())
    for position in sorted(lus.sceaux):
        s = lus.sceaux[position]
        export.ancres.append(
            {
                "taille": s.sceau.taille, "position": s.sceau.position, "racine": s.sceau.racine,
                "cle_publique": s.sceau.cle_publique, "signature": s.sceau.signature,
                "message": s.message.hex() if s.sceau.signature else None,
                "sceau": {"position": position, "forme": s.forme, "objet": s.objet, "jury": s.jury, "groupe": s.groupe},
            }
        )  # fmt: skip
    export.ancres.append({"taille": etat.taille, "position": etat.position, "racine": etat.racine.hex(), "tete": True})
    return export


@dataclass
class PreuveCoherence:
    """RFC 6962 §2.1.2: the tree of the first ``m`` events is a prefix of the tree of the first ``n``."""

    m: int
    n: int
    racine_m: str
    racine_n: str
    preuve: list[str]
    verifiee: bool
    sceaux_m: list[int] = field(default_factory=list)  # positions of the seals of that size
    sceaux_n: list[int] = field(default_factory=list)


def coherence(registre: Registre, moteur: Engine, m: int, n: int | None = None) -> PreuveCoherence:
    etat = etat_courant(moteur)
    n = etat.taille if n is None else n
    if not 0 < m <= n <= etat.taille:
        raise RefusMetier(
            f"Tailles incohérentes : il faut 0 < M ≤ N ≤ {etat.taille} (événements chaînés), reçu M={m}, N={n}",
            regle="R52",
            code="TAILLES_INVALIDES",
        )
    arbre = feuilles(moteur, n)
    racine_m, racine_n = mth(arbre, 0, m), mth(arbre, 0, n)
    chemin = preuve_coherence(arbre, m, n)
    lus = lire_actes(registre, registre.enregistreur.max_notification_id() or 0)
    return PreuveCoherence(
        m=m,
        n=n,
        racine_m=racine_m.hex(),
        racine_n=racine_n.hex(),
        preuve=[h.hex() for h in chemin],
        verifiee=verifier_coherence(m, n, racine_m, racine_n, chemin),
        sceaux_m=[p for p, s in lus.sceaux.items() if s.sceau.taille == m],
        sceaux_n=[p for p, s in lus.sceaux.items() if s.sceau.taille == n],
    )
