"""`bac verifier` opens every encrypted identity with its key during its walk, in whichever process walks the
stretch that holds it (ADR 0023, 0028; issue 14): a rewritten key row is reported where it is, whatever the
pages, the stretches and the processes, and an erased identity (R56) is counted, not reported."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves import troncons
from adapters.audit.preuves.identites import SUJETS, ouvrir
from adapters.audit.preuves.verification import verifier_journal
from adapters.stockage.cles import CleInvalide
from adapters.stockage.codec import PERSONNELS
from adapters.stockage.lecture_journal import rangees_du_journal
from adapters.stockage.registre import Registre
from domain import ids
from domain.evenements import Inscrit
from tests.scenario import SESSION, Scenario, inscrire
from tests.test_donnees_personnelles import effacer, identite, session_deliberee
from tests.test_donnees_personnelles_stockage import reecrire_cle

AUTRES = [f"{i:08d}" for i in range(10, 22)]


def _sans_duree(rapport: Any) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(rapport).items() if k != "secondes"}


def test_adr0023_cle_reecrite_trouvee_par_chaque_troncon_et_chaque_processus(
    url_persistante: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a deliberated session whose identities are encrypted, one of them erased (R56), a dozen candidates
    inscribed after it and one key row rewritten, when the log is verified in one walk, a page at a time, in
    stretches here and in two forked workers, then each report names the same two identity events (the Inscrit
    and the yearly index) as `cle_invalide`, counts the erased identity, and is otherwise the same."""
    s = Scenario(url_persistante)
    try:
        session_deliberee(s)
        s.executer(effacer())
        s.etant_donne(*(inscrire(n, identite=identite(n)) for n in AUTRES))
    finally:
        s.fermer()
    reecrire_cle(url_persistante, "00000003")
    with ServiceRegistre(url_persistante) as service:
        registre, moteur = service.registre, service.moteur
        reference = verifier_journal(registre, moteur, processus=1, identites=True)
        assert not reference.valide
        inscrits = registre.notifications(
            start=0, limit=10_000, stop=registre.borne(), topics=(get_topic(Inscrit),), inclusive_of_start=False
        )
        inscrit = next(n.id for n in inscrits if n.originator_id == ids.candidat_id(SESSION, "00000003"))
        invalides = [d for d in reference.defauts if d.nature == "cle_invalide"]
        assert len(invalides) == 2 and inscrit in {d.position for d in invalides}
        assert all("Clé invalide" in d.message for d in invalides)
        assert any("identité(s) effacée(s) (R56)" in r for r in reference.remarques)
        sans_identites = verifier_journal(registre, moteur, processus=1)
        assert sans_identites.valide  # the chain itself is intact: the finding is the key's alone
        attendu = _sans_duree(reference)
        for page, bloc, troncon in ((1, 4, 16), (7, 8, 8), (100_000, 2, 64)):
            rapport = verifier_journal(registre, moteur, processus=1, page=page, bloc=bloc, troncon=troncon,
                                       identites=True)  # fmt: skip
            assert _sans_duree(rapport) == attendu, (page, bloc, troncon)

        monkeypatch.setattr(troncons, "_contexte", lambda: multiprocessing.get_context("fork"))
        ici, parcourir = os.getpid(), troncons.parcourir

        def ailleurs_seulement(*args: Any, **kwargs: Any) -> Any:  # a forked worker inherits this patch
            assert os.getpid() != ici, "tronçon parcouru dans le processus appelant"
            return parcourir(*args, **kwargs)

        monkeypatch.setattr(troncons, "parcourir", ailleurs_seulement)  # the workers open the keys themselves
        rapport = verifier_journal(registre, moteur, processus=2, bloc=4, troncon=16, page=5, identites=True)
        assert _sans_duree(rapport) == attendu


def _comme_une_lecture(registre: Registre, ligne: Any) -> tuple[str | None, bool] | None:
    """What the read's whole decoding says of an identity-bearing row (the walk's answer before issue 14)."""
    _, ident, version, sujet, etat = ligne
    stocke = StoredEvent(originator_id=UUID(ident) if isinstance(ident, str) else ident,
                         originator_version=version, topic=sujet, state=bytes(etat))  # fmt: skip
    try:
        evenement = registre.mapper.to_domain_event(stocke)
    except CleInvalide as erreur:
        return erreur.message, False
    except MapperDeserialisationError:
        return None
    return None, bool(getattr(getattr(evenement, PERSONNELS[sujet].champ, None), "effacee", False))


def test_adr0023_le_parcours_ouvre_chaque_identite_comme_une_lecture(url_persistante: str) -> None:
    """Given a deliberated session with one identity erased (R56) and one key row rewritten, when the walk opens
    every identity-bearing row by its field alone, then its answer is the read's whole decoding's, row for row:
    the rewritten key's message, the erased identity, the clear ones; and a row that is not an event's JSON (bytes
    that are not JSON, a JSON list) is left to the hashes, as the read refuses it."""
    s = Scenario(url_persistante)
    try:
        session_deliberee(s)
        s.executer(effacer())
    finally:
        s.fermer()
    reecrire_cle(url_persistante, "00000003")
    with ServiceRegistre(url_persistante) as service:
        registre = service.registre
        lignes = [ligne for ligne in rangees_du_journal(registre, 0, registre.borne(), 100_000) if ligne[3] in SUJETS]
        vus = [ouvrir(registre, ligne) for ligne in lignes]
        assert vus == [_comme_une_lecture(registre, ligne) for ligne in lignes]
        assert sum(v is not None and v[0] is not None for v in vus) == 2  # the Inscrit and the yearly index
        assert sum(v is not None and v[1] for v in vus) == 1  # the erased identity
        for abime in (b"\x00pas du json{", b"[1, 2]"):
            ligne = (*lignes[0][:4], abime)
            assert ouvrir(registre, ligne) is None and _comme_une_lecture(registre, ligne) is None
