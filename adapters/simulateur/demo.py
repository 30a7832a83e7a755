"""The main job, end to end on the embedded SQLite store: the Aix-Marseille 2024 results day.

From nothing to published results: the cohorts are generated (profiles of ``adapters/profils``),
the 2023 session is replayed first (the base of the evolutions, R46), then the 2024 day runs batch
after batch through `bac apply`'s path — a bad batch refused with its rule-citing errors, a batch
applied twice changing nothing — juries deliberate, statistics are published at each stage (R45,
R47), and one candidate's history and explained decision close the day. Every stage is timed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from adapters.application.documents import ServiceDocuments
from adapters.application.erreurs import LotRefuse
from adapters.application.service import EvenementLisible, Explication, Progression, RapportLot, ServiceRegistre
from adapters.publication import statistiques as rendus
from adapters.simulateur.acteurs import Acteurs, par_acteur
from adapters.simulateur.cohorte import construire
from adapters.simulateur.journee import Journee
from adapters.simulateur.lots_journee import lots_de_la_journee
from adapters.simulateur.profils import charger_profil
from domain.commandes import COMMANDE

SESSION = "2024-aix-marseille"
PRECEDENTE = "2023-aix-marseille"
LIBELLES_ETAPES = {
    "inscriptions": "Inscriptions et relevés de notes",
    "jurys": "Jurys, affectations, remplacements autorisés",
    "premier_groupe": "Délibération du premier groupe (tous les jurys)",
    "second_groupe": "Second groupe : choix, contrôles, délibération",
    "remplacement": "Épreuves de remplacement (septembre) et délibération",
}


@dataclass
class Chrono:
    lignes: list[tuple[str, float, int]] = field(default_factory=list)

    def noter(self, libelle: str, secondes: float, evenements: int = 0) -> None:
        self.lignes.append((libelle, secondes, evenements))


@dataclass
class ResultatDemo:
    numero: str
    historique: list[EvenementLisible]
    explication: Explication
    chrono: Chrono
    documents: list[Path] = field(default_factory=list)


def ecrire_lot(chemin: Path, lignes: list[dict[str, Any]]) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes(b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes))


def _appliquer(
    service: ServiceRegistre,
    acteurs: Acteurs,
    chemin: Path,
    lignes: list[dict[str, Any]],
    progression: Progression | None,
) -> RapportLot:
    """The day's batch (kept whole in ``chemin``) sent as one batch per actor, each with his own token."""
    total: RapportLot | None = None
    for rang, (acteur, siennes) in enumerate(par_acteur(lignes), start=1):
        sien = chemin.with_suffix("") / f"{rang:03d}-{acteur}.jsonl"
        ecrire_lot(sien, siennes)
        principal = acteurs.principal(acteur)
        rapport = service.appliquer_lot(service.lire_lot(sien, principal), principal, progression=progression)
        if total is None:
            total = rapport
        else:
            for champ in ("lignes", "deja_appliquees", "appliquees", "evenements", "transactions", "conflits"):
                setattr(total, champ, getattr(total, champ) + getattr(rapport, champ))
    assert total is not None, "un lot vide"
    return total


def _debit(rapport: RapportLot, secondes: float) -> str:
    debit = rapport.evenements / max(secondes, 1e-9)
    return f"{rapport.evenements:,} événements en {secondes:.1f} s ({debit:,.0f}/s)".replace(",", " ")


