"""Plain view models of the four papers, built from the registry's answers, and the hash of their content.

A view model holds exactly what its paper prints, as strings: its hash (`empreinte`) is the document's
identity — the same facts give the same hash, the same verification code and the same PDF bytes; another
mention or another name gives another hash. Nothing here reads a clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import orjson

from adapters.audit.explication import LIBELLES_DECISION, MENTION_LEGALE, Explication
from domain.document import LIBELLES_NATURE, verifier_droit
from domain.sceau import SceauJournal

LIBELLES_VOIE = {
    "general": "voie générale",
    "technologique": "voie technologique",
    "professionnel": "voie professionnelle",
}
LIBELLES_QUALITE = {
    "professeur_des_universites": "professeur des universités",
    "maitre_de_conferences": "maître de conférences",
}
LIBELLES_CATEGORIE = {
    "enseignant_chercheur": "enseignant-chercheur",
    "ia_ipr": "IA-IPR",
    "professeur_lycee_public": "professeur de lycée public",
    "professeur_lycee_prive": "professeur de lycée privé sous contrat",
    "professionnel_employeur": "professionnel (employeur)",
    "professionnel_salarie": "professionnel (salarié)",
    "examinateur_adjoint": "examinateur adjoint",
}


@dataclass(frozen=True)
class Personne:
    """Printed on a candidate's own papers only; never on the procès-verbal (R28)."""

    nom: str
    prenom: str
    date_naissance: str
    ine: str
    effacee: bool = False  # R56, ADR 0023: the identity was erased; the paper says so and keeps the results


PERSONNE_EFFACEE = Personne(nom="", prenom="", date_naissance="", ine="", effacee=True)


@dataclass(frozen=True)
class Cursus:
    voie: str
    serie: str | None
    specialites: list[str]


@dataclass(frozen=True)
class LigneNote:
    code: str
    libelle: str
    note: str
    origine: str
    coefficient: str
    points: str


@dataclass(frozen=True)
class EnTete:
    """What every paper of a candidate says first: who, which session, which decision."""

    nature: str
    titre: str
    session: str
    annee: str
    academie: str
    numero: str
    personne: Personne
    cursus: Cursus
    decision: str
    libelle_decision: str
    mention: str | None
    jury: str
    date_deliberation: str


@dataclass(frozen=True)
class SceauPV:
    taille: int
    position: int
    racine: str
    signature: str  # "signé" / "non signé"
    empreinte_cle: str | None  # SHA-256 of the president's public key, first 32 hex digits


@dataclass(frozen=True)
class Releve:
    entete: EnTete
    groupe: int
    lignes: list[LigneNote]
    controles: list[LigneNote]
    total_points: str
    total_coefficients: str
    points_jury: str
    moyenne: str
    certificat: str | None
    reglement_version: str
    reglement_empreinte: str
    sceau: SceauPV | None  # of the deliberation's act: the relevé anchors the log like the PV
    mention_legale: str = MENTION_LEGALE

    @property
    def nature(self) -> str:
        return "releve"


@dataclass(frozen=True)
class Attestation:
    entete: EnTete
    reglement_version: str

    @property
    def nature(self) -> str:
        return "attestation"


@dataclass(frozen=True)
class Certificat:
    entete: EnTete
    intitule: str
    moyenne: str
    reglement_version: str

    @property
    def nature(self) -> str:
        return "certificat"


@dataclass(frozen=True)
class LignePV:
    """One decision as the jury took it: the candidate number only (R28, anonymous deliberation)."""

    numero: str
    decision: str
    mention: str | None
    points_jury: str
    livret: str
    certificat: str | None


@dataclass(frozen=True)
class ActePV:
    date: str
    correlation: str
    lignes: list[LignePV]
    sceau: SceauPV | None


@dataclass(frozen=True)
class Membre:
    identifiant: str
    qualite: str


@dataclass(frozen=True)
class ProcesVerbal:
    session: str
    annee: str
    academie: str
    jury: str
    voie: str
    groupe: int
    president: Membre
    membres: list[Membre]
    actes: list[ActePV]
    titre: str = LIBELLES_NATURE["pv"]

    @property
    def nature(self) -> str:
        return "pv"

    @property
    def nombre_decisions(self) -> int:
        return sum(len(a.lignes) for a in self.actes)


DocumentVue = Releve | Attestation | Certificat | ProcesVerbal


def empreinte(vue: DocumentVue) -> str:
    """SHA-256 of the content, canonical JSON (sorted keys): what `DocumentÉmis` records and the paper prints."""
    contenu = {"nature": vue.nature, **asdict(vue)}
    return hashlib.sha256(orjson.dumps(contenu, option=orjson.OPT_SORT_KEYS)).hexdigest()


def empreinte_anonyme(vue: DocumentVue) -> str | None:
    """The same hash with the person blanked as an erasure leaves it (ADR 0023), recorded beside the paper's
    own: once the identity is erased, a paper still in force is told from one a re-deliberation replaced by
    this hash. None for a PV (it names no one, R28)."""
    entete = getattr(vue, "entete", None)
    if entete is None:
        return None
    return empreinte(replace(vue, entete=replace(entete, personne=PERSONNE_EFFACEE)))  # type: ignore[type-var]


def _academie(session: str) -> str:
    return session[5:]


