"""A stored `Délibéré` read by its trace's own model (adapters/stockage/lecture_delibere.py, ADR 0002): the very event
`Délibéré.model_validate_json` gives, or its very refusal — on every decision of a jury, premier and second groupe,
and on states rewritten at any place (R54, Q9: a decision reads back as it was decided, or not at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from adapters.application.service import ServiceRegistre
from adapters.stockage.lecture_delibere import CLE_SECOND_GROUPE, JUMEAU_PREMIER, JUMEAU_SECOND, lire_delibere
from domain.evenements import Delibere
from tests.modeles import Copie
from tests.test_integrite import _jury_delibere

SUJET = "domain.candidat:Candidate.Délibéré"


@pytest.fixture
def service(copie_de: Callable[..., Copie]) -> Iterator[ServiceRegistre]:
    """A jury deliberated at the premier groupe, then one of its candidates at the second (tests/modeles.py)."""
    with ServiceRegistre(copie_de("jury_delibere", _jury_delibere).url) as service:
        yield service


def etats_du_jury(service: ServiceRegistre) -> list[bytes]:
    stockes = service.registre.enregistreur.select_notifications(start=1, limit=10_000, topics=[SUJET])
    return [bytes(service.registre.mapper.clair(s.state)) for s in stockes]


def issue(lire: Callable[[bytes], Any], etat: bytes) -> tuple[Any, ...]:
    """What a reading gives: the event (its type, its JSON, its fields set) or the refusal's errors."""
    try:
        lu = lire(etat)
    except ValidationError as e:
        return ("refus", e.errors(include_url=False))
    return ("lu", type(lu), lu.model_dump_json(), frozenset(lu.model_fields_set), lu)


def test_adr0002_chaque_decision_du_jury_est_lue_comme_par_la_validation_de_l_evenement(
    service: ServiceRegistre,
) -> None:
    etats = etats_du_jury(service)
    assert any(CLE_SECOND_GROUPE in e for e in etats) and any(CLE_SECOND_GROUPE not in e for e in etats)
    for etat in etats:
        attendu = issue(Delibere.model_validate_json, etat)
        assert attendu[0] == "lu"
        assert issue(lire_delibere, etat) == attendu
        assert lire_delibere(etat).model_dump_json().encode() == etat  # R54: written back byte for byte


def test_adr0002_le_registre_rejoue_les_candidats_avec_les_memes_decisions(service: ServiceRegistre) -> None:
    stockes = service.registre.enregistreur.select_notifications(start=1, limit=10_000, topics=[SUJET])
    for s in stockes:
        assert service.registre.mapper.to_domain_event(s) == Delibere.model_validate_json(
            service.registre.mapper.clair(s.state)
        )


def test_adr0002_le_jumeau_a_les_champs_de_l_evenement_sauf_la_trace() -> None:
    """A twin laxer than the event on any field would read a state the event refuses: their fields are the same
    `FieldInfo` (type, default, constraints), the configuration the same (frozen, no extra field)."""
    for jumeau in (JUMEAU_PREMIER, JUMEAU_SECOND):
        assert jumeau.model_config == Delibere.model_config
        assert list(jumeau.model_fields) == list(Delibere.model_fields)
        for champ, info in Delibere.model_fields.items():
            if champ != "trace":
                assert repr(jumeau.model_fields[champ]) == repr(info)


def _chemins(valeur: Any, chemin: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield chemin
    if isinstance(valeur, dict):
        for cle, v in valeur.items():
            yield from _chemins(v, (*chemin, cle))
    elif isinstance(valeur, list):
        for i, v in enumerate(valeur):
            yield from _chemins(v, (*chemin, i))


REMPLACANTS = [None, 0, -1, "", "x", "12.5", True, [], {}, {"premier_groupe": {}}, {"substitutions": []}]
ACTIONS = ("remplacer", "supprimer", "ajouter_cle")


def reecrire(donnees: Any, chemin: tuple[Any, ...], action: str, remplacant: Any) -> bytes:
    """The state with one place rewritten: its value replaced, its key deleted, or a ``premier_groupe`` key added
    to the object there (the root included)."""
    parent, dernier = None, None
    cible = donnees
    for pas in chemin:
        parent, dernier, cible = cible, pas, cible[pas]
    if action == "ajouter_cle" and isinstance(cible, dict):
        cible["premier_groupe"] = remplacant
    elif parent is None:
        donnees = remplacant
    elif action == "supprimer" and isinstance(parent, dict):
        del parent[dernier]
    else:
        parent[dernier] = remplacant
    return orjson.dumps(donnees)


def test_q9_chaque_champ_reecrit_est_lu_ou_refuse_comme_par_l_evenement(decisions_du_jury: list[bytes]) -> None:
    """Every field of a premier- and a second-groupe decision and of their traces, rewritten every way: the reading
    agrees with the event's own validation (a twin laxer on any field would read what the event refuses)."""
    premiere = next(e for e in decisions_du_jury if CLE_SECOND_GROUPE not in e)
    seconde = next(e for e in decisions_du_jury if CLE_SECOND_GROUPE in e)
    essais = 0
    for etat in (premiere, seconde):
        for chemin in _chemins(orjson.loads(etat)):
            if len(chemin) > 2:
                continue
            for action in ACTIONS:
                for remplacant in REMPLACANTS:
                    reecrit = reecrire(orjson.loads(etat), chemin, action, remplacant)
                    assert issue(lire_delibere, reecrit) == issue(Delibere.model_validate_json, reecrit), chemin
                    essais += 1
    assert essais > 1000


@settings(max_examples=300, deadline=None)
@given(donnees=st.data())
def test_q9_un_etat_reecrit_n_importe_ou_est_lu_ou_refuse_comme_par_l_evenement(
    decisions_du_jury: list[bytes], donnees: st.DataObject
) -> None:
    """Hypothesis: one place anywhere in a decision rewritten (a value, a key dropped, a misleading key added): the
    same event as the event's own validation gives, or the same errors."""
    etat = donnees.draw(st.sampled_from(decisions_du_jury))
    chemin = donnees.draw(st.sampled_from(list(_chemins(orjson.loads(etat)))))
    action = donnees.draw(st.sampled_from(ACTIONS))
    remplacant = donnees.draw(st.sampled_from(REMPLACANTS))
    reecrit = reecrire(orjson.loads(etat), chemin, action, remplacant)
    assert issue(lire_delibere, reecrit) == issue(Delibere.model_validate_json, reecrit)


@pytest.fixture(scope="module")
def decisions_du_jury(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    url = f"sqlite:///{tmp_path_factory.mktemp('jury') / 'registre.db'}"
    _jury_delibere(url, tmp_path_factory.mktemp("dossier"))
    with ServiceRegistre(url) as service:
        return etats_du_jury(service)


def test_q9_une_decision_reecrite_est_refusee_par_le_registre_avec_sa_raison(service: ServiceRegistre) -> None:
    """A second-groupe decision whose premier-groupe part was cut out: refused as unreadable, naming the field only
    a second-groupe trace has, as before this reading."""
    stocke = next(
        s
        for s in service.registre.enregistreur.select_notifications(start=1, limit=10_000, topics=[SUJET])
        if CLE_SECOND_GROUPE in bytes(s.state)
    )
    donnees = orjson.loads(stocke.state)
    del donnees["trace"]["premier_groupe"]
    reecrit = StoredEvent(stocke.originator_id, stocke.originator_version, stocke.topic, orjson.dumps(donnees))
    with pytest.raises(MapperDeserialisationError, match="substitutions"):
        service.registre.mapper.to_domain_event(reecrit)
