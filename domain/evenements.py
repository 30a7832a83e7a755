"""The event classes by their domain names, and their stored topics pinned (STYLE, ADR 0002).

The declarative ``@event("Nom")`` syntax builds these classes at import time; this module gives
them names the rest of the code (and type checkers) can refer to. ``SUJETS`` is the audit record's
contract: a test fails if a class moves or is renamed without registering its old topic.
"""

from __future__ import annotations

from typing import Any, cast

from eventsourcing.utils import get_topic

from domain.acces import RegistreAcces
from domain.candidat import Candidate
from domain.candidat_identite import ActesIdentite
from domain.candidat_resultats import ActesResultats
from domain.document import Document
from domain.habilitation import Habilitation
from domain.inscription_annuelle import InscriptionAnnuelle
from domain.jury import Jury
from domain.sceau import Sceau
from domain.session import Session


def _classe(agregat: type, nom: str) -> type[Any]:
    return cast(type[Any], getattr(agregat, nom))


ActeurEnregistre = _classe(Habilitation, "ActeurEnregistré")
HabilitationAccordee = _classe(Habilitation, "HabilitationAccordée")
HabilitationRetiree = _classe(Habilitation, "HabilitationRetirée")
JetonEmis = _classe(Habilitation, "JetonÉmis")
SessionOuverte = _classe(Session, "SessionOuverte")
InscriptionsCloses = _classe(Session, "InscriptionsCloses")
SessionClose = _classe(Session, "SessionClose")
InscriptionAnnuelleEnregistree = _classe(InscriptionAnnuelle, "InscriptionAnnuelleEnregistrée")
Inscrit = _classe(Candidate, "Inscrit")
NoteSaisie = _classe(Candidate, "NoteSaisie")
AffecteAuJury = _classe(Candidate, "AffectéAuJury")
JuryConstitue = _classe(Jury, "JuryConstitué")
CandidatsAffectes = _classe(Jury, "CandidatsAffectés")
GroupeDelibere = _classe(Jury, "GroupeDélibéré")
LivretExamine = _classe(Candidate, "LivretExaminé")
PointsJuryAttribues = _classe(Candidate, "PointsJuryAttribués")
Delibere = _classe(Candidate, "Délibéré")
ChoixControleEnregistre = _classe(Candidate, "ChoixContrôleEnregistré")
ControlePasse = _classe(Candidate, "ContrôlePassé")
NoteConservee = _classe(Candidate, "NoteConservée")
ConservationRenoncee = _classe(Candidate, "ConservationRenoncée")
RemplacementAutorise = _classe(Candidate, "RemplacementAutorisé")
NoteCorrigee = _classe(Candidate, "NoteCorrigée")
NoteHarmonisee = _classe(Candidate, "NoteHarmonisée")
NotesHarmonisees = _classe(Session, "NotesHarmonisées")
ListePubliee = _classe(Session, "ListePubliée")  # R57, ADR 0024
RecoursDepose = _classe(Candidate, "RecoursDéposé")
RecoursTranche = _classe(Candidate, "RecoursTranché")
InspectionMenee = _classe(Candidate, "InspectionMenée")
# Issue 13 (ADR 0019): events of the results week, declared on `ActesResultats` which `Candidate` inherits.
AbsentAuControle = _classe(ActesResultats, "AbsentAuContrôle")
ChoixControleModifie = _classe(ActesResultats, "ChoixContrôleModifié")
ControleCorrige = _classe(ActesResultats, "ContrôleCorrigé")
NoteConserveeCorrigee = _classe(ActesResultats, "NoteConservéeCorrigée")
FelicitationsRefusees = _classe(ActesResultats, "FélicitationsRefusées")
MentionPrivee = _classe(ActesResultats, "MentionPrivée")
# ADR 0023: the erasure of an identity, declared on `ActesIdentite` which `Candidate` inherits.
IdentiteEffaceeEvenement = _classe(ActesIdentite, "IdentitéEffacée")
ConsentementModifie = _classe(ActesResultats, "ConsentementModifié")  # R57, ADR 0024
ActeScelle = _classe(Sceau, "ActeScellé")
DocumentEmis = _classe(Document, "DocumentÉmis")
RegistreAccesOuvert = _classe(RegistreAcces, "RegistreAccèsOuvert")  # R55, ADR 0024
AccesCommunique = _classe(RegistreAcces, "AccèsCommuniqué")

TOUS = (
    SessionOuverte,
    InscriptionsCloses,
    SessionClose,
    InscriptionAnnuelleEnregistree,
    Inscrit,
    NoteSaisie,
    AffecteAuJury,
    JuryConstitue,
    CandidatsAffectes,
    GroupeDelibere,
    LivretExamine,
    PointsJuryAttribues,
    Delibere,
    ChoixControleEnregistre,
    ControlePasse,
    NoteConservee,
    ConservationRenoncee,
    RemplacementAutorise,
    NoteCorrigee,
    NoteHarmonisee,
    NotesHarmonisees,
    ListePubliee,
    RecoursDepose,
    RecoursTranche,
    InspectionMenee,
    AbsentAuControle,
    ChoixControleModifie,
    ControleCorrige,
    NoteConserveeCorrigee,
    FelicitationsRefusees,
    MentionPrivee,
    IdentiteEffaceeEvenement,
    ConsentementModifie,
    ActeScelle,
    ActeurEnregistre,
    HabilitationAccordee,
    HabilitationRetiree,
    JetonEmis,
    DocumentEmis,
    RegistreAccesOuvert,
    AccesCommunique,
)


def sujets() -> dict[str, str]:
    """Domain name → stored topic, for every event class."""
    return {cls.__name__: get_topic(cls) for cls in TOUS}
