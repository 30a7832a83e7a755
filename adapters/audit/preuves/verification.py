"""`bac verifier`: re-walk the log and prove that nothing was changed, removed, inserted or reordered.

Independent checks over the stored bytes (ADR 0008, 0013):
1. the hash chain: each stored record's leaf hash and chain link recomputed and compared with
   ``chaine_journal`` — finds the first modified, deleted, inserted or swapped position, and truncation;
2. the seals: the Merkle root of the first ``taille`` leaves, recomputed from the log, must equal the root
   of each seal (the sealed log is a prefix of today's), and each act must be covered by its own seal —
   catches an attacker who also recomputed ``chaine_journal``;
3. the decisions: every `Délibéré` belongs to a jury's act, inside that act's seal (a forged decision
   appended to the log belongs to none);
4. the signatures (Ed25519): against trusted keys when given, and then an unsigned seal is damage too;
5. anchors kept outside (``--ancre``, ``--ancres FICHIER``): sizes, last positions and roots.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, select

from adapters.audit.preuves.actes import ActesDuJournal, SceauLu, lire_actes
from adapters.audit.preuves.ancres import Ancre
from adapters.audit.preuves.arbre import racines_gardees
from adapters.audit.preuves.chaine import (
    etat_courant,
    rattraper_chaine,
)
from adapters.audit.preuves.marche import MAX_DEFAUTS, Consigne
from adapters.audit.preuves.sceau import signature_valide_sur
from adapters.audit.preuves.troncons import (
    BLOC,
    TRONCON,
    Parcours,
    Troncon,
    constats,
    contigus,
    decouper,
    joindre,
    processus_pour,
)
from adapters.stockage.lecture_journal import PAGE
from adapters.stockage.registre import Registre
from domain.errors import JournalAltere
from domain.sceau import SceauJournal
from projections.tables import chaine_reconstructions

NATURES = {
    "modifie": "contenu de l'événement modifié (ou événements permutés)",
    "maillon": "maillon de la chaîne altéré",
    "supprime": "événement supprimé",
    "insere": "événement inséré après coup",
    "tronque": "journal tronqué",
    "frontiere": "chaîne et frontière de l'arbre en désaccord (journal et chaîne tronqués ?)",
    "illisible": "événement illisible",
    "chaine_absente": "chaîne d'intégrité effacée alors que le journal porte des sceaux",
    "sceau_rompu": "réécriture d'une plage scellée (racine du sceau différente)",
    "sceau_hors_journal": "sceau portant sur plus d'événements que le journal n'en contient",
    "sceau_hors_acte": "sceau qui ne couvre pas l'acte qu'il scelle",
    "acte_non_scelle": "acte sans son sceau",
    "decision_hors_acte": "décision (Délibéré) qui n'appartient à aucun acte du jury",
    "decision_non_scellee": "décision (Délibéré) hors du sceau de son acte",
    "signature": "signature du sceau invalide",
    "non_signe": "sceau non signé alors que des clés de confiance sont données (déclassement)",
    "cle_inconnue": "sceau signé par une clé non reconnue",
    "ancre": "ancre extérieure contredite",
    "bloc": "racine gardée d'un bloc de l'arbre différente de celle de ses feuilles (dérivée : « bac rechainer »)",
}
BORNES = frozenset(
    {"sceau_rompu", "sceau_hors_journal", "ancre"}
)  # they bound where a rewrite lies, they do not pinpoint it
GLOBAUX = frozenset({"chaine_absente"})


@dataclass(frozen=True)
class Defaut:
    position: int
    nature: str
    message: str


@dataclass
class SceauVerifie:
    position: int  # of the event carrying it (`GroupeDélibéré` in the older form, `ActeScellé` since)
    jury: str
    groupe: int
    taille: int
    racine: str
    racine_ok: bool | None = None
    signature: str = "absente"  # absente | valide | invalide | cle_inconnue
    forme: str = "acte"  # avant_acte | acte
    objet: str = "deliberation"  # deliberation | cloture


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
    hors_sceau: int = 0  # events after the largest seal: they rest on the chain, or on an outside anchor
    ancres: int = 0
    reconstructions: list[dict[str, Any]] = field(default_factory=list)
    remarques: list[str] = field(default_factory=list)
    secondes: float = 0.0

    @property
    def premier_defaut(self) -> Defaut | None:
        """The first damaged position: precise findings first, then the bounds of a rewrite, then the rest."""
        for rang in (lambda n: n not in BORNES | GLOBAUX, lambda n: n in BORNES, lambda n: True):
            candidats = [d for d in self.defauts if rang(d.nature)]
            if candidats:
                return min(candidats, key=lambda d: d.position)
        return None

    def signaler(self, position: int, nature: str, detail: str = "") -> None:
        self.valide = False
        if len(self.defauts) < MAX_DEFAUTS:
            message = NATURES[nature] + (f" : {detail}" if detail else "")
            self.defauts.append(Defaut(position, nature, message))


def verifier_journal(
    registre: Registre,
    moteur: Engine,
    *,
    cles_de_confiance: frozenset[str] = frozenset(),
    ancres: Sequence[Ancre] = (),
    rattraper: bool = False,
    progression: Callable[[str, int, int], None] | None = None,
    processus: int | None = None,
    page: int = PAGE,
    par_page: bool = True,
    bloc: int = BLOC,
    troncon: int = TRONCON,
    identites: bool = False,
) -> Rapport:
    """``identites``: every encrypted identity opened with its key on the way (ADR 0023; `bac verifier` does).
    ``processus``: workers walking the log's stretches (ADR 0028; by default one per core for a large log).
    ``page``, ``par_page``, ``bloc`` and ``troncon`` are for the tests: small pages, every page walked row by row,
    small blocks and stretches give the same report (adapters.audit.preuves.marche, .troncons)."""
    debut = time.perf_counter()
    rapport = Rapport(ancres=len(ancres))
    if rattraper:
        try:
            rattraper_chaine(registre, moteur)
        except JournalAltere as refus:  # the walk below says what is wrong; the refusal is kept as a remark
            rapport.remarques.append(refus.message)
    borne = registre.enregistreur.max_notification_id() or 0
    lus = lire_actes(registre, borne)
    for p in lus.illisibles:
        rapport.signaler(p, "illisible", "acte du jury ou de la session")
    attendus = {s.sceau.taille for s in lus.sceaux.values()} | {a.taille for a in ancres}

    etat = etat_courant(moteur)
    consigne = Consigne(
        etat.position, tuple(sorted(lus.sceaux)), tuple(sorted(attendus)), bloc, page, par_page, identites
    )
    parcours = _parcourir(rapport, registre, moteur, borne, consigne, troncon, processus, progression)
    if reste := parcours.reste:
        premiere = reste[0][0]
        rapport.signaler(
            premiere, "tronque", f"{len(reste)} événement(s) chaîné(s) manquent à partir de la position {premiere}"
        )
        parcours.lignes_lues, parcours.derniere_lue = parcours.lignes_lues + len(reste), reste[-1][0]
    lignes_lues, derniere_lue, positions = parcours.lignes_lues, parcours.derniere_lue, parcours.positions
    racines, rang_de, decisions = parcours.racines, parcours.rang_de, parcours.decisions
    if lignes_lues and etat.taille != lignes_lues:
        rapport.signaler(
            derniere_lue + 1, "frontiere",
            f"l'arbre compte {etat.taille} feuilles, la chaîne {lignes_lues} maillons : des événements manquent "
            f"à partir de la position {derniere_lue + 1}",
        )  # fmt: skip
    if lignes_lues == 0 and positions and lus.sceaux:
        premier = min(lus.sceaux)
        rapport.signaler(
            positions[0], "chaine_absente",
            f"le journal porte un sceau en position {premier} ; seuls les sceaux et les ancres tiennent encore lieu "
            "de preuve (« bac rechainer » pour la reconstruire explicitement)",
        )  # fmt: skip
    rapport.racine = parcours.racine.hex()
    _verifier_sceaux(rapport, lus, racines, positions, rang_de, cles_de_confiance)
    _verifier_actes(rapport, lus, positions, decisions)
    _verifier_ancres(rapport, ancres, lus, racines, positions, cles_de_confiance)
    plus_grand = max((s.sceau.taille for s in lus.sceaux.values()), default=0)
    rapport.hors_sceau = max(0, rapport.evenements - plus_grand)
    rapport.reconstructions = _reconstructions(moteur)
    for r in rapport.reconstructions:
        rapport.remarques.append(
            f"Chaîne reconstruite le {r['le'][:19]} par {r['acteur']} ({r['raison']}) : ce qui suivait le sceau de "
            f"{r['dernier_sceau']} événements ne repose, pour cette période, que sur des ancres extérieures"
        )
    _verifier_identites(rapport, parcours)
    _verifier_blocs(rapport, moteur, parcours, consigne.bloc)
    rapport.secondes = time.perf_counter() - debut
    return rapport


def _verifier_blocs(rapport: Rapport, moteur: Engine, parcours: Parcours, bloc: int) -> None:
    """Each block root kept for the proofs (adapters/audit/preuves/arbre.py) is the one the walk computed."""
    for j, racine in sorted(racines_gardees(moteur, bloc).items()):
        if j >= len(parcours.blocs) or parcours.blocs[j] != racine:
            fin = min((j + 1) * bloc, len(parcours.positions))
            position = parcours.positions[fin - 1] if fin else 0
            rapport.signaler(position, "bloc", f"bloc {j} de {bloc} feuilles")


def _verifier_identites(rapport: Rapport, parcours: Parcours) -> None:
    """A key that opens nothing makes the log invalid (ADR 0023), listed after the walk's own findings."""
    for position, message in parcours.cles_invalides:
        rapport.valide = False
        if len(rapport.defauts) < MAX_DEFAUTS:
            rapport.defauts.append(Defaut(position, "cle_invalide", message))
    if parcours.effacees:
        rapport.remarques.append(f"{parcours.effacees} identité(s) effacée(s) (R56) : leurs notes et décisions restent")


