"""Exactly once by command identity (ADR 0015): the same command, however spelled and in whatever file, once.

Issue 9, point 5: the same `attribuer_points_jury` line applied as is, with a trailing blank line, with CRLF
and with a leading space gave 4 events and 12 points instead of 3. Point 6: lines split on U+2028 & co.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import orjson
import pytest
from eventsourcing.persistence import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.application.service import ServiceRegistre
from adapters.lots.lecture import LIMITE_LIGNE_OCTETS
from adapters.lots.lot import LotRefuse, appliquer_lot, lire_lot
from tests.scenario import (
    ACTEUR,
    PAR_LE_PRESIDENT,
    affecter,
    constituer_jury,
    executer_comme,
    inscrire,
    note,
    notes_completes,
    ouvrir,
)

S2026 = "2026-aix-marseille"
UN = "00000001"
POINTS = {
    "type": "attribuer_points_jury",
    "session": S2026,
    "numero": UN,
    "jury": "J1",
    "points": "3",
    "raison": "écart avec le livret scolaire",
    **PAR_LE_PRESIDENT,
}


def jsonl(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


def taille(service: ServiceRegistre) -> int:
    return service.registre.enregistreur.max_notification_id() or 0


def session_2026(service: ServiceRegistre) -> None:
    appliquer_lot(
        service.registre,
        lire_lot(
            jsonl(
                ouvrir(S2026),
                inscrire(UN, session=S2026),
                constituer_jury(session=S2026),
                affecter(UN, session=S2026),
                *notes_completes(UN, session=S2026, base=10, PHILO=5),
            )
        ),
    )


@pytest.fixture
def service() -> ServiceRegistre:
    s = ServiceRegistre("memoire://")
    session_2026(s)
    return s


def test_points_de_jury_reformates_appliques_une_seule_fois(service: ServiceRegistre) -> None:
    ligne = orjson.dumps(POINTS)
    variantes = [ligne + b"\n", ligne + b"\n\n", ligne + b"\r\n", b" " + ligne + b"\n"]
    avant = taille(service)
    rapports = [appliquer_lot(service.registre, lire_lot(v)) for v in variantes]
    assert taille(service) == avant + 1, "un seul événement PointsJuryAttribués"
    assert service.candidat(S2026, UN).points_jury == {1: Decimal(3)}
    assert [r.appliquees for r in rapports] == [1, 0, 0, 0]
    assert all(r.deja_appliquees == 1 for r in rapports[1:])


def test_meme_commande_en_double_dans_un_fichier_une_fois(service: ServiceRegistre) -> None:
    rapport = appliquer_lot(service.registre, lire_lot(jsonl(POINTS, {**POINTS, "groupe": 1}, POINTS)))
    assert (rapport.appliquees, rapport.doublons) == (1, 2)  # "groupe": 1 is the default: the same command
    assert service.candidat(S2026, UN).points_jury == {1: Decimal(3)}


def test_id_explicite_une_fois_quel_que_soit_le_fichier(service: ServiceRegistre) -> None:
    appliquer_lot(service.registre, lire_lot(jsonl({**POINTS, "id": "pj-2026-1"})))
    autre_fichier = jsonl(
        {"type": "ouvrir_session", "session": "2026-nice", "libelle": "x"}, {**POINTS, "id": "pj-2026-1"}
    )
    rapport = appliquer_lot(service.registre, lire_lot(autre_fichier))
    assert (rapport.appliquees, rapport.deja_appliquees) == (1, 1)
    assert service.candidat(S2026, UN).points_jury == {1: Decimal(3)}
    # Two identical acts on purpose: two ids.
    appliquer_lot(service.registre, lire_lot(jsonl({**POINTS, "id": "pj-2026-2"})))
    assert service.candidat(S2026, UN).points_jury == {1: Decimal(6)}


def test_commande_seule_puis_ligne_de_lot_une_fois(service: ServiceRegistre) -> None:
    assert executer_comme(service, POINTS)
    assert executer_comme(service, POINTS) == [], "déjà appliquée : rien de plus"
    assert appliquer_lot(service.registre, lire_lot(jsonl(POINTS))).appliquees == 0
    assert service.candidat(S2026, UN).points_jury == {1: Decimal(3)}


def reformater(lignes: list[dict[str, object]], donnees: st.DataObject) -> bytes:
    """The same commands, spelled otherwise: key order, spaces, blank lines, CRLF, a final newline or not."""
    morceaux = []
    for ligne in lignes:
        cles = donnees.draw(st.permutations(list(ligne)))
        espace = donnees.draw(st.sampled_from(["", " ", "\t", "  "]))
        corps = (
            "{"
            + f",{espace}".join(f"{orjson.dumps(k).decode()}:{espace}{orjson.dumps(ligne[k]).decode()}" for k in cles)
            + "}"
        )
        avant = donnees.draw(st.sampled_from(["", " ", "\t"]))
        fin = donnees.draw(st.sampled_from(["\n", "\r\n", " \n", "\n\n", "\r\n\r\n"]))
        morceaux.append(avant + corps + fin)
    texte = "".join(morceaux)
    if donnees.draw(st.booleans()):
        texte = texte.rstrip("\r\n")
    return texte.encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(donnees=st.data())
def test_propriete_un_lot_reformate_n_ajoute_rien(donnees: st.DataObject) -> None:
    lignes = [
        {**ACTEUR, **ouvrir()},
        {**ACTEUR, **inscrire()},
        {**ACTEUR, **note("PHILO", 12)},
        {**ACTEUR, **note("SPE1", "14"), "raison": "relevé de la commission"},
    ]
    with ServiceRegistre("memoire://") as service:
        appliquer_lot(service.registre, lire_lot(b"".join(orjson.dumps(ligne) + b"\n" for ligne in lignes)))
        avant = taille(service)
        rapport = appliquer_lot(service.registre, lire_lot(reformater(lignes, donnees)))
        assert taille(service) == avant and rapport.appliquees == 0 and rapport.deja_appliquees == len(lignes)


def test_separateurs_unicode_dans_une_valeur_ne_coupent_pas_la_ligne() -> None:
    with ServiceRegistre("memoire://") as service:
        libelle = "Session\u2028de\u2029test\u0085\x1c"  # splitlines() would cut here; refused as a text anyway
        contenu = jsonl(ouvrir(), {**note("PHILO", 12), "raison": "ok"}, {**ouvrir("2024-nice"), "libelle": libelle})
        with pytest.raises(LotRefuse) as refus:
            appliquer_lot(service.registre, lire_lot(contenu))
        assert [(e.ligne, e.code) for e in refus.value.erreurs] == [(2, "INTROUVABLE"), (3, "INVALIDE")]
        assert "U+2028" in refus.value.erreurs[1].message and refus.value.erreurs[1].champ == "libelle"
        assert taille(service) == 0


def test_json_valide_avec_u2028_dans_une_chaine_accepte() -> None:
    with ServiceRegistre("memoire://") as service:
        brut = (
            b'{"type":"ouvrir_session","session":"2024-nice","libelle":"a\xe2\x80\xa8b","acteur":"x","role":"recteur"}'
        )
        with pytest.raises(LotRefuse) as refus:  # one line (not two), refused for its separator, at line 2
            appliquer_lot(service.registre, lire_lot(jsonl(ouvrir()) + brut + b"\n"))
        assert [e.ligne for e in refus.value.erreurs] == [2]


def test_ligne_trop_longue_refusee_sans_tout_lire_ni_tout_renvoyer() -> None:
    with ServiceRegistre("memoire://") as service:
        contenu = jsonl(ouvrir()) + b'{"libelle":"' + b"a" * (LIMITE_LIGNE_OCTETS + 10) + b'"}\n' + jsonl(inscrire())
        with pytest.raises(LotRefuse) as refus:
            appliquer_lot(service.registre, lire_lot(contenu))
        assert [(e.ligne, e.code) for e in refus.value.erreurs] == [(2, "LIGNE_TROP_LONGUE")]


def test_valeur_de_10_mo_renvoyee_coupee() -> None:
    with ServiceRegistre("memoire://") as service:
        contenu = jsonl({**ouvrir(), "session": "x" * 3_000_000})
        with pytest.raises(LotRefuse) as refus:
            appliquer_lot(service.registre, lire_lot(contenu))
        assert len(str(refus.value.erreurs[0])) < 500


@pytest.mark.parametrize("nature", ["fifo", "dossier", "peripherique"])
def test_entree_qui_n_est_pas_un_fichier_ordinaire_refusee(tmp_path: Path, nature: str) -> None:
    chemin = {"fifo": tmp_path / "tube", "dossier": tmp_path, "peripherique": Path("/dev/zero")}[nature]
    if nature == "fifo":
        os.mkfifo(chemin)  # nobody writes to it: opening it for reading would wait forever
    with pytest.raises(LotRefuse) as refus:
        lire_lot(chemin)
    assert refus.value.erreurs[0].code == "ENTREE_NON_FICHIER"


def test_ecrivain_concurrent_de_la_meme_commande_une_fois(url_persistante: str) -> None:
    """Two processes apply the same command: the second transaction is rejected whole, then skips it."""
    with ServiceRegistre(url_persistante) as service, ServiceRegistre(url_persistante) as autre:
        appliquer_lot(service.registre, lire_lot(jsonl(ouvrir(), inscrire())))
        lot = lire_lot(jsonl(note("PHILO", 12)))
        appliquer_lot(autre.registre, lot)
        commande = next(iter(autre.registre.commandes_appliquees([_id(note("PHILO", 12))])))
        with pytest.raises(IntegrityError):  # the store itself refuses an id twice, atomically with events
            service.registre.enregistrer([], commandes=[commande])
        assert appliquer_lot(service.registre, lot).appliquees == 0
        assert len(service.candidat("2024-aix-marseille", UN).notes) == 1


def _id(ligne: dict[str, object]) -> str:
    from adapters.lots.lecture import identifiant
    from domain.commandes import COMMANDE

    return identifiant(COMMANDE.validate_python({**ACTEUR, **ligne}))
