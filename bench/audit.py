#!/usr/bin/env python3
"""Audit benchmark (ADR 0008): time to explain one candidate, and to verify a log of N events (default 1M).

1. A small jury is deliberated through the service (SQLite file); `bac expliquer`'s code path is timed on
   one candidate (median of R runs).
2. The log is grown to N events by bulk-inserting copies of its own stored rows (new originator ids)
   through the library's recorder, then chained once (the pull runner); `bac verifier`'s walk is timed, its
   identities opened with their keys
   (median of R runs), and in the same run a raw baseline reads the same rows with ``sqlite3`` and hashes
   the same bytes with ``hashlib`` (leaf + chain link): the ratio is the figure. Nothing is asserted.

    .venv/bin/python bench/audit.py [--evenements 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import struct
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson
from eventsourcing.persistence import StoredEvent

from adapters.application.journalisation import configurer
from adapters.application.service import ServiceRegistre
from adapters.audit.preuves.chaine import rattraper_chaine
from adapters.audit.preuves.troncons import TRONCON, decouper, processus_pour
from adapters.audit.preuves.verification import verifier_journal
from adapters.simulateur.acteurs import Acteurs
from adapters.stockage import cles
from adapters.stockage.codec import PERSONNELS
from adapters.stockage.ramasse_miettes import sans_ramasse_miettes
from domain.commandes import COMMANDE

SESSION = "2024-aix-marseille"
ACTEUR = {"acteur": "dec-aix-marseille", "role": "service_examens"}


def jury_delibere(service: ServiceRegistre, candidats: int) -> None:
    """A jury of ``candidats``, deliberated; every act made by its actor's own habilitation (ADR 0017)."""
    from domain.reglement import charger_reglement

    acteurs = Acteurs(service)
    acteurs.habiliter_academie("aix-marseille")
    acteurs.designer_jury(SESSION, "J1")

    def executer(service: ServiceRegistre, *commandes: dict[str, object]) -> None:
        for c in commandes:
            commande = COMMANDE.validate_python({**ACTEUR, **c})
            service.executer(commande, acteurs.principal(commande.acteur))

    numeros = [f"{i:08d}" for i in range(1, candidats + 1)]
    executer(service, {"type": "ouvrir_session", "session": SESSION, "libelle": "bench"})
    for i, n in enumerate(numeros):
        executer(
            service,
            {"type": "inscrire", "session": SESSION, "numero": n, "voie": "general", "specialites": ["MATHS", "PC"],
             "categorie": "scolaire_public", "identite": {"ine": f"{i + 1:09d}AB", "nom": "N", "prenom": "P",
             "date_naissance": "2006-01-01"}},
        )  # fmt: skip
    executer(
        service,
        {"type": "constituer_jury", "session": SESSION, "jury": "J1", "voie": "general",
         "acteur": "recteur-aix-marseille", "role": "recteur",
         "president": {"identifiant": "pres-j1", "qualite": "professeur_des_universites"},
         "membres": [{"identifiant": "m1", "categorie": "professeur_lycee_public"}]},
        {"type": "affecter_candidats", "session": SESSION, "jury": "J1", "numeros": numeros},
    )  # fmt: skip
    terminales = {"ecrit_terminal", "oral_terminal", "anticipee_ecrit", "anticipee_oral"}
    for i, n in enumerate(numeros):
        notes = [
            {"epreuve": e.code, "note": str(8 + (i + j) % 9),
             "origine": "epreuve_terminale" if e.nature in terminales else "controle_continu"}
            for j, e in enumerate(charger_reglement(2024, "general", None).epreuves_obligatoires())
        ]  # fmt: skip
        executer(service, {"type": "saisir_notes", "session": SESSION, "numero": n, "notes": notes})
    executer(service, {"type": "deliberer", "session": SESSION, "jury": "J1", "groupe": 1, "acteur": "pres-j1",
                       "role": "president_jury"})  # fmt: skip


def grossir(service: ServiceRegistre, cible: int) -> None:
    """Copy the log's own stored rows under fresh originator ids until it holds ``cible`` events."""
    enregistreur = service.registre.enregistreur
    # The jury's acts, decisions and seals are not copied: a decision outside its act's seal is a forgery to
    # `verifier`, and copies would re-seal the same prefix. One act, one seal, as in a real log.
    jury = ("GroupeDélibéré", "Délibéré", "ActeScellé")
    modele = [
        s for s in enregistreur.select_notifications(start=1, limit=10_000) if s.topic.rsplit(".", 1)[-1] not in jury
    ]
    n = enregistreur.max_notification_id() or 0
    while n < cible:
        lot: list[StoredEvent] = []
        nouveaux: dict[uuid.UUID, uuid.UUID] = {}
        while len(lot) < 20_000 and n + len(lot) < cible:
            for s in modele:
                if n + len(lot) >= cible or len(lot) >= 20_000:
                    break
                ident = nouveaux.setdefault(s.originator_id, uuid.uuid4())
                lot.append(StoredEvent(ident, s.originator_version, s.topic, _etat_copie(service, s, ident)))
            nouveaux.clear()
        enregistreur.insert_events(lot)
        n += len(lot)