def _parcourir(
    rapport: Rapport,
    registre: Registre,
    moteur: Engine,
    borne: int,
    consigne: Consigne,
    taille: int,
    processus: int | None,
    progression: Callable[[str, int, int], None] | None,
) -> Parcours:
    """The log walked by stretches and joined; walked again as one stretch if it moved under the walk (a stretch
    that did not hold its rows would misplace the tree's blocks)."""
    troncons = decouper(registre, borne, taille)
    n = processus_pour(len(troncons)) if processus is None else processus
    avance = None if progression is None else (lambda position: progression("verification", position, borne))
    lus = list(constats(registre, moteur, troncons, consigne, n, avance))
    if not contigus(troncons, lus):
        troncons = [Troncon(0, 0, borne, True)]
        lus = list(constats(registre, moteur, troncons, consigne, 1, avance))
    return joindre(rapport, lus, consigne.bloc)


def _borne_basse(tenus: list[int], taille: int, positions: array, defaut: int) -> int:  # type: ignore[type-arg]
    """The first position after the largest head below ``taille`` that holds: where a rewrite can start."""
    depuis = max((t for t in tenus if t < taille), default=0)
    return positions[depuis] if depuis < len(positions) else defaut


def _tete_tient(sceau: SceauJournal, racines: dict[int, bytes], positions: array) -> bool:  # type: ignore[type-arg]
    if sceau.taille not in racines or racines[sceau.taille].hex() != sceau.racine:
        return False
    return sceau.taille == 0 or positions[sceau.taille - 1] == sceau.position


