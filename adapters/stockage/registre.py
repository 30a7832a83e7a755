"""The registry application: the event store of one database, with our pydantic mapper (ADR 0002, 0003)."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import structlog
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, ProcessRecorder, Tracking
from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine

from adapters.stockage import chargement
from adapters.stockage.cles import Coffre, SourceCles
from adapters.stockage.codec import MappeurPydantic, TranscodeurInutile
from adapters.stockage.commandes import SuiviCommandes
from adapters.stockage.configuration import Stockage, stockage_depuis_url
from adapters.stockage.ecriture import Ecrit, Greffon, Suivant
from domain import ids
from domain.calcul import Resultat
from domain.candidat import Candidate
from domain.errors import Introuvable
from domain.evenements import Delibere, IdentiteEffaceeEvenement
from domain.modele import Agregat

journal = structlog.get_logger("bac.stockage")

MEMOIRE_AGREGATS = 200_000  # aggregates kept between acts of one process (≈ a national jury day per académie)


def projeter(agregat: Any, evenements: Iterable[Any]) -> Any:
    """The library's projector without its per-event runtime Protocol check (40 % of a replay, measured)."""
    for evenement in evenements:
        agregat = evenement.mutate(agregat)
    return agregat


class Registre(Application[UUID]):
    """One log for every aggregate of every session (a database holds one registry)."""

    name = "Registre"

    def __init__(self, stockage: Stockage) -> None:
        self.stockage = stockage
        # The read models' engine (same database), set by the service: seals need the hash chain (ADR 0008).
        self.moteur_sql: Engine | None = None
        # Aggregates already replayed in this process, reused only while their version is the stored one.
        self.memoire: OrderedDict[UUID, Agregat] = OrderedDict()
        # The candidates' identity keys (ADR 0023): the mapper encrypts with them, the recorder stores them.
        self.coffre = Coffre()
        self._ecriture = threading.Lock()  # a write's new keys are its own, even beside another thread's write
        # Set by the service (ADR 0025): work done in each write's transaction (the hash chain), then after its
        # commit with the events still in memory (the read models).
        self.greffons: list[Greffon] = []
        self.suivants: list[Suivant] = []
        # Run before each write (ADR 0025): the read models catch up what the last write's fold left to the pull.
        self.preparatifs: list[Callable[[], None]] = []
        super().__init__(env=stockage.env_evenements)
        self.coffre.source = cast(SourceCles, self.recorder)

    @classmethod
    def ouvrir(cls, url: str | None = None) -> Registre:
        return cls(stockage_depuis_url(url))

    @property
    def mappeur(self) -> MappeurPydantic:
        """The mapper with its own methods (the library types it as any mapper)."""
        return cast(MappeurPydantic, self.mapper)

    def construct_mapper(self) -> Mapper[UUID]:
        mappeur = MappeurPydantic(
            transcoder=TranscodeurInutile(),  # type: ignore[arg-type]
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )
        mappeur.coffre = self.coffre
        return mappeur

    def construct_recorder(self) -> ProcessRecorder:
        # A process recorder, so a batch's position can be tracked atomically with its events.
        return self.factory.process_recorder()

    @property
    def enregistreur(self) -> ProcessRecorder:
        assert isinstance(self.recorder, ProcessRecorder)
        return self.recorder

    def enregistrer(
        self, evenements: Sequence[Any], suivi: Tracking | None = None, commandes: Sequence[str] = ()
    ) -> Ecrit:
        """Append events in one transaction, with the ids of the commands they apply (ADR 0015); a stale
        aggregate version or a command id already applied rejects the whole transaction. The candidates' new
        identity keys are written, and the keys of the identities erased here deleted, in it too (ADR 0023), and
        the greffons run in it last (ADR 0025). Returns where the events went in the log."""
        ecrit = Ecrit()
        for preparatif in self.preparatifs:
            try:
                preparatif()
            except Exception as erreur:  # nothing of this write depends on it: the next read catches up
                journal.warning("ecriture.preparatif_en_echec", erreur=type(erreur).__name__)
        with self._ecriture:
            stockes = [self.mapper.to_stored_event(e) for e in evenements]
            nouvelles = self.coffre.prendre_nouvelles()
            detruites = sorted({e.originator_id.hex for e in evenements if isinstance(e, IdentiteEffaceeEvenement)})
            # A store of its own in memory has no SQL transaction to share: it only tells the positions.
            greffons = self.greffons if hasattr(self.recorder, "dialecte") else []
            try:
                positions = self.recorder.insert_events(
                    stockes, tracking=suivi, commandes=tuple(commandes), cles_nouvelles=nouvelles,
                    cles_detruites=detruites, ecrit=ecrit, greffons=greffons,
                )  # fmt: skip
            except BaseException:
                self.coffre.apres_ecriture(nouvelles, (), reussie=False)
                raise
            self.coffre.apres_ecriture(nouvelles, detruites, reussie=True)
            if not ecrit.positions and positions:  # the in-memory store: positions are consecutive
                ecrit.positions, ecrit.precedent = list(positions), int(positions[0]) - 1
            if ecrit.positions:
                for suivant in self.suivants:
                    try:
                        suivant(ecrit, evenements)
                    except Exception as erreur:  # committed already: what follows is caught up on the next read
                        journal.warning("ecriture.suivant_en_echec", erreur=type(erreur).__name__)
        if detruites:
            # No copy of a destroyed key left in the write-ahead log (SQLite) or in a dead row (PostgreSQL); the
            # erasure is committed already, so a purge that cannot run now (a reader, no VACUUM right) is only said.
            try:
                purge = self.recorder.purger_apres_effacement()  # type: ignore[attr-defined]
            except Exception as erreur:  # any failure of the purge leaves the erasure valid
                purge = False
                journal.warning("cles.purge_en_echec", erreur=type(erreur).__name__)
            if not purge:
                journal.warning("cles.purge_differee", cles=len(detruites))
        return ecrit

    def commandes_appliquees(self, commandes: Sequence[str]) -> set[str]:
        """Which of these command ids are already applied: looked up in bulk."""
        if not commandes:
            return set()
        return cast(SuiviCommandes, self.recorder).commandes_appliquees(commandes)

    def charger(self, agregat_id: UUID) -> Agregat:
        """The aggregate at its stored version: from memory when the store has nothing newer (one indexed
        query instead of a replay), else replayed. A unit of work that failed left its aggregates ahead of
        the store, another writer left them behind or at the same version after a conflict: the version and
        the timestamp of the last stored event then differ, and it is replayed."""
        garde = self.memoire.get(agregat_id)
        if garde is not None:
            derniers = self.recorder.select_events(agregat_id, desc=True, limit=1)
            if derniers and self._meme_dernier_evenement(derniers[0], garde):
                self.memoire.move_to_end(agregat_id)
                return garde
            del self.memoire[agregat_id]
        agregat: Agregat = self.repository.get(agregat_id, projector_func=projeter)
        self.memoriser(agregat)
        return agregat

    def charger_plusieurs(self, agregat_ids: Sequence[UUID]) -> dict[UUID, Agregat]:
        """`charger` for many aggregates at once (adapters/stockage/chargement.py): those kept in memory checked
        against their last stored event in one query per 500, the others replayed from one query per 500. An
        aggregate without events is left out."""
        ids = list(dict.fromkeys(agregat_ids))
        if self.stockage.moteur == "memoire":
            trouves = {}
            for i in ids:
                with contextlib.suppress(AggregateNotFoundError):
                    trouves[i] = self.charger(i)
            return trouves
        gardes = [i for i in ids if i in self.memoire]
        resultat: dict[UUID, Agregat] = {}
        for i, a_jour in self._gardes_a_jour(gardes).items():
            garde = self.memoire[i]
            if a_jour:
                self.memoire.move_to_end(i)
                resultat[i] = garde
            else:
                del self.memoire[i]
        a_rejouer = [i for i in ids if i not in resultat]
        for i, stockes in chargement.tous_les_evenements(self, a_rejouer).items():
            agregat = projeter(None, (self.mapper.to_domain_event(s) for s in stockes))
            self.memoriser(agregat)
            resultat[i] = agregat
        return resultat

    def _gardes_a_jour(self, gardes: Sequence[UUID]) -> dict[UUID, bool]:
        """For each kept aggregate, whether its last stored event is the one it knows (`charger`'s rule)."""
        if self.mapper.cipher or self.mapper.compressor:  # the timestamp is only in the decoded state
            derniers = chargement.derniers_evenements(self, gardes)
            horodatages = {i: (d.originator_version, self._horodatage(d.state)) for i, d in derniers.items()}
        else:
            horodatages = chargement.derniers_horodatages(self, gardes)
        return {i: (i in horodatages and _meme_evenement(*horodatages[i], self.memoire[i])) for i in gardes}

    def _meme_dernier_evenement(self, stocke: Any, agregat: Agregat) -> bool:
        return _meme_evenement(stocke.originator_version, self._horodatage(stocke.state), agregat)

    def _horodatage(self, etat: bytes) -> str | None:
        """The timestamp of a stored state as the mapper stores it, or None when it cannot be read."""
        try:
            etat = self.mappeur.clair(etat)
        except Exception:  # unreadable: not the event it knows; the replay refuses it, with its reason
            return None
        return chargement.horodatage_json(etat)

    def memoriser(self, agregat: Agregat) -> None:
        self.memoire[agregat.id] = agregat
        self.memoire.move_to_end(agregat.id)
        while len(self.memoire) > MEMOIRE_AGREGATS:
            self.memoire.popitem(last=False)

    def position_suivie(self, nom: str) -> int:
        return self.enregistreur.max_tracking_id(nom) or 0

    def evenements_de(self, agregat_id: UUID) -> Iterator[Agregat.Event]:
        return iter(self.events.get(agregat_id))  # type: ignore[arg-type]

    def candidat(self, session: str, numero: str) -> Candidate:
        """A candidate by natural key (R36), or a clear refusal naming them."""
        try:
            agregat: Any = self.repository.get(ids.candidat_id(session, numero))
        except AggregateNotFoundError:
            raise _inconnu(session, numero) from None
        assert isinstance(agregat, Candidate)
        return agregat

    def evenements_du_candidat(self, session: str, numero: str) -> list[Agregat.Event]:
        """A candidate's events, read once, or the same refusal as `candidat`: a history needs no aggregate, and
        replaying one first read the same rows twice (on PostgreSQL, a cached aggregate's check is one more round
        trip)."""
        evenements = list(self.evenements_de(ids.candidat_id(session, numero)))
        if not evenements:
            raise _inconnu(session, numero)
        return evenements

    # The projections' source of notifications (projections.source.SourceJournal) -------------

    def borne(self) -> int:
        return self.enregistreur.max_notification_id() or 0

    def notifications(
        self, *, start: int, limit: int, stop: int, topics: Sequence[str], inclusive_of_start: bool
    ) -> Sequence[Any]:
        return self.enregistreur.select_notifications(
            start=start, limit=limit, stop=stop, topics=topics, inclusive_of_start=inclusive_of_start
        )

    def lire(self, notification: Any) -> Any:
        return self.mapper.to_domain_event(notification)

    def lire_resume(self, notification: Any) -> Any:
        return _lire_resume(self, notification)

    def close(self) -> None:
        super().close()


