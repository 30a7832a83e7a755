"""The registry as its users see it: one object per database, one method per thing they can do."""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import Engine, inspect

from adapters.application import acces, habilitations, publication, vues
from adapters.application import retention as conservation
from adapters.application.acces import ArchiveAcces
from adapters.application.authentification import JetonNeuf, Principal, Verificateur
from adapters.application.entrees import code_session
from adapters.application.journal import exporter as exporter_journal
from adapters.audit import historique as audit
from adapters.audit.explication import Explication, expliquer
from adapters.audit.lisible import EvenementLisible, lisible
from adapters.audit.preuves.ancres import Ancre, ExportAncres, PreuveCoherence, coherence, exporter_ancres
from adapters.audit.preuves.chainage import chainer_en_ecriture
from adapters.audit.preuves.chaine import rattraper_chaine
from adapters.audit.preuves.inclusion import DossierPreuves
from adapters.audit.preuves.reconstruction import rechainer, reconstruire_chaine
from adapters.audit.preuves.sceau import commandes_qui_scellent, sceller_actes
from adapters.audit.preuves.verification import Rapport
from adapters.lots.executeur import executer
from adapters.lots.formats import Feuille, lire_feuille, localiser, verifier_taille
from adapters.lots.lecture import identifiant
from adapters.lots.lot import Lot, LotRefuse, Progression, RapportLot, appliquer_lot, lire_lot
from adapters.publication.resultats import ListeResultats
from adapters.stockage.chantier import Chantier
from adapters.stockage.configuration import stockage_depuis_url
from adapters.stockage.demarrage import demarrage_exclusif
from adapters.stockage.registre import Registre
from domain.candidat import Candidate
from domain.errors import Introuvable, RefusMetier
from domain.habilitation import AccorderHabilitation, PorteeLecture, RetirerHabilitation
from projections.runner import creer_tables
from projections.statistiques import Statistiques, statistiques

journal = structlog.get_logger("bac.services")

PROJECTIONS = vues.PROJECTIONS  # the read models every catch-up folds, in one order
TENTATIVES = 10  # concurrent writers on one aggregate: re-run the guards on fresh state