def _verifier_sceaux(
    rapport: Rapport,
    lus: ActesDuJournal,
    racines: dict[int, bytes],
    positions: array,  # type: ignore[type-arg]
    rang_de: dict[int, int],
    cles: frozenset[str],
) -> None:
    tenus: list[int] = []  # sizes of the seals that hold, to bound where a rewrite starts
    for position in sorted(lus.sceaux):
        lu = lus.sceaux[position]
        s = SceauVerifie(position, lu.jury, lu.groupe, lu.sceau.taille, lu.sceau.racine, forme=lu.forme, objet=lu.objet)
        rapport.sceaux.append(s)
        _verifier_signature(rapport, s, lu, cles)
        rang = rang_de.get(position)
        if s.taille > len(positions) or (rang is not None and s.taille > rang):
            s.racine_ok = False  # fewer events before it than it sealed: some were deleted since
            premiere = _borne_basse(tenus, s.taille, positions, position)
            rapport.signaler(
                premiere, "sceau_hors_journal",
                f"le sceau en position {position} couvrait {s.taille} événements, il n'en reste que "
                f"{min(len(positions), rang if rang is not None else len(positions))} avant lui : suppression "
                f"entre les positions {premiere} et {position}",
            )  # fmt: skip
            continue
        s.racine_ok = _tete_tient(lu.sceau, racines, positions)
        if s.racine_ok:
            tenus.append(s.taille)
            continue
        premiere = _borne_basse(tenus, s.taille, positions, position)
        rapport.signaler(
            premiere,
            "sceau_rompu",
            f"le sceau du jury {s.jury} (groupe {s.groupe}, position {position}) couvrait {s.taille} événements ; "
            f"la réécriture se situe entre les positions {premiere} et {positions[s.taille - 1]}",
        )


def _verifier_signature(rapport: Rapport, s: SceauVerifie, lu: SceauLu, cles: frozenset[str]) -> None:
    if lu.sceau.signature is None:
        if cles:  # no downgrade: once keys are trusted, a seal without signature proves nothing
            rapport.signaler(s.position, "non_signe", f"sceau du jury {s.jury} (groupe {s.groupe})")
        return
    if not signature_valide_sur(lu.sceau, lu.message):
        s.signature = "invalide"
        rapport.signaler(s.position, "signature", f"jury {s.jury}, groupe {s.groupe}")
    elif cles and lu.sceau.cle_publique not in cles:
        s.signature = "cle_inconnue"
        rapport.signaler(s.position, "cle_inconnue", f"jury {s.jury}")
    else:
        s.signature = "valide"


