"""The demo keeps showing a refused bad batch with rule-citing errors (what the day's demo must not lose)."""

from __future__ import annotations

from pathlib import Path

from adapters.application.service import ServiceRegistre
from adapters.simulateur.acteurs import Acteurs
from adapters.simulateur.demo import SESSION, _lot_fautif
from domain.commandes import COMMANDE


def test_le_lot_fautif_de_la_demo_est_refuse_en_citant_ses_regles(tmp_path: Path) -> None:
    messages: list[str] = []
    with ServiceRegistre("memoire://") as service:
        ouvrir = {"type": "ouvrir_session", "session": SESSION, "libelle": "démo"}
        acteurs = Acteurs(service)
        acteurs.habiliter_academie("aix-marseille")
        service.executer(COMMANDE.validate_python(ouvrir), acteurs.principal("dec-aix-marseille"))
        avant = service.registre.enregistreur.max_notification_id()
        _lot_fautif(service, acteurs, tmp_path, lambda m: messages.append(str(m)))
        assert service.registre.enregistreur.max_notification_id() == avant  # nothing stored
    texte = "\n".join(messages)
    assert "lot fautif refusé" in texte
    assert "[R13" in texte and "R9, R38" in texte and "99999999" in texte
