"""The main job, end to end on the embedded SQLite store: open a session, import a batch, audit one candidate."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import orjson

from adapters.generateur import cohorte
from adapters.lots import LotRefuse, Progression
from adapters.services import EvenementLisible, ServiceRegistre
from domain.commandes import COMMANDE

SESSION = "2024-aix-marseille"
ANNEE = 2024


def ecrire_lot(chemin: Path, lignes: list[dict[str, object]]) -> None:
    chemin.write_bytes(b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes))


def executer_demo(
    dossier: Path,
    dire: Callable[[str], None],
    progression: Progression | None = None,
    nombre: int = 300,
) -> tuple[str, list[EvenementLisible]]:
    dossier.mkdir(parents=True, exist_ok=True)
    base = dossier / "registre.db"
    for ancien in dossier.glob("registre.db*"):
        ancien.unlink()
    url = f"sqlite:///{base}"
    with ServiceRegistre(url) as service:
        debut = time.perf_counter()
        service.executer(
            COMMANDE.validate_python(
                {
                    "type": "ouvrir_session",
                    "session": SESSION,
                    "libelle": "Baccalauréat 2024, académie d'Aix-Marseille",
                    "acteur": "dec-aix-marseille",
                    "role": "service_examens",
                }
            )
        )
        dire(f"Session {SESSION} ouverte dans {base}")

        lot = dossier / "lot-inscriptions-notes.jsonl"
        ecrire_lot(lot, list(cohorte(SESSION, ANNEE, nombre)))
        dire(f"Lot écrit : {lot} ({nombre} candidats, inscriptions et notes)")
        rapport = service.appliquer_lot(
            service.lire_lot(lot, acteur="import-santorin", role="service_examens"), progression=progression
        )
        debit = f"{rapport.evenements / max(rapport.secondes, 1e-9):,.0f}".replace(",", " ")
        dire(
            f"Lot appliqué : {rapport.appliquees} commandes, {rapport.evenements} événements, "
            f"{rapport.transactions} transaction(s), {rapport.secondes:.2f} s ({debit} événements/s)"
        )

        rapport = service.appliquer_lot(service.lire_lot(lot, acteur="import-santorin", role="service_examens"))
        dire(f"Même lot relancé : {rapport.appliquees} commande appliquée (déjà fait, rien ne change)")

        fautif = dossier / "lot-fautif.jsonl"
        ecrire_lot(
            fautif,
            [
                {
                    "type": "saisir_note",
                    "session": SESSION,
                    "numero": "10000001",
                    "epreuve": "PHILO",
                    "note": 21,
                    "origine": "epreuve_terminale",
                },
                {
                    "type": "saisir_note",
                    "session": SESSION,
                    "numero": "99999999",
                    "epreuve": "PHILO",
                    "note": 12,
                    "origine": "epreuve_terminale",
                },
            ],
        )
        try:
            service.appliquer_lot(service.lire_lot(fautif, acteur="import-santorin", role="service_examens"))
        except LotRefuse as refus:
            dire("Lot fautif refusé, rien n'est enregistré :")
            for erreur in refus.erreurs:
                dire(f"  {erreur}")

        service.rattraper()
        etats = service.etats(SESSION)
        completes = sum(1 for e in etats if e["statut"] == "notes_completes")
        dire(f"Vue des candidats : {len(etats)} inscrits, {completes} avec toutes leurs notes")
        numero = etats[0]["numero"]
        historique = service.historique(SESSION, numero)
        dire(f"Durée totale : {time.perf_counter() - debut:.2f} s")
        return numero, historique