def _meme_evenement(version: int, horodatage: str | None, agregat: Agregat) -> bool:
    """The stored last event is the one the kept aggregate knows: same version, same timestamp. Unreadable, it
    is not (the replay then says what the row is)."""
    if version != agregat.version or horodatage is None:
        return False
    try:
        return datetime.fromisoformat(horodatage) == agregat.modified_on
    except ValueError:
        return False


class _ResumeDelibere(BaseModel):
    """The fields of a `Délibéré` the read models use; its trace (≈ 90 % of the payload) is not rebuilt."""

    model_config = ConfigDict(extra="ignore")
    originator_id: UUID
    originator_version: int
    timestamp: datetime
    groupe: int
    decision: Resultat
    mention: str | None
    certificat: str | None
    jury: str
    president: str
    reglement_version: str
    moyenne: Decimal
    total_points: Decimal
    total_coefficients: Decimal


SUJET_DELIBERE = get_topic(Delibere)


def _lire_resume(registre: Registre, notification: Any) -> Any:
    """The event of a notification; a `Délibéré` without its trace, measured 10× faster to decode
    (still a `Délibéré`: built by ``model_construct`` from validated fields, the trace left out)."""
    if notification.topic != SUJET_DELIBERE:
        return registre.mapper.to_domain_event(notification)
    etat = notification.state
    if registre.mapper.cipher:
        etat = registre.mapper.cipher.decrypt(etat)
    if registre.mapper.compressor:
        etat = registre.mapper.compressor.decompress(etat)
    return Delibere.model_construct(**dict(_ResumeDelibere.model_validate_json(etat)))


def _inconnu(session: str, numero: str) -> Introuvable:
    return Introuvable(f"Candidat inconnu : n° {numero} dans la session {session}")