class ServiceRegistre:
    def __init__(self, url: str | None = None) -> None:
        stockage = stockage_depuis_url(url)
        self.moteur: Engine = stockage.creer_moteur_sql()
        # Create the log's tables only when missing: the library re-runs its DDL on every start
        # otherwise, and concurrent DDL on PostgreSQL fails ("tuple concurrently updated"). Processes starting
        # together on a new log: one creates, the others wait for it (adapters/stockage/demarrage.py).
        with demarrage_exclusif(stockage, self.moteur):
            if stockage.moteur != "memoire" and inspect(self.moteur).has_table(stockage.table_evenements):
                stockage = stockage.sans_creation_de_tables()
            self.registre = Registre(stockage)
            self.registre.moteur_sql = self.moteur
            creer_tables(self.moteur)
        # One pass (ADR 0025): each write chains its own rows in its transaction, then folds its events into the
        # views; the pulled catch-ups stay for what another process wrote and for rebuilds.
        if stockage.moteur != "memoire":  # an in-memory log shares no SQL transaction with the chain's tables
            self.registre.greffons.append(chainer_en_ecriture)
        vues.suivre_ecritures(self.registre, self.moteur)
        self.verificateur = Verificateur()
        self._listes: dict[tuple[str, str, int], ListeResultats] = {}  # by log head: any new event renews them

    def fermer(self) -> None:
        self.registre.close()
        self.moteur.dispose()

    def __enter__(self) -> ServiceRegistre:
        return self

    def __exit__(self, *_: object) -> None:
        self.fermer()

    # Writing --------------------------------------------------------------------------------

    # Who is asking (adapters/application/habilitations.py, ADR 0017) ------------------------

    def authentifier(self, jeton: str | None) -> Principal:
        """The actor a token proves, or `NonAuthentifie` (401): every write of every door starts here."""
        return self.verificateur.verifier(
            jeton, lambda acteur: habilitations.habilitation_de(self.registre, acteur), habilitations.maintenant()
        )

    def initialiser(self) -> JetonNeuf | None:
        """The registry's first administrator and its token, shown once; ``None`` if it already has one."""
        return habilitations.fonder(self.registre)

    def accorder(self, demande: AccorderHabilitation, principal: Principal) -> tuple[int, JetonNeuf | None]:
        return habilitations.accorder(self.registre, demande, principal)

    def retirer(self, demande: RetirerHabilitation, principal: Principal) -> None:
        habilitations.retirer(self.registre, demande, principal)

    def qui(self, principal: Principal) -> dict[str, Any]:
        """The caller and the habilitations active now (what `GET /moi` answers)."""
        habilitation = habilitations.habilitation_de(self.registre, principal.acteur)
        actifs = habilitation.actifs(habilitations.maintenant()) if habilitation else []
        return {"acteur": principal.acteur, "habilitations": [d.model_dump(mode="json") for d in actifs]}

    def lecteur(self, principal: Principal) -> PorteeLecture:
        """What the caller may read now: his reading role and académies (the pages' scope, R26, R36)."""
        return habilitations.lecteur_de(self.registre, principal)

    def autoriser_lecture(self, principal: Principal, session: str) -> None:
        """Refused (403) unless the caller's habilitations let him read this session's candidates (R26, R36)."""
        self.lecteur(principal).verifier(session)

    def cle_du_president(self, president: str, session: str, jury: str, instant: datetime) -> str | None:
        """The Ed25519 public key (hex) the president's habilitation registered for this jury at that moment."""
        return habilitations.cle_du_president(self.registre, president, session, jury, instant)

    # Writing --------------------------------------------------------------------------------

    def executer(self, commande: Any, principal: Principal, *, cle_idempotence: str | None = None) -> list[Any]:
        """One command, its own act, done as ``principal`` under the habilitation covering it now; retried on a
        concurrent write (its guards re-run on fresh state). With ``cle_idempotence``, a retried request is
        recorded once: the key is tracked in the same transaction as the events (answered [] after that)."""
        # Its identity as a batch line would have it (ADR 0015): the actor is the principal's.
        commande_id = identifiant(
            commande if commande.acteur else commande.model_copy(update={"acteur": principal.acteur})
        )
        correlation = uuid.uuid4()
        suivi = _suivi_idempotence(principal, cle_idempotence, commande) if cle_idempotence else None
        avant = self.registre.borne()
        for tentative in range(1, TENTATIVES + 1):
            if suivi is not None and self._deja_applique(suivi):
                return []
            chantier = Chantier(self.registre)
            try:
                acte = habilitations.acte_pour(chantier, commande, principal, correlation)
                executer(chantier, commande, acte)
            except RefusMetier as refus:
                chantier.verifier_refus_sans_effet()
                journal.info(
                    "commande.refusee",
                    commande=commande.type,
                    correlation_id=str(correlation),
                    acteur=principal.acteur,
                    code=refus.code,
                    regle=refus.regle,
                    issue="refus",
                )
                raise
            evenements = chantier.recolter()
            # The rules speak first (a repeated grade is "déjà saisie"); what they would accept again is
            # still applied only once.
            if self.registre.commandes_appliquees([commande_id]):
                journal.info("commande.deja_appliquee", commande=commande.type, commande_id=commande_id)
                return []
            try:
                self.registre.enregistrer(evenements, suivi, commandes=[commande_id])
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
                acteur=principal.acteur,
                role=acte.role,
                agregats=sorted({str(e.originator_id) for e in evenements}),
                evenements=len(evenements),
                issue="succes",
            )
            if commandes_qui_scellent([commande.type]):  # ADR 0013: the seal covers the act just written
                sceller_actes(self.registre, self.moteur, depuis=avant, correlation_id=correlation)
            self.rattraper()
            return evenements
        raise RefusMetier("Conflit répété avec d'autres écritures : réessayer", code="CONFLIT")

    def _deja_applique(self, suivi: Tracking) -> bool:
        deja = self.registre.position_suivie(suivi.application_name)
        if deja and deja != suivi.notification_id:
            raise RefusMetier(
                "Cette clé d'idempotence a déjà servi pour une autre commande : une clé par commande",
                code="CLE_IDEMPOTENCE_REUTILISEE",
            )
        return bool(deja)

    def lire_lot(self, chemin: Path, principal: Principal) -> Lot:
        """A regular file of bounded size, read as a stream (a FIFO or a device is refused, ADR 0015); each line
        the principal's."""
        return lire_lot(chemin, acteur=principal.acteur)

    def lire_contenu(self, contenu: bytes, principal: Principal) -> Lot:
        """A batch's lines, each the principal's (lines may leave out ``acteur``; a role is chosen per line)."""
        return lire_lot(contenu, acteur=principal.acteur)

    def appliquer_lot(self, lot: Lot, principal: Principal, *, progression: Progression | None = None) -> RapportLot:
        """All or nothing, each line exactly once (ADR 0004), every line done as ``principal`` (ADR 0017)."""
        lot = habilitations.habiliter_lot(self.registre, lot, principal)
        rapport = appliquer_et_sceller(self.registre, self.moteur, lot, progression=progression)
        self.rattraper()
        return rapport

    def lire_feuille(
        self,
        chemin: Path | bytes,
        principal: Principal,
        *,
        nom: str | None = None,
        format: str | None = None,
        session: str | None = None,
        role: str | None = None,
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
        # The sheet's grades are the principal's acts, in the role his habilitations give grade entry (ADR 0017).
        role = role or habilitations.role_de_saisie(self.registre, principal)
        return lire_feuille(
            contenu, nom=nom, format=format, session=session, acteur=principal.acteur, role=role, origine=origine,
            source=source,
        )  # fmt: skip

    def appliquer_feuille(
        self, feuille: Feuille, principal: Principal, *, progression: Progression | None = None
    ) -> RapportLot:
        """The same batch path as `bac apply` (all or nothing, exactly once); refusals said by sheet, row, column."""
        try:
            return self.appliquer_lot(feuille.lot, principal, progression=progression)
        except LotRefuse as refus:
            raise localiser(refus, feuille) from None

    def retention(
        self, principal: Principal, *, aujourd_hui: date, regle: str, appliquer: bool = False
    ) -> conservation.RapportRetention:
        """R56 (ADR 0023): the candidates past the retention period; with ``appliquer``, each erased as its own act."""
        duree = conservation.duree(regle)
        rapport = conservation.RapportRetention(
            regle=duree.code, donnee=duree.donnee, mois=duree.mois, confirme=duree.confirme, source=duree.source,
            date=aujourd_hui.isoformat(), echues=conservation.echues(self, duree, aujourd_hui), appliquer=appliquer,
        )  # fmt: skip
        if appliquer:
            for ligne in rapport.echues:
                rapport.effaces += bool(self.executer(conservation.commande_effacement(ligne, duree), principal))
        return rapport

    # Reading --------------------------------------------------------------------------------

    def candidat(self, session: str, numero: str) -> Candidate:
        return self.registre.candidat(session, numero)

    def historique(self, session: str, numero: str) -> list[EvenementLisible]:
        return [lisible(e) for e in self.registre.evenements_du_candidat(session, numero)]

    def decision(self, session: str, numero: str) -> Explication:
        """The candidate's last decision explained and replayed on its stored inputs (R54, Q9)."""
        return expliquer(self.candidat(session, numero))

    # Personal data: the published lists (R57) and the right of access (R55), ADR 0024 -------

    def liste_publique(self, session: str, etape: str = "provisoire") -> ListeResultats:
        """R57: what anyone may read, without a credential — the consenting admitted candidates, names only.
        Kept until the log moves (the public page's searches would otherwise replay every admitted candidate)."""
        cle = (code_session(session), publication.verifier_etape(etape), self.registre.borne())
        if cle not in self._listes:
            if len(self._listes) >= 8:
                self._listes.clear()
            self._listes[cle] = publication.liste(self.registre, self.moteur, session, etape)
        return self._listes[cle]

    def publication(self, session: str, etape: str, principal: Principal, *, format: str = "csv") -> ListeResultats:
        """The same list as the exam office transmits it (CSV, PDF), recorded as `ListePubliée` (R57)."""
        role = publication.role_publiant(self.registre, principal, code_session(session))
        liste = self.liste_publique(session, etape)
        publication.enregistrer_publication(self.registre, liste, format, principal, role)
        self.rattraper()
        return liste

    def acces(self, session: str, numero: str, principal: Principal) -> ArchiveAcces:
        """R55: everything the registry holds about one candidate, for the service des examens of his académie."""
        return acces.archive(self, code_session(session), numero, principal)

    # Auditing (adapters.audit) --------------------------------------------------------------

    def historique_complet(
        self, session: str, numero: str, *, jusqua: datetime | None = None
    ) -> list[EvenementLisible]:
        """The candidate's events and the jury's and commission's acts that concern them (up to ``jusqua``)."""
        evenements = audit.historique(self.registre, session, numero)
        if jusqua is None:
            return evenements
        return [e for e in evenements if datetime.fromisoformat(e.horodatage) <= jusqua]

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
        session, comparer = code_session(session), code_session(comparer) if comparer else None
        vues.a_jour(self.registre, self.moteur)
        with self.moteur.connect() as connexion:
            return statistiques(connexion, session, etape, comparer)

    def etats(self, session: str, *, jury: str | None = None, decision: str | None = None) -> list[dict[str, Any]]:
        """The session's candidates from the read model, optionally those of one jury or with one decision."""
        return vues.etats(self.registre, self.moteur, session, jury, decision)

    def sessions(self, academies: frozenset[str] | None = None) -> list[tuple[str, int]]:
        """The sessions of the read model and their number of candidates, within ``academies`` if given."""
        return vues.sessions(self.registre, self.moteur, academies)

    def journal(self, depuis: int = 0, limite: int = 10_000) -> list[dict[str, Any]]:
        """The log after position ``depuis``: position, topic, stored bytes' SHA-256, leaf and chain hashes."""
        return list(exporter_journal(self.registre, self.moteur, depuis, limite))

    # Projections ----------------------------------------------------------------------------

    def rattraper(self) -> int:
        rattraper_chaine(self.registre, self.moteur)
        return vues.a_jour(self.registre, self.moteur)

    def reconstruire(self, *, progression: Progression | None = None) -> int:
        reconstruire_chaine(self.registre, self.moteur)
        return vues.reconstruire_vues(self.registre, self.moteur, progression)


def appliquer_et_sceller(
    registre: Registre, moteur: Engine, lot: Lot, *, progression: Progression | None = None, **options: Any
) -> RapportLot:
    """`appliquer_lot`, then the seal of each act the batch wrote (ADR 0013): the service's path below its
    habilitations and catch-ups, which the benchmarks also take."""
    avant = registre.borne()
    rapport = appliquer_lot(registre, lot, progression=progression, **options)
    if commandes_qui_scellent(rapport.types):
        sceller_actes(registre, moteur, depuis=avant, correlation_id=uuid.UUID(rapport.correlation_id))
    return rapport


def _suivi_idempotence(principal: Principal, cle: str, commande: Any) -> Tracking:
    """Key and body bound together: the key names the tracking row, the body's hash is its position."""
    nom = "idem-" + hashlib.sha256(f"{principal.acteur}\0{cle}".encode()).hexdigest()[:40]
    corps = hashlib.sha256(commande.model_dump_json(exclude={"acteur", "role"}).encode()).hexdigest()
    return Tracking(nom, 1 + int(corps[:13], 16))
