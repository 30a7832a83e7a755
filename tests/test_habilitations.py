"""Habilitations as data and pure rules (domain/habilitation.py): the R26 chain of authority, scopes, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.commandes import COMMANDE
from domain.errors import NonHabilite
from domain.habilitation import GARDEES_PAR_AGREGAT, ROLES_PAR_COMMANDE, Droit, Portee, role_pour, verifier_autorite

MAINTENANT = datetime(2024, 7, 4, 12, tzinfo=UTC)
AIX = Portee(academie="aix-marseille")


def droit(role: str, portee: Portee = AIX, **autres: object) -> Droit:
    return Droit.model_validate(
        {"numero": 1, "role": role, "portee": portee, "debut": MAINTENANT - timedelta(days=1), "accordee_par": "a",
         "raison": "r", **autres}
    )  # fmt: skip


def test_chaque_commande_a_ses_roles() -> None:
    types = set(COMMANDE.json_schema()["discriminator"]["mapping"])
    assert types == set(ROLES_PAR_COMMANDE), "déclarer les rôles d'une nouvelle commande (domain/habilitation.py)"
    assert types >= GARDEES_PAR_AGREGAT


def test_r26_le_recteur_designe_les_jurys_pas_le_service_des_examens() -> None:
    j1 = Portee(session="2024-aix-marseille", jury="J1")
    assert verifier_autorite([droit("recteur")], "president_jury", j1, MAINTENANT, donneur="r").role == "recteur"
    with pytest.raises(NonHabilite) as refus:
        verifier_autorite([droit("recteur")], "service_examens", AIX, MAINTENANT, donneur="r")
    assert refus.value.code == "AUTORITE_INSUFFISANTE" and refus.value.regle == "R26"
    with pytest.raises(NonHabilite):  # another académie's jury
        verifier_autorite([droit("recteur")], "membre_jury", Portee(academie="nice"), MAINTENANT, donneur="r")
    with pytest.raises(NonHabilite):  # an académie's administrator does not make peers
        verifier_autorite([droit("administrateur")], "administrateur", AIX, MAINTENANT, donneur="a")
    assert verifier_autorite([droit("administrateur", Portee())], "administrateur", AIX, MAINTENANT, donneur="a")


def test_r26_portee_dates_et_retrait() -> None:
    pres = droit("president_jury", Portee(session="2024-aix-marseille", jury="J1"))
    assert role_pour([pres], "deliberer", None, "2024-aix-marseille", "J1", MAINTENANT, acteur="p") == "president_jury"
    for session, jury in (("2024-aix-marseille", "J2"), ("2023-aix-marseille", "J1"), ("2024-nice", "J1")):
        with pytest.raises(NonHabilite):
            role_pour([pres], "deliberer", None, session, jury, MAINTENANT, acteur="p")
    expire = droit("gestionnaire", fin=MAINTENANT - timedelta(seconds=1))
    retire = droit("gestionnaire", retiree_le=MAINTENANT)
    for d in (expire, retire):
        with pytest.raises(NonHabilite):
            role_pour([d], "saisir_note", None, "2024-aix-marseille", None, MAINTENANT, acteur="g")


def test_un_role_non_admis_pour_la_commande_est_refuse() -> None:
    with pytest.raises(NonHabilite) as refus:
        role_pour([droit("auditeur")], "inscrire", "auditeur", "2024-aix-marseille", None, MAINTENANT, acteur="x")
    assert refus.value.code == "ROLE_NON_AUTORISE"