def _etat_copie(service: ServiceRegistre, s: StoredEvent, ident: uuid.UUID) -> bytes:
    """The copy's bytes: an encrypted identity is bound to its event's id (ADR 0023), so it is sealed again for the
    copy's, with the same key; `bac verifier` opens every one of them, as on a real day (1 event in 10)."""
    champ = PERSONNELS.get(s.topic)
    donnees = orjson.loads(s.state) if champ is not None else {}
    valeur = donnees.get(champ.champ) if champ is not None else None
    if champ is None or not (isinstance(valeur, dict) and "chiffre" in valeur):
        return s.state
    cle = service.registre.coffre.cle_pour_lire(valeur["cle"])
    assert cle is not None
    clair = cles.dechiffrer(cle, valeur["chiffre"], cles.donnees_associees(s.originator_id, s.topic),
                            cle_id=valeur["cle"])  # fmt: skip
    valeur["chiffre"] = cles.chiffrer(cle, clair, cles.donnees_associees(ident, s.topic))
    return orjson.dumps(donnees)


def base_brute(chemin: str) -> float:
    """Raw baseline: sqlite3 reads the same rows, hashlib hashes the same bytes (leaf + chain link); the id's text
    is taken as canonical (`bytes.fromhex`), as the fastest raw reading would."""
    with sans_ramasse_miettes():  # as `bac verifier`'s walk runs: the same conditions
        return _base_brute(chemin)


def _base_brute(chemin: str) -> float:
    debut = time.perf_counter()
    connexion = sqlite3.connect(chemin)
    precedent = bytes(32)
    curseur = connexion.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events")
    while lignes := curseur.fetchmany(10_000):
        for position, ident, version, topic, etat in lignes:
            sujet = topic.encode()
            octets = bytes.fromhex(ident.replace("-", ""))
            donnees = b"".join((struct.pack(">Q", position), octets, struct.pack(">Q", version),
                                struct.pack(">I", len(sujet)), sujet, struct.pack(">I", len(etat)), etat))  # fmt: skip
            feuille = hashlib.sha256(b"\x00" + donnees).digest()
            precedent = hashlib.sha256(precedent + feuille + struct.pack(">Q", position)).digest()
    connexion.close()
    return time.perf_counter() - debut


def main() -> None:
    configurer()  # BAC_LOG_LEVEL as for `bac`: a run's figures are not buried under its info lines
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evenements", type=int, default=1_000_000)
    parser.add_argument("--candidats", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        chemin = f"{dossier}/audit.db"
        with ServiceRegistre(f"sqlite:///{chemin}") as service:
            jury_delibere(service, args.candidats)
            expliquer = []
            for _ in range(max(args.runs, 5)):
                debut = time.perf_counter()
                e = service.expliquer(SESSION, "00000001")
                expliquer.append(time.perf_counter() - debut)
            print(f"expliquer un candidat : médiane {statistics.median(expliquer) * 1000:.1f} ms (rejeu {e.rejeu})")

            debut = time.perf_counter()
            grossir(service, args.evenements)
            insertion = time.perf_counter() - debut
            debut = time.perf_counter()
            rattraper_chaine(service.registre, service.moteur)
            chainage = time.perf_counter() - debut
            n = service.registre.enregistreur.max_notification_id()
            print(f"journal : {n} événements (insertion {insertion:.1f} s, chaînage {chainage:.1f} s, "
                  f"{n / chainage:,.0f} év./s)")  # fmt: skip
            verifs, seuls, bruts = [], [], []
            for _ in range(args.runs):
                # `bac verifier`'s own walk: one worker per core (ADR 0028), each identity opened (ADR 0023)
                rapport = verifier_journal(service.registre, service.moteur, identites=True)
                assert rapport.valide, rapport.premier_defaut
                verifs.append(rapport.secondes)
                seul = verifier_journal(service.registre, service.moteur, processus=1, identites=True)
                assert seul.valide and seul.racine == rapport.racine
                seuls.append(seul.secondes)
                bruts.append(base_brute(chemin))
            v, u, b = statistics.median(verifs), statistics.median(seuls), statistics.median(bruts)
            coeurs = processus_pour(len(decouper(service.registre, n or 0, TRONCON)))
            print(f"vérifier {n} événements, {coeurs} processus : médiane {v:.2f} s ({n / v:,.0f} év./s), "
                  f"{len(rapport.sceaux)} sceau(x)")  # fmt: skip
            print(f"vérifier dans un seul processus : médiane {u:.2f} s ({n / u:,.0f} év./s)")
            print(f"base brute sqlite3 + hashlib sur les mêmes octets, un processus : médiane {b:.2f} s "
                  f"({n / b:,.0f} év./s)")  # fmt: skip
            print(f"rapport vérifier / base brute : {v / b:.2f} ({coeurs} processus), {u / b:.2f} (un seul)")


if __name__ == "__main__":
    main()
