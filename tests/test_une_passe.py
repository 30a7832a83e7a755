"""One pass (issue 14, ADR 0025): each write chains its own rows in its transaction and folds its events into the
views right after, from what it has in hand — with the very rows the pulled catch-ups give, on both stores.

The attacks first: a chain extended over a rewritten row, a write whose chain fails, another process's rows
left unchained, each must end as the catch-up would have ended it (refused and said, or chained in order).
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from adapters.application.service import PROJECTIONS, ServiceRegistre
from adapters.audit.preuves.chaine import effacer_chaine, etat_courant, lignes_chaine, rattraper_chaine
from adapters.lots.lot import appliquer_lot, lire_lot
from adapters.simulateur.generateur import cohorte
from domain.errors import JournalAltere
from projections.runner import position
from tests.scenario import ACTEUR, SESSION, ouvrir
from tests.test_deliberation_stores import jury_delibere
from tests.test_integrite import Base, modifier_un_octet, verifier
from tests.test_projections_concurrentes import rejouees, vues


def lot(*lignes: dict[str, object]) -> bytes:
    return b"".join(orjson.dumps({**ACTEUR, **ligne}) + b"\n" for ligne in lignes)


def chaine(service: ServiceRegistre) -> tuple[list[Any], int, bytes]:
    etat = etat_courant(service.moteur)
    return list(lignes_chaine(service.moteur)), etat.taille, etat.racine


def positions(service: ServiceRegistre) -> dict[str, int]:
    with service.moteur.connect() as connexion:
        return {nom: position(connexion, nom) for nom in ("chaine_journal", *(p.nom for p in PROJECTIONS))}


def test_une_ecriture_chaine_et_plie_ses_evenements_sans_rattrapage(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        # The registry's own batch path, not the service's: no catch-up is called after the write.
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 8))), taille_transaction=50)
        borne = service.registre.borne()
        assert borne > 100
        assert positions(service) == dict.fromkeys(positions(service), borne)
        assert vues(service) == rejouees(url_persistante)


def test_la_chaine_ecrite_avec_les_evenements_est_celle_que_le_rattrapage_recalcule(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)  # single acts, batches, deliberations and their seals
        ecrite = chaine(service)
        effacer_chaine(service.moteur)
        rattraper_chaine(service.registre, service.moteur, depuis_zero=True)
        assert chaine(service) == ecrite
        assert verifier(service).valide


def test_une_chaine_n_est_pas_prolongee_sur_une_ligne_reecrite(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 1))))
        base = Base(service)
        derniere = service.registre.borne()
        modifier_un_octet(base, derniere)  # the row the chain ends on, rewritten behind the registry's back
        appliquer_lot(service.registre, lire_lot(lot(*cohorte(SESSION, 2024, 1, premier_numero=20_000_001))))
        assert positions(service)["chaine_journal"] == derniere  # the new rows are left unchained
        with pytest.raises(JournalAltere) as refus:
            service.rattraper()
        assert refus.value.code == "CHAINE_DIVERGENTE"
        rapport = verifier(service)
        assert not rapport.valide and rapport.premier_defaut is not None
        assert rapport.premier_defaut.position == derniere


def test_une_chaine_qui_echoue_n_enregistre_rien(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir())))
        avant, chaine_avant = service.registre.borne(), chaine(service)

        def en_panne(*_: Any) -> None:
            raise OSError("disque plein")

        service.registre.greffons.append(en_panne)
        contenu = lot(*cohorte(SESSION, 2024, 1))
        with pytest.raises(OSError):
            appliquer_lot(service.registre, lire_lot(contenu))
        assert service.registre.borne() == avant and chaine(service) == chaine_avant
        service.registre.greffons.remove(en_panne)
        rapport = appliquer_lot(service.registre, lire_lot(contenu))  # nothing of it was applied
        assert rapport.deja_appliquees == 0 and rapport.appliquees == rapport.lignes


def test_les_lignes_d_un_autre_ecrivain_sont_chainees_dans_l_ordre(url_persistante: str) -> None:
    with ServiceRegistre(url_persistante) as service:
        appliquer_lot(service.registre, lire_lot(lot(ouvrir(), *cohorte(SESSION, 2024, 2))))
        with ServiceRegistre(url_persistante) as autre:  # an older writer: no chain, no views at its writes
            autre.registre.greffons.clear()
            autre.registre.suivants.clear()
            appliquer_lot(autre.registre, lire_lot(lot(*cohorte(SESSION, 2024, 2, premier_numero=20_000_001))))
        a_la_traine = positions(service)
        appliquer_lot(service.registre, lire_lot(lot(*cohorte(SESSION, 2024, 2, premier_numero=30_000_001))))
        assert positions(service) == a_la_traine  # never chained nor folded past the other writer's rows
        service.rattraper()
        assert set(positions(service).values()) == {service.registre.borne()}
        ecrite = chaine(service)
        effacer_chaine(service.moteur)
        rattraper_chaine(service.registre, service.moteur, depuis_zero=True)
        assert chaine(service) == ecrite
        assert vues(service) == rejouees(url_persistante)
