"""The registry as its users see it: one object per database, one method per thing they can do."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError
from sqlalchemy import Engine, inspect, select

from adapters.audit import historique as audit
from adapters.audit.explication import Explication, expliquer
from adapters.audit.lisible import EvenementLisible, lisible
from adapters.audit.preuves.ancres import Ancre, ExportAncres, PreuveCoherence, coherence, exporter_ancres
from adapters.audit.preuves.chaine import rattraper_chaine
from adapters.audit.preuves.inclusion import DossierPreuves
from adapters.audit.preuves.reconstruction import rechainer, reconstruire_chaine
from adapters.audit.preuves.sceau import commandes_qui_scellent, sceller_actes
from adapters.audit.preuves.verification import Rapport
from adapters.lots.executeur import executer
from adapters.lots.formats import Feuille, lire_feuille, localiser, verifier_taille
from adapters.lots.lot import Lot, LotRefuse, Progression, RapportLot, appliquer_lot, lire_lot
from adapters.stockage.chantier import Chantier
from adapters.stockage.configuration import stockage_depuis_url
from adapters.stockage.registre import Registre
from domain import ids
from domain.candidat import Candidate
from domain.errors import Introuvable, RefusMetier
from domain.modele import Acte
from projections.etat_candidats import ProjectionEtatCandidats
from projections.runner import Projection, creer_tables, rattraper_ensemble, reconstruire
from projections.source import SourceJournal
from projections.statistiques import ProjectionStatistiques, Statistiques, statistiques
from projections.tables import etat_candidats

journal = structlog.get_logger("bac.services")

PROJECTIONS: tuple[Projection, ...] = (ProjectionEtatCandidats(), ProjectionStatistiques())
TENTATIVES = 10  # concurrent writers on one aggregate: re-run the guards on fresh state


class ServiceRegistre:
    def __init__(self, url: str | None = None) -> None:
        stockage = stockage_depuis_url(url)
        self.moteur: Engine = stockage.creer_moteur_sql()
        # Create the log's tables only when missing: the library re-runs its DDL on every start
        # otherwise, and concurrent DDL on PostgreSQL fails ("tuple concurrently updated").
        if stockage.moteur != "memoire" and inspect(self.moteur).has_table(stockage.table_evenements):
            stockage = stockage.sans_creation_de_tables()
        self.registre = Registre(stockage)
        self.registre.moteur_sql = self.moteur
        creer_tables(self.moteur)

    def fermer(self) -> None:
        self.registre.close()
        self.moteur.dispose()

    def __enter__(self) -> ServiceRegistre:
        return self

    def __exit__(self, *_: object) -> None:
        self.fermer()

    # Writing --------------------------------------------------------------------------------

    def executer(self, commande: Any) -> list[Any]:
        """One command, its own act; retried on a concurrent write (its guards re-run on fresh state)."""
        correlation = uuid.uuid4()
        acte = Acte(
            acteur=commande.acteur,
            role=commande.role,
            raison=commande.raison,
            correlation_id=correlation,
            causation_id=correlation,
        )
        avant = self.registre.borne()
        for tentative in range(1, TENTATIVES + 1):
            chantier = Chantier(self.registre)
            try:
                executer(chantier, commande, acte)
            except RefusMetier as refus:
                chantier.verifier_refus_sans_effet()
                journal.info(
                    "commande.refusee",
                    commande=commande.type,
                    correlation_id=str(correlation),
                    acteur=commande.acteur,
                    code=refus.code,
                    regle=refus.regle,
                    issue="refus",
                )
                raise
            evenements = chantier.recolter()
            try:
                self.registre.enregistrer(evenements)
            except IntegrityError:
                journal.warning(
                    "commande.conflit", commande=commande.type, correlation_id=str(correlation), tentative=tentative
                )
                time.sleep(random.uniform(0, 0.01 * tentative))  # jitter, so racing writers spread out
                continue
            journal.info(
                "commande.appliquee",
                commande=commande.type,
                correlation_id=str(correlation),
                acteur=commande.acteur,
                agregats=sorted({str(e.originator_id) for e in evenements}),
                evenements=len(evenements),
                issue="succes",
            )
            if commandes_qui_scellent([commande.type]):  # ADR 0013: the seal covers the act just written
                sceller_actes(self.registre, self.moteur, depuis=avant, correlation_id=correlation)
            self.rattraper()
            return evenements
        raise RefusMetier("Conflit répété avec d'autres écritures : réessayer", code="CONFLIT")

    def lire_lot(self, chemin: Path, *, acteur: str | None = None, role: str | None = None) -> Lot:
        try:
            contenu = chemin.read_bytes()
        except OSError as e:
            raise Introuvable(f"Fichier illisible : {chemin} ({e.strerror})") from None
        return lire_lot(contenu, acteur=acteur, role=role)

    def appliquer_lot(self, lot: Lot, *, progression: Progression | None = None) -> RapportLot:
        avant = self.registre.borne()
        rapport = appliquer_lot(self.registre, lot, progression=progression)
        if commandes_qui_scellent(ligne.commande.type for ligne in lot.lignes):
            sceller_actes(self.registre, self.moteur, depuis=avant, correlation_id=uuid.UUID(rapport.correlation_id))
        self.rattraper()
        return rapport

    def lire_feuille(
        self,
        chemin: Path | bytes,
        *,
        nom: str | None = None,
        format: str | None = None,
        session: str | None = None,
        acteur: str,
        role: str,
        origine: str = "epreuve_terminale",
        source: str = "import",
    ) -> Feuille:
        """A CSV or XLSX grade sheet as a batch (adapters/lots/formats, ADR 0018): a file, or the bytes a door
        received (then ``nom`` names it in refusals and gives the format by its extension). Size bounded first."""
        if isinstance(chemin, bytes):
            contenu, nom = chemin, nom or "feuille"
            verifier_taille(len(contenu), nom)
        else:
            nom = nom or chemin.name
            try:
                verifier_taille(chemin.stat().st_size, nom)
                contenu = chemin.read_bytes()
            except OSError as e:
                raise Introuvable(f"Fichier illisible : {chemin} ({e.strerror})") from None
        format = format or Path(nom).suffix.lower().lstrip(".")
        return lire_feuille(
            contenu, nom=nom, format=format, session=session, acteur=acteur, role=role, origine=origine,
            source=source,
        )  # fmt: skip

    def appliquer_feuille(self, feuille: Feuille, *, progression: Progression | None = None) -> RapportLot:
        """The same batch path as `bac apply` (all or nothing, exactly once); refusals said by sheet, row, column."""
        try:
            return self.appliquer_lot(feuille.lot, progression=progression)
        except LotRefuse as refus:
            raise localiser(refus, feuille) from None

    # Reading --------------------------------------------------------------------------------

    def candidat(self, session: str, numero: str) -> Candidate:
        return self.registre.candidat(session, numero)

    def historique(self, session: str, numero: str) -> list[EvenementLisible]:
        self.candidat(session, numero)
        return [lisible(e) for e in self.registre.evenements_de(ids.candidat_id(session, numero))]

    def decision(self, session: str, numero: str) -> Explication:
        """The candidate's last decision explained and replayed on its stored inputs (R54, Q9)."""
        return expliquer(self.candidat(session, numero))

    # Auditing (adapters.audit) --------------------------------------------------------------

    def historique_complet(self, session: str, numero: str) -> list[EvenementLisible]:
        """The candidate's events and the jury's and commission's acts that concern them."""
        return audit.historique(self.registre, session, numero)

    def etat_a(
        self, session: str, numero: str, *, date: datetime | None = None, version: int | None = None
    ) -> audit.EtatDate:
        return audit.etat_a(self.registre, session, numero, date=date, version=version)

    def difference(self, session: str, numero: str, t1: datetime, t2: datetime) -> audit.Difference:
        return audit.difference(self.registre, session, numero, t1, t2)

    def expliquer(self, session: str, numero: str) -> Explication:
        """The explanation completed with what only the log knows: when, which jury, what changed, the seal."""
        return audit.expliquer(self.registre, session, numero)

    def verifier(
        self,
        *,
        cles: frozenset[str] = frozenset(),
        ancres: Sequence[Ancre | tuple[int, str]] = (),
        progression: Progression | None = None,
    ) -> Rapport:
        tetes = [a if isinstance(a, Ancre) else Ancre(int(a[0]), str(a[1])) for a in ancres]
        return audit.verifier(self.registre, self.moteur, cles=cles, ancres=tetes, progression=progression)

    def exporter_ancres(self) -> ExportAncres:
        """Every seal's signed tree head and the log's current head, to keep outside (ADR 0013)."""
        rattraper_chaine(self.registre, self.moteur)
        return exporter_ancres(self.registre, self.moteur)

    def coherence(self, m: int, n: int | None = None) -> PreuveCoherence:
        """RFC 6962 consistency proof: the log of ``m`` events is a prefix of the log of ``n``."""
        rattraper_chaine(self.registre, self.moteur)
        return coherence(self.registre, self.moteur, m, n)

    def sceller_en_attente(self, *, acteur: str, raison: str) -> int:
        """Seal the acts a crash left without their seal (explicit and logged, ADR 0013); how many were sealed."""
        if not acteur.strip() or not raison.strip():
            raise RefusMetier("Sceller après coup exige un acteur et une raison", regle="R52", code="RAISON_ABSENTE")
        ecrits = sceller_actes(self.registre, self.moteur, depuis=0, correlation_id=None)
        journal.warning("actes.scelles_apres_coup", acteur=acteur, raison=raison, sceaux=len(ecrits))
        self.rattraper()
        return len(ecrits)

    def rechainer(self, *, acteur: str, raison: str) -> Rapport:
        """The explicit, logged rebuild of the chain over a log that had one (ADR 0013)."""
        return rechainer(self.registre, self.moteur, acteur=acteur, raison=raison)

    def preuve(self, session: str, numero: str) -> DossierPreuves:
        return audit.preuve(self.registre, self.moteur, session, numero)

    def statistiques(self, session: str, *, etape: str = "provisoire", comparer: str | None = None) -> Statistiques:
        """R44–R47, Q10–Q12: the session's published figures, from the statistics projection."""
        with self.moteur.connect() as connexion:
            return statistiques(connexion, session, etape, comparer)

    def etats(self, session: str, *, jury: str | None = None, decision: str | None = None) -> list[dict[str, Any]]:
        """The session's candidates from the read model, optionally those of one jury or with one decision."""
        t = etat_candidats
        requete = select(t).where(t.c.session == session)
        if jury is not None:
            requete = requete.where(t.c.jury == jury)
        if decision is not None:
            requete = requete.where(t.c.decision == decision)
        with self.moteur.connect() as connexion:
            return [dict(r._mapping) for r in connexion.execute(requete.order_by(t.c.numero))]

    # Projections ----------------------------------------------------------------------------

    def rattraper(self) -> int:
        rattraper_chaine(self.registre, self.moteur)
        return rattraper_ensemble(self.registre, self.moteur, PROJECTIONS)  # the log decoded once for all

    def reconstruire(self, *, progression: Progression | None = None) -> int:
        reconstruire_chaine(self.registre, self.moteur)
        source: SourceJournal = self.registre if progression is None else _SourceSuivie(self.registre, progression)
        return sum(reconstruire(source, self.moteur, p) for p in PROJECTIONS)


class _SourceSuivie:
    """The log as the projections read it, telling how far each page went (progress on a terminal)."""

    def __init__(self, source: Registre, progression: Progression) -> None:
        self.source, self.progression = source, progression

    def borne(self) -> int:
        return self.source.borne()

    def notifications(self, *, start: int, limit: int, stop: int, topics: Any, inclusive_of_start: bool) -> Any:
        page = self.source.notifications(
            start=start, limit=limit, stop=stop, topics=topics, inclusive_of_start=inclusive_of_start
        )
        self.progression("projections", page[-1].id if page else stop, stop)
        return page

    def lire(self, notification: Any) -> Any:
        return self.source.lire(notification)

    def lire_resume(self, notification: Any) -> Any:
        return self.source.lire_resume(notification)