def jouer_journee(
    service: ServiceRegistre,
    acteurs: Acteurs,
    journee: Journee,
    dossier: Path,
    dire: Callable[[Any], None],
    progression: Progression | None,
    chrono: Chrono,
    *,
    publier: bool,
) -> None:
    """Every batch of the day in order; statistics published after each deliberation stage."""
    annee = journee.profil.annee
    acteurs.habiliter_journee(journee)
    for etape, nom, lignes in lots_de_la_journee(journee):
        chemin = dossier / str(annee) / f"{nom}.jsonl"
        ecrire_lot(chemin, lignes)
        debut = time.perf_counter()
        rapport = _appliquer(service, acteurs, chemin, lignes, progression)
        duree = time.perf_counter() - debut
        chrono.noter(f"{annee} · {LIBELLES_ETAPES[etape]} ({nom})", duree, rapport.evenements)
        dire(f"  {chemin.name} : {len(lignes)} lignes, {_debit(rapport, duree)}")
        if etape == "inscriptions" and nom.endswith("general") and publier:
            debut = time.perf_counter()
            relance = _appliquer(service, acteurs, chemin, lignes, None)
            chrono.noter(f"{annee} · même lot relancé", time.perf_counter() - debut, relance.evenements)
            dire(
                f"  même lot relancé : {relance.appliquees} ligne appliquée, "
                f"{relance.evenements} événement (rien ne change)"
            )
            _lot_fautif(service, acteurs, dossier, dire)
        if publier and etape in ("premier_groupe", "second_groupe", "remplacement"):
            _publier(
                service,
                dossier,
                {"premier_groupe": "provisoire", "remplacement": "final"}.get(etape, etape),
                dire,
                chrono,
            )


def _lot_fautif(service: ServiceRegistre, acteurs: Acteurs, dossier: Path, dire: Callable[[Any], None]) -> None:
    fautif = dossier / "lot-fautif.jsonl"
    lignes: list[dict[str, Any]] = [
            {"type": "saisir_note", "session": SESSION, "numero": "24000001", "epreuve": "PHILO", "note": 21,
             "origine": "epreuve_terminale"},
            {"type": "saisir_note", "session": SESSION, "numero": "99999999", "epreuve": "PHILO", "note": 12,
             "origine": "epreuve_terminale"},
            {"type": "inscrire", "session": SESSION, "numero": "24999999", "voie": "professionnel",
             "categorie": "individuel", "identite": {"ine": "249999999ZZ", "nom": "Sans", "prenom": "Spécialité",
                                                     "date_naissance": "2006-01-01"}},
    ]  # fmt: skip
    try:
        _appliquer(service, acteurs, fautif, [{**ligne, "acteur": "dec-aix-marseille"} for ligne in lignes], None)
    except LotRefuse as refus:
        dire("  lot fautif refusé, rien n'est enregistré :")
        for erreur in refus.erreurs:
            dire(f"    {erreur}")


def _publier(service: ServiceRegistre, dossier: Path, etape: str, dire: Callable[[Any], None], chrono: Chrono) -> None:
    debut = time.perf_counter()
    s = service.statistiques(SESSION, etape=etape, comparer=PRECEDENTE)
    chrono.noter(f"bac statistiques --etape {etape} (depuis la projection)", time.perf_counter() - debut)
    sortie = dossier / "statistiques"
    sortie.mkdir(parents=True, exist_ok=True)
    (sortie / f"{etape}.md").write_text(rendus.markdown(s), encoding="utf-8")
    (sortie / f"{etape}.csv").write_text(rendus.en_csv(s), encoding="utf-8")
    (sortie / f"{etape}.json").write_bytes(orjson.dumps(rendus.en_json(s), option=orjson.OPT_INDENT_2))
    (sortie / f"{etape}.png").write_bytes(rendus.png(s))
    dire("")
    dire(rendus.markdown(s))
    dire(f"  (aussi en CSV, JSON et PNG dans {sortie}/)")


def _candidat_a_montrer(journee: Journee) -> str:
    """A candidate admitted after the second groupe: his history shows every act of the day."""
    return next(c.numero for c in journee.candidats if c.issue == "sg_admis" and c.dossier.controles)


