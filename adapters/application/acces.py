"""The right of access (R55, R54; GDPR art. 15): everything the registry holds about one candidate, as one ZIP.

Asked for by the service des examens of the candidate's académie (the office that answers the candidate's
written request, R55: "request to rectorat or centre"); any other role or académie is refused (`NonHabilite`,
R55) before anything is read. The archive holds, as JSON: the inscription as recorded (identity, cursus,
consent to publication, R57), the current state, the full history (his events and the jury's and
commission's acts concerning him, `historique_complet`), the explanation of the decision replayed on its
stored inputs (R54); and, as PDF, the papers he is entitled to today (relevé, attestation, certificat).

Same log, same request, same bytes: members in a fixed order with a fixed date (1980-01-01, the ZIP epoch),
fixed permissions, JSON with sorted keys. The papers are issued first (`DocumentÉmis`, once: the same paper
keeps its code, ADR 0020), so the history read after them already holds their issue. The communication itself
is then recorded as an act, `AccèsCommuniqué` (who, when, the archive's SHA-256 and members), in the
candidate's `RegistreAcces` — outside his own stream, so it is never part of the next archive (ADR 0024).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

import structlog
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from pydantic_core import to_jsonable_python

from adapters.application.authentification import Principal
from adapters.application.documents import ServiceDocuments
from adapters.application.habilitations import habilitation_de, maintenant
from adapters.stockage.registre import Registre
from domain.acces import ROLE_ACCES, RegistreAcces, acces_id
from domain.errors import Introuvable, NonHabilite, RefusMetier
from domain.modele import Acte

journal = structlog.get_logger("bac.acces")

TENTATIVES = 5
NUMERO = re.compile(r"[0-9]{5,12}")
NATURES = ("releve", "attestation", "certificat")
DATE_ZIP = (1980, 1, 1, 0, 0, 0)
LISEZMOI = """Communication des données du registre du baccalauréat (droit d'accès, R55)

Session {session}, candidat n° {numero}.

inscription.json   l'inscription telle qu'enregistrée : identité, voie, spécialités, établissement,
                   consentement à la publication du résultat (R57)
etat.json          l'état actuel : notes, décision en vigueur, mention, moyenne
historique.json    l'historique complet : chaque acte, qui l'a fait, en quelle qualité, quand et pourquoi
explication.json   l'explication de la décision, règles rejouées sur les données enregistrées (R54)
documents/*.pdf    les documents vérifiables auxquels le candidat a droit aujourd'hui
sommaire.json      la liste de ces fichiers et l'empreinte SHA-256 de chacun

Seules les erreurs matérielles peuvent être contestées ; il n'existe pas de droit à une nouvelle correction (R55).
Les copies d'examen ne sont pas dans le registre : elles se consultent auprès du rectorat pendant environ un an.
"""


@dataclass(frozen=True)
class ArchiveAcces:
    session: str
    numero: str
    contenu: bytes

    @property
    def empreinte(self) -> str:
        return hashlib.sha256(self.contenu).hexdigest()

    @property
    def nom_fichier(self) -> str:
        return f"acces-{self.session}-{self.numero}.zip"


def verifier_droit(registre: Registre, principal: Principal, session: str) -> None:
    """R55: the service des examens of the candidate's académie (a habilitation active now covering the session)."""
    habilitation = habilitation_de(registre, principal.acteur)
    instant = maintenant()
    droits = habilitation.droits if habilitation else []
    if not any(d.role == ROLE_ACCES and d.active(instant) and d.portee.couvre(session, None) for d in droits):
        raise NonHabilite(
            f"{principal.acteur} n'est pas habilité comme service des examens de l'académie de la session "
            f"{session} : seul ce service communique les données d'un candidat",
            regle="R55",
            code="ACCES_NON_HABILITE",
        )


def _json(valeur: Any) -> bytes:
    return (json.dumps(to_jsonable_python(valeur), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _inscription(candidat: Any) -> dict[str, Any]:
    return {
        "session": candidat.session, "numero": candidat.numero, "identite": candidat.identite,
        "voie": candidat.voie, "serie": candidat.serie, "specialites": candidat.specialites,
        "options": candidat.options, "categorie": candidat.categorie, "etablissement": candidat.etablissement,
        "livret_scolaire": candidat.livret_scolaire, "handicap": candidat.handicap, "etalement": candidat.etalement,
        "titulaire_bac": candidat.titulaire_bac, "consentement_publication": candidat.consentement_publication,
        "version": candidat.version,
    }  # fmt: skip


def archive(service: Any, session: str, numero: str, principal: Principal) -> ArchiveAcces:
    """The ZIP of one candidate's data for the service des examens of his académie (R55)."""
    verifier_droit(service.registre, principal, session)
    if not NUMERO.fullmatch(numero):
        raise Introuvable(f"Numéro de candidat invalide : {numero[:20]!r}")
    service.candidat(session, numero)  # an unknown candidate is refused before any paper is issued
    documents = ServiceDocuments(service)
    pdfs: dict[str, bytes] = {}
    for nature in NATURES:
        try:
            rendu = documents.emettre(nature, session, numero=numero, acteur=principal.acteur, role=ROLE_ACCES,
                                      raison="Communication au titre du droit d'accès (R55)")  # fmt: skip
        except RefusMetier:  # not entitled to this paper (R16, R31): nothing to communicate
            continue
        pdfs[f"documents/{nature}.pdf"] = rendu.pdf()
    try:
        explication: Any = service.expliquer(session, numero)
    except RefusMetier as refus:  # not deliberated yet: say so in the archive
        explication = {"explication": None, "motif": refus.message}
    fichiers = {
        "LISEZMOI.txt": LISEZMOI.format(session=session, numero=numero).encode(),
        "inscription.json": _json(_inscription(service.candidat(session, numero))),
        "etat.json": _json(service.etat_a(session, numero)),
        "historique.json": _json(service.historique_complet(session, numero)),
        "explication.json": _json(explication),
        **pdfs,
    }
    fichiers["sommaire.json"] = _json({nom: hashlib.sha256(octets).hexdigest() for nom, octets in fichiers.items()})
    resultat = ArchiveAcces(session=session, numero=numero, contenu=_zip(fichiers))
    _enregistrer(service, resultat, tuple(sorted(fichiers)), principal)
    return resultat


def _enregistrer(service: Any, archive: ArchiveAcces, fichiers: tuple[str, ...], principal: Principal) -> None:
    """`AccèsCommuniqué` in the candidate's register of communications; retried on a concurrent request."""
    correlation = uuid.uuid4()
    acte = Acte(acteur=principal.acteur, role=ROLE_ACCES, raison="Communication au titre du droit d'accès (R55)",
                correlation_id=correlation, causation_id=correlation)  # fmt: skip
    for _ in range(TENTATIVES):
        try:
            registre: Any = service.registre.repository.get(acces_id(archive.session, archive.numero))
        except AggregateNotFoundError:
            registre = RegistreAcces(session=archive.session, numero=archive.numero, acte=acte)
        registre.communiquer(empreinte=archive.empreinte, fichiers=fichiers, acte=acte)
        try:
            service.registre.enregistrer(registre.collect_events())
        except IntegrityError:
            continue
        journal.info("acces.communique", acteur=principal.acteur, role=ROLE_ACCES, agregat=str(registre.id),
                     empreinte=archive.empreinte, regle="R55")  # fmt: skip
        service.rattraper()
        return
    raise RefusMetier("Conflit répété avec d'autres communications : réessayer", code="CONFLIT")


def _zip(fichiers: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        for nom in sorted(fichiers):
            info = zipfile.ZipInfo(nom, date_time=DATE_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine writes it
            z.writestr(info, fichiers[nom], compresslevel=9)
    return tampon.getvalue()