def _entete(nature: str, e: Explication, candidat: Any) -> EnTete:
    i = candidat.identite
    return EnTete(
        nature=nature,
        titre=LIBELLES_NATURE[nature],
        session=e.session,
        annee=e.session[:4],
        academie=_academie(e.session),
        numero=e.numero,
        personne=PERSONNE_EFFACEE
        if candidat.identite_effacee
        else Personne(nom=i.nom, prenom=i.prenom, date_naissance=i.date_naissance.isoformat(), ine=i.ine),
        cursus=Cursus(voie=LIBELLES_VOIE[candidat.voie], serie=candidat.serie, specialites=list(candidat.specialites)),
        decision=e.decision,
        libelle_decision=e.libelle_decision,
        mention=e.mention,
        jury=e.jury,
        date_deliberation=(e.date_deliberation or "")[:10],
    )


def releve(e: Explication, candidat: Any) -> Releve:
    """R17 included: a "sans décision finale" candidate gets his relevé with that decision printed."""
    modifiees = {m["epreuve"]: m["quoi"].split(",")[0] for m in e.modifications}
    lignes = [
        LigneNote(
            code=lg.code, libelle=lg.libelle, note=lg.note, coefficient=lg.coefficient, points=lg.points,
            origine=lg.origine + (f" ; {modifiees[lg.code].split(' (')[0]}" if lg.code in modifiees else ""),
        )
        for lg in e.lignes
    ]  # fmt: skip
    controles = [
        LigneNote(
            code=s["choix"], libelle=f"Épreuve de contrôle (remplace {', '.join(s['remplace'])})",
            note=s["note_controle"], origine="contrôle (second groupe)", coefficient=s["coefficient"],
            points=s["points_retenus"],
        )
        for s in e.substitutions
    ]  # fmt: skip
    return Releve(
        entete=_entete("releve", e, candidat), groupe=e.groupe, lignes=lignes, controles=controles,
        total_points=e.total_points, total_coefficients=e.total_coefficients, points_jury=e.points_jury,
        moyenne=e.moyenne, certificat=e.certificat, reglement_version=e.reglement_version,
        reglement_empreinte=e.reglement_empreinte, sceau=sceau_imprime(e.sceau),
    )  # fmt: skip


def attestation(e: Explication, candidat: Any) -> Attestation:
    verifier_droit("attestation", decision=e.decision, certificat=e.certificat)
    return Attestation(entete=_entete("attestation", e, candidat), reglement_version=e.reglement_version)


def certificat(e: Explication, candidat: Any) -> Certificat:
    verifier_droit("certificat", decision=e.decision, certificat=e.certificat)
    assert e.certificat is not None
    return Certificat(
        entete=_entete("certificat", e, candidat), intitule=e.certificat, moyenne=e.moyenne,
        reglement_version=e.reglement_version,
    )  # fmt: skip


def ligne_pv(numero: str, delibere: Any) -> LignePV:
    """A `Délibéré` as the PV prints it: number, decision, mention, points de jury, livret (R28, R29, R30)."""
    contexte = delibere.contexte
    livret = "non fourni"
    if contexte.livret_fourni:
        livret = "examiné" if contexte.livret_examine else "fourni, non examiné"
    return LignePV(
        numero=numero, decision=LIBELLES_DECISION.get(delibere.decision.value, delibere.decision.value),
        mention=delibere.mention, points_jury=str(contexte.points_jury), livret=livret, certificat=delibere.certificat,
    )  # fmt: skip


def sceau_pv(sceau: Any) -> SceauPV | None:
    if sceau is None:
        return None
    cle = hashlib.sha256(bytes.fromhex(sceau.cle_publique)).hexdigest()[:32] if sceau.cle_publique else None
    return SceauPV(
        taille=sceau.taille, position=sceau.position, racine=sceau.racine,
        signature="signé par le président" if sceau.signature else "non signé", empreinte_cle=cle,
    )  # fmt: skip


def sceau_imprime(sceau: dict[str, Any] | None) -> SceauPV | None:
    """The seal of an explanation (a dict of the stored `SceauJournal`) as the papers print it."""
    if not sceau:
        return None
    # The explanation adds which form of seal it is (before the act, or the act's own, ADR 0013): not printed.
    return sceau_pv(SceauJournal.model_validate({k: v for k, v in sceau.items() if k in SceauJournal.model_fields}))


@dataclass
class ActeBrut:
    """One `GroupeDélibéré` and the `Délibéré` of each of its candidates (numero → event), in order."""

    groupe_delibere: Any
    deliberes: dict[str, Any] = field(default_factory=dict)
    sceau: dict[str, Any] | None = None  # the act's seal (its `ActeScellé`, or in an older log the one it carried)


def proces_verbal(jury: Any, groupe: int, actes: list[ActeBrut]) -> ProcesVerbal:
    """The PV of a jury's groupe: every act of that groupe (a re-deliberation adds one), with its seal."""
    vues = []
    for a in actes:
        g = a.groupe_delibere
        lignes = [ligne_pv(numero, a.deliberes[numero]) for numero in sorted(a.deliberes)]
        vues.append(
            ActePV(
                date=g.timestamp.isoformat()[:19].replace("T", " "), correlation=str(g.acte.correlation_id),
                lignes=lignes, sceau=sceau_imprime(a.sceau),
            )
        )  # fmt: skip
    return ProcesVerbal(
        session=jury.session, annee=jury.session[:4], academie=_academie(jury.session), jury=jury.code,
        voie=LIBELLES_VOIE[jury.voie], groupe=groupe,
        president=Membre(jury.president.identifiant, LIBELLES_QUALITE[jury.president.qualite] + ", président"),
        membres=[
            Membre(m.identifiant, LIBELLES_CATEGORIE[m.categorie] + ("" if m.voix == "deliberative" else
                                                                     ", voix consultative"))
            for m in jury.membres
        ],
        actes=vues,
    )  # fmt: skip