def executer_demo(
    dossier: Path, dire: Callable[[Any], None], progression: Progression | None = None, graine: int = 2024
) -> ResultatDemo:
    dossier.mkdir(parents=True, exist_ok=True)
    for ancien in dossier.glob("registre.db*"):
        ancien.unlink()
    chrono = Chrono()
    depart = debut = time.perf_counter()
    precedente = construire(charger_profil("aix-marseille-2023"), graine)
    journee = construire(charger_profil("aix-marseille-2024"), graine, precedente)
    chrono.noter("Génération des cohortes 2023 et 2024 (profils)", time.perf_counter() - debut)
    dire(
        f"Cohortes générées : {len(precedente.candidats)} candidats en 2023, {len(journee.candidats)} en 2024 "
        f"({journee.profil.presents} présents attendus, {len(journee.jurys)} jurys)"
    )
    with ServiceRegistre(f"sqlite:///{dossier / 'registre.db'}") as service:
        acteurs = Acteurs(service)  # bac init's administrator, who grants the rectorat's roles (R26)
        dire(f"Session {PRECEDENTE} (base des évolutions, R46) :")
        jouer_journee(service, acteurs, precedente, dossier, dire, progression, chrono, publier=False)
        dire(f"Session {SESSION} :")
        jouer_journee(service, acteurs, journee, dossier, dire, progression, chrono, publier=True)
        numero = _candidat_a_montrer(journee)
        debut = time.perf_counter()
        historique = service.historique(SESSION, numero)
        chrono.noter("Historique d'un candidat (rejoué depuis le journal)", time.perf_counter() - debut)
        debut = time.perf_counter()
        explication = service.decision(SESSION, numero)
        chrono.noter("bac decision : explication et rejeu des règles", time.perf_counter() - debut)
        debut = time.perf_counter()
        documents = _documents(service, numero, dossier / "documents")
        chrono.noter("bac document : relevé, attestation, procès-verbal (PDF)", time.perf_counter() - debut)
        debut = time.perf_counter()
        _effacer_une_identite(service, acteurs, numero, dire)
        chrono.noter("bac effacer-identite : clé détruite, preuves et rejeu intacts (R56)", time.perf_counter() - debut)
    chrono.noter("Total, de rien aux résultats publiés", time.perf_counter() - depart)
    return ResultatDemo(numero, historique, explication, chrono, documents)


def _effacer_une_identite(service: ServiceRegistre, acteurs: Acteurs, numero: str, dire: Callable[[Any], None]) -> None:
    """ADR 0023: the shown candidate's identity erased at the end of the day (his key destroyed); his events' proofs
    still verify under the seal, and his decision still replays identically from the log."""
    avant = service.preuve(SESSION, numero)
    commande = {"type": "effacer_identite", "session": SESSION, "numero": numero, "regle": "R56-identite",
                "raison": "Démonstration : durée de conservation échue (R56)"}  # fmt: skip
    service.executer(COMMANDE.validate_python(commande), acteurs.principal("dec-aix-marseille"))
    apres = service.preuve(SESSION, numero)
    candidat = service.candidat(SESSION, numero)
    explication = service.decision(SESSION, numero)
    tenues = [p for p in apres.preuves if p.verifiee and p.position in {q.position for q in avant.preuves}]
    dire("")
    dire(f"Effacement de l'identité du candidat {numero} (R56, ADR 0023) : {candidat.identite}")
    dire(f"  {len(tenues)} de ses {len(avant.preuves)} événements prouvés avant gardent leur preuve d'inclusion")
    dire(f"  décision {explication.decision}, moyenne {explication.moyenne} : rejeu {explication.rejeu}")


def _documents(service: ServiceRegistre, numero: str, dossier: Path) -> list[Path]:
    """The candidate's relevé and attestation and his jury's PV, verifiable on paper (issue 11)."""
    documents = ServiceDocuments(service)
    jury = service.candidat(SESSION, numero).jury
    rendus = [documents.emettre(n, SESSION, numero=numero, acteur="dec-aix-marseille", role="service_examens")
              for n in ("releve", "attestation")]  # fmt: skip
    rendus.append(documents.emettre("pv", SESSION, jury=jury, groupe=1, acteur="dec-aix-marseille",
                                    role="service_examens"))  # fmt: skip
    dossier.mkdir(parents=True, exist_ok=True)
    chemins = []
    for rendu in rendus:
        chemin = dossier / rendu.nom_fichier
        chemin.write_bytes(rendu.pdf())
        chemins.append(chemin)
    return chemins