def _verifier_actes(
    rapport: Rapport,
    lus: ActesDuJournal,
    positions: array,  # type: ignore[type-arg]
    decisions: list[tuple[int, UUID, UUID | None]],
) -> None:
    """Every act of the newer form is covered by its own seal; every decision by its act's."""
    forme_recente = any(s.forme == "acte" for s in lus.sceaux.values())
    couverture: dict[tuple[UUID, int], int] = {}  # act → last position its seal covers
    for cle, acte in lus.actes.items():
        if acte.ancien or (acte.objet == "cloture" and not forme_recente):
            continue  # the older form sealed before the act (or not at all, for a closing): read as it was
        lu = lus.sceau_de(acte)
        if lu is None:
            rapport.signaler(
                acte.position, "acte_non_scelle",
                f"{'délibération' if acte.objet == 'deliberation' else 'clôture de session'} sans `ActeScellé`",
            )  # fmt: skip
            continue
        taille = lu.sceau.taille
        rang = bisect_right(positions, lu.position)  # events before the seal: it cannot cover more
        if taille > rang:
            continue  # reported as `sceau_hors_journal`
        derniere = positions[taille - 1] if taille else -1
        if (lu.source is not None and lu.source.position != acte.position) or derniere < acte.position:
            rapport.signaler(lu.position, "sceau_hors_acte", f"l'acte est en position {acte.position}")
            continue
        couverture[cle] = derniere
    par_cle = lus.par_cle()
    for position, correlation, causation in decisions:
        de = par_cle.get((correlation, causation))
        if de is None:
            rapport.signaler(position, "decision_hors_acte", "aucun `GroupeDélibéré` ne porte ses identifiants d'acte")
            continue
        derniere = couverture.get((de.agregat_id, de.version))
        if derniere is not None and position > derniere:
            rapport.signaler(
                position, "decision_non_scellee", f"son acte (position {de.position}) est scellé jusqu'à {derniere}"
            )


def _verifier_ancres(
    rapport: Rapport,
    ancres: Sequence[Ancre],
    lus: ActesDuJournal,
    racines: dict[int, bytes],
    positions: array,  # type: ignore[type-arg]
    cles: frozenset[str],
) -> None:
    tenus = [s.taille for s in rapport.sceaux if s.racine_ok] + [
        a.taille for a in ancres if a.taille in racines and racines[a.taille].hex() == a.racine
    ]
    for a in ancres:
        if a.signature is not None and a.message is not None:
            message = bytes.fromhex(a.message)
            champs = message.decode("utf-8", "replace").split("\n")[-3:]
            tete = SceauJournal(
                taille=a.taille, position=a.position or 0, racine=a.racine, cle_publique=a.cle_publique,
                signature=a.signature,
            )  # fmt: skip
            if champs != [str(a.taille), str(a.position), a.racine] or not signature_valide_sur(tete, message):
                rapport.signaler(rapport.position_max, "ancre", f"{a.origine} : signature de l'ancre invalide")
            elif cles and a.cle_publique not in cles:
                rapport.signaler(rapport.position_max, "ancre", f"{a.origine} : signée par une clé non reconnue")
        if a.taille > len(positions) and (a.position is None or a.position > rapport.position_max):
            apres = rapport.position_max + 1
            rapport.signaler(
                apres, "tronque",
                f"{a.origine} couvre {a.taille} événements"
                + (f" jusqu'à la position {a.position}" if a.position else "")
                + f", le journal n'en a que {len(positions)} : manquent depuis la position {apres}",
            )  # fmt: skip
            continue
        tient = a.taille in racines and racines[a.taille].hex() == a.racine
        if tient and a.position is not None and a.taille and positions[a.taille - 1] != a.position:
            tient = False
        if not tient:  # rewritten, or events deleted before its last position
            premiere = _borne_basse(tenus, a.taille, positions, rapport.position_max)
            fin = a.position or (positions[a.taille - 1] if 0 < a.taille <= len(positions) else premiere)
            rapport.signaler(
                premiere, "ancre",
                f"{a.origine} (taille {a.taille}) : la réécriture se situe entre les positions {premiere} et {fin}",
            )  # fmt: skip


def _reconstructions(moteur: Engine) -> list[dict[str, Any]]:
    with moteur.connect() as connexion:
        lignes = connexion.execute(select(chaine_reconstructions).order_by(chaine_reconstructions.c.numero)).all()
    return [{**dict(r._mapping), "le": r.le.isoformat()} for r in lignes]
