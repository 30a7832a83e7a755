"""`bac verifier`: re-walk the log and prove that nothing was changed, removed, inserted or reordered.

Three independent checks over the stored bytes (ADR 0008):
1. the hash chain: each stored record's leaf hash and chain link recomputed and compared with
   ``chaine_journal`` — finds the first modified, deleted, inserted or swapped position, and truncation;
2. the seals: the Merkle root of the first ``taille`` leaves, recomputed from the log, must equal the root
   recorded in each `GroupeDélibéré` (the sealed log is a prefix of today's) — catches an attacker who
   also recomputed ``chaine_journal``;
3. the signatures of the seals (Ed25519, president's key), against trusted keys when given.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Engine

from adapters.audit.preuves.chaine import (
    ORIGINE,
    effacer_chaine,
    etat_courant,
    feuille_de,
    lignes_chaine,
    maillon,
    rattraper_chaine,
)
from adapters.audit.preuves.merkle import Frontiere
from adapters.audit.preuves.sceau import signature_valide
from adapters.stockage.registre import Registre
from domain.errors import RefusMetier
from domain.evenements import GroupeDelibere

PAGE = 10_000
MAX_DEFAUTS = 20

NATURES = {
    "modifie": "contenu de l'événement modifié (ou événements permutés)",
    "maillon": "maillon de la chaîne altéré",
    "supprime": "événement supprimé",
    "insere": "événement inséré après coup",
    "tronque": "journal tronqué",
    "illisible": "événement illisible",
    "sceau_rompu": "réécriture d'une plage scellée (racine du sceau différente)",
    "sceau_hors_journal": "sceau portant sur plus d'événements que le journal n'en contient",
    "signature": "signature du sceau invalide",
    "cle_inconnue": "sceau signé par une clé non reconnue",
    "ancre": "racine publiée différente",
}


@dataclass(frozen=True)
class Defaut:
    position: int
    nature: str
    message: str


@dataclass
class SceauVerifie:
    position: int  # of the `GroupeDélibéré` carrying it
    jury: str
    groupe: int
    taille: int
    racine: str
    racine_ok: bool | None = None
    signature: str = "absente"  # absente | valide | invalide | cle_inconnue


@dataclass
class Rapport:
    valide: bool = True
    evenements: int = 0
    position_max: int = 0
    chaines: int = 0
    non_chaines: int = 0
    racine: str = ""
    sceaux: list[SceauVerifie] = field(default_factory=list)
    defauts: list[Defaut] = field(default_factory=list)
    secondes: float = 0.0

    @property
    def premier_defaut(self) -> Defaut | None:
        """The first damaged position; a broken seal only bounds a rewrite, so precise findings come first."""
        precis = [d for d in self.defauts if d.nature not in ("sceau_rompu", "ancre")]
        candidats = precis or self.defauts
        return min(candidats, key=lambda d: d.position) if candidats else None

    def signaler(self, position: int, nature: str, detail: str = "") -> None:
        self.valide = False
        if len(self.defauts) < MAX_DEFAUTS:
            message = NATURES[nature] + (f" : {detail}" if detail else "")
            self.defauts.append(Defaut(position, nature, message))


def notifications(registre: Registre, borne: int, topics: tuple[str, ...] = ()) -> Iterator[Any]:
    depart = 0
    while depart < borne:
        page = registre.enregistreur.select_notifications(
            start=depart, limit=PAGE, stop=borne, topics=topics, inclusive_of_start=False
        )
        yield from page
        if len(page) < PAGE:
            return
        depart = page[-1].id


def _sceaux(registre: Registre, borne: int, rapport: Rapport) -> dict[int, tuple[SceauVerifie, Any]]:
    """Every seal recorded in a `GroupeDélibéré`, by the position of the act."""
    trouves: dict[int, tuple[SceauVerifie, Any]] = {}
    codes: dict[UUID, str] = {}
    for n in notifications(registre, borne, (get_topic(GroupeDelibere),)):
        try:
            e: Any = registre.mapper.to_domain_event(n)
        except Exception:  # a payload no longer valid: reported, never fatal
            rapport.signaler(n.id, "illisible", "acte de délibération")
            continue
        if e.sceau is not None:
            jury = codes.get(e.originator_id)
            if jury is None:
                try:
                    jury = codes[e.originator_id] = registre.repository.get(e.originator_id).code
                except Exception:
                    jury = codes[e.originator_id] = e.originator_id.hex[:8]
            verifie = SceauVerifie(n.id, jury=jury, groupe=e.groupe, taille=e.sceau.taille, racine=e.sceau.racine)
            trouves[n.id] = (verifie, e)
    return trouves


def verifier_journal(
    registre: Registre,
    moteur: Engine,
    *,
    cles_de_confiance: frozenset[str] = frozenset(),
    ancres: tuple[tuple[int, str], ...] = (),
    progression: Callable[[str, int, int], None] | None = None,
) -> Rapport:
    debut = time.perf_counter()
    rapport = Rapport()
    borne = registre.enregistreur.max_notification_id() or 0
    sceaux = _sceaux(registre, borne, rapport)
    attendus: dict[int, list[SceauVerifie]] = {}
    for s, _ in sceaux.values():
        attendus.setdefault(s.taille, []).append(s)
    for taille, racine in ancres:
        attendus.setdefault(taille, []).append(SceauVerifie(-1, "ancre", 0, taille, racine))
    racines: dict[int, bytes] = {0: Frontiere().racine()} if 0 in attendus else {}

    dernier_chaine = etat_courant(moteur).position
    chaine = lignes_chaine(moteur)
    stockee = next(chaine, None)
    precedent, frontiere = ORIGINE, Frontiere()
    positions = array("q")
    rang_de: dict[int, int] = {}
    for n in notifications(registre, borne):
        rapport.evenements += 1
        rapport.position_max = n.id
        if progression and rapport.evenements % PAGE == 0:
            progression("verification", n.id, borne)
        feuille = feuille_de(n)
        while stockee is not None and stockee[0] < n.id:
            rapport.signaler(stockee[0], "supprime", f"chaîné au rang {stockee[1]}, absent du journal")
            precedent = _maillon_stocke(rapport, stockee, precedent)
            stockee = next(chaine, None)
        if stockee is None or stockee[0] > n.id:
            if n.id > dernier_chaine:
                rapport.non_chaines += 1
            else:
                rapport.signaler(n.id, "insere", "absent de la chaîne")
        else:
            rapport.chaines += 1
            if stockee[2] != feuille:
                rapport.signaler(n.id, "modifie", "son empreinte ne correspond plus à celle enregistrée à l'écriture")
            precedent = _maillon_stocke(rapport, stockee, precedent, frontiere.taille)
            stockee = next(chaine, None)
        if n.id in sceaux:
            rang_de[n.id] = frontiere.taille
        positions.append(n.id)
        frontiere.ajouter(feuille)
        if frontiere.taille in attendus:
            racines[frontiere.taille] = frontiere.racine()
    if stockee is not None:
        reste = [stockee, *chaine]
        rapport.signaler(
            stockee[0], "tronque", f"{len(reste)} événement(s) chaîné(s) manquent à partir de la position {stockee[0]}"
        )
    rapport.racine = frontiere.racine().hex()
    _verifier_sceaux(rapport, sceaux, racines, positions, rang_de, cles_de_confiance)
    for taille, racine in ancres:
        if racines.get(taille, b"").hex() != racine:
            position = positions[taille - 1] if 0 < taille <= len(positions) else rapport.position_max
            rapport.signaler(position, "ancre", f"taille {taille}")
    rapport.secondes = time.perf_counter() - debut
    return rapport


def _maillon_stocke(
    rapport: Rapport, stockee: tuple[int, int, bytes, bytes], precedent: bytes, rang: int | None = None
) -> bytes:
    """Each stored link must follow from the stored link before it: the chain table itself was not edited."""
    position, rang_stocke, feuille, chaine = stockee
    if maillon(precedent, feuille, position) != chaine or (rang is not None and rang != rang_stocke):
        rapport.signaler(position, "maillon", "le hachage chaîné ne se recalcule pas")
    return chaine


def _verifier_sceaux(
    rapport: Rapport,
    sceaux: dict[int, tuple[SceauVerifie, Any]],
    racines: dict[int, bytes],
    positions: array,  # type: ignore[type-arg]
    rang_de: dict[int, int],
    cles: frozenset[str],
) -> None:
    tenus: list[int] = []  # sizes of the seals that hold, to bound where a rewrite starts
    for position in sorted(sceaux):
        s, e = sceaux[position]
        rapport.sceaux.append(s)
        rang = rang_de.get(position)
        if s.taille > len(positions) or (rang is not None and s.taille > rang):
            s.racine_ok = False
            rapport.signaler(position, "sceau_hors_journal", f"taille scellée {s.taille}")
            continue
        s.racine_ok = s.taille in racines and racines[s.taille].hex() == s.racine
        if s.racine_ok and s.taille and positions[s.taille - 1] != e.sceau.position:
            s.racine_ok = False
        if s.racine_ok:
            tenus.append(s.taille)
        else:
            depuis = max((t for t in tenus if t < s.taille), default=0)
            premiere = positions[depuis] if depuis < len(positions) else position
            rapport.signaler(
                premiere,
                "sceau_rompu",
                f"le sceau du jury {s.jury} (groupe {s.groupe}, position {position}) couvrait {s.taille} événements ; "
                f"la réécriture se situe entre les positions {premiere} et {positions[s.taille - 1]}",
            )
        if e.sceau.signature is not None:
            ok = signature_valide(
                e.sceau, jury_id=e.originator_id, groupe=e.groupe, correlation_id=e.acte.correlation_id
            )
            if not ok:
                s.signature = "invalide"
                rapport.signaler(position, "signature", f"jury {s.jury}, groupe {s.groupe}")
            elif cles and e.sceau.cle_publique not in cles:
                s.signature = "cle_inconnue"
                rapport.signaler(position, "cle_inconnue", f"jury {s.jury}")
            else:
                s.signature = "valide"


def reconstruire_chaine(registre: Registre, moteur: Engine) -> int:
    """Rebuild the chain from the log — refused if the log no longer matches the chain (never launder damage)."""
    rattraper_chaine(registre, moteur)
    rapport = verifier_journal(registre, moteur)
    if not rapport.valide:
        d = rapport.premier_defaut
        assert d is not None
        raise RefusMetier(
            f"Le journal ne correspond plus à sa chaîne d'intégrité (position {d.position} : {d.message}) : "
            "la chaîne n'est pas reconstruite ; lancer « bac verifier »",
            regle="R52",
            code="JOURNAL_ALTERE",
        )
    effacer_chaine(moteur)
    return rattraper_chaine(registre, moteur)
