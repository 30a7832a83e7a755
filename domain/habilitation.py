"""Habilitations: who may act, in which role, over which scope, from when to when (R26, chain of authority).

One `Habilitation` aggregate per actor records, as events, the roles granted to them and withdrawn, and the
credentials (hashes only) issued to them. Every door authenticates a credential, then asks `role_pour` which
of the actor's habilitations covers the command at that moment: the `Acte` is built from the answer, never
from what the caller typed. The rules here are data and pure functions; hashing lives in the adapters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import Field, model_validator

from domain import ids
from domain.errors import DejaFait, NonHabilite, RefusMetier
from domain.modele import Acte, Agregat, Immutable, Role, Texte
from domain.valeurs import CodeSession

Identifiant = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$", description="Actor id (agent or service)")
ADMINISTRATEUR_INITIAL = "administrateur"

# Who grants what (R26: the recteur designates jury members and presidents; the académie's administrator
# grants the exam office's roles; only the registry's first administrator names académie administrators).
JURY: frozenset[str] = frozenset({"president_jury", "membre_jury"})
ACCORDES_PAR: dict[str, frozenset[str]] = {
    "administrateur": frozenset(
        {
            "administrateur",
            "recteur",
            "service_examens",
            "gestionnaire",
            "correcteur",
            "commission_harmonisation",
            "auditeur",
        }
    ),
    "recteur": JURY,
}

# The roles that may issue each command, in order of preference when the caller names none. Where the
# aggregate checks the role itself (its refusal names the rule), this list only picks the role.
ROLES_PAR_COMMANDE: dict[str, tuple[str, ...]] = {
    "ouvrir_session": ("service_examens", "gestionnaire"),
    "clore_inscriptions": ("service_examens", "gestionnaire"),
    "clore_session": ("service_examens", "gestionnaire"),
    "inscrire": ("service_examens", "gestionnaire"),
    "saisir_note": ("service_examens", "gestionnaire", "correcteur"),
    "saisir_notes": ("service_examens", "gestionnaire", "correcteur"),
    "constituer_jury": ("recteur",),
    "affecter_candidats": ("service_examens", "gestionnaire", "recteur"),
    "examiner_livret": ("president_jury", "membre_jury"),
    "attribuer_points_jury": ("president_jury",),
    "deliberer": ("president_jury",),
    "choisir_controle": ("service_examens", "gestionnaire", "president_jury", "membre_jury"),
    "saisir_controle": ("service_examens", "gestionnaire", "correcteur"),
    "conserver_notes": ("service_examens", "gestionnaire"),
    "renoncer_conservation": ("service_examens", "gestionnaire"),
    "autoriser_remplacement": ("recteur",),
    "corriger_note": ("gestionnaire", "service_examens"),
    "harmoniser_notes": ("commission_harmonisation",),
    "deposer_recours": ("service_examens", "gestionnaire"),
    "trancher_recours": ("service_examens", "recteur"),
    "mener_inspection": ("auditeur",),
    "modifier_choix_controle": ("service_examens", "gestionnaire", "president_jury", "membre_jury"),
    "corriger_controle": ("gestionnaire", "service_examens"),
    "corriger_note_conservee": ("gestionnaire", "service_examens"),
    "refuser_felicitations": ("president_jury",),
    "priver_de_mention": ("recteur", "service_examens"),
    # R56 (ADR 0023): the recteur answers for the académie's processing; the exam office runs the retention job.
    "effacer_identite": ("service_examens", "recteur"),
    "modifier_consentement": ("service_examens", "gestionnaire"),  # R57: the exam office, on a written request
}
GARDEES_PAR_AGREGAT = frozenset(
    {"constituer_jury", "examiner_livret", "attribuer_points_jury", "deliberer", "autoriser_remplacement",
     "corriger_note", "harmoniser_notes", "deposer_recours", "trancher_recours", "mener_inspection",
     "corriger_controle", "corriger_note_conservee", "refuser_felicitations", "priver_de_mention"}
)  # fmt: skip


def habilitation_id(acteur: str) -> UUID:
    return uuid5(ids.ESPACE_BAC_REGISTRE, f"habilitation:{acteur}")


def academie_de(session: str) -> str | None:
    trouve = ids.CODE_SESSION.match(session)
    return trouve["academie"] if trouve else None


class Portee(Immutable):
    """Where a habilitation holds: every académie (the first administrator only), one académie, a session, a jury."""

    academie: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]{1,40}$")
    session: CodeSession | None = None
    jury: str | None = Field(default=None, pattern=r"^[A-Z0-9-]{1,20}$")

    @model_validator(mode="after")
    def _coherente(self) -> Portee:
        if self.jury is not None and self.session is None:
            raise ValueError("un jury se désigne dans une session")
        if self.session is not None:
            academie = academie_de(self.session)
            if self.academie not in (None, academie):
                raise ValueError("la session n'est pas de cette académie")
            object.__setattr__(self, "academie", academie)
        return self

    def couvre(self, session: str | None, jury: str | None) -> bool:
        if self.academie is None:
            return True
        if session is None or academie_de(session) != self.academie:
            return False
        if self.session is not None and session != self.session:
            return False
        return self.jury is None or jury == self.jury

    def contient(self, autre: Portee) -> bool:
        """Whether a grantor of this scope may grant ``autre`` (never wider than his own)."""
        if self.academie is None:
            return True
        if autre.academie != self.academie:
            return False
        if self.session is not None and autre.session != self.session:
            return False
        return self.jury is None or autre.jury == self.jury

    def __str__(self) -> str:
        if self.academie is None:
            return "toutes académies"
        return " / ".join(x for x in (self.academie, self.session, self.jury) if x)


class Droit(Immutable):
    """One habilitation as granted: role, scope, validity, by whom and why, and a president's public key."""

    numero: int
    role: Role
    portee: Portee
    debut: datetime
    fin: datetime | None = None
    accordee_par: str
    raison: Texte
    cle_publique: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    retiree_le: datetime | None = None

    def active(self, instant: datetime) -> bool:
        if self.retiree_le is not None and instant >= self.retiree_le:
            return False
        return self.debut <= instant and (self.fin is None or instant < self.fin)


class Jeton(Immutable):
    """A credential issued to the actor: only its hash is recorded (the secret is shown once, never stored)."""

    jeton_id: str
    empreinte: str
    fin: datetime | None = None
    revoque_le: datetime | None = None


class AccorderHabilitation(Immutable):
    """A grant, as an HTTP body or a CLI call: the grantor is the authenticated caller, never a field."""

    type: Literal["accorder_habilitation"] = "accorder_habilitation"
    acteur: str = Identifiant
    role: Role
    portee: Portee
    debut: datetime | None = None
    fin: datetime | None = None
    raison: Texte
    cle_publique: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="Ed25519, hex")
    emettre_jeton: bool = Field(default=True, description="Issue a credential and answer it once")

    @model_validator(mode="after")
    def _dates(self) -> AccorderHabilitation:
        if self.debut and self.fin and self.fin <= self.debut:
            raise ValueError("la fin de validité précède le début")
        if any(d is not None and d.tzinfo is None for d in (self.debut, self.fin)):
            raise ValueError("une date de validité porte son décalage horaire (ex. 2024-07-05T12:00+02:00)")
        return self


class RetirerHabilitation(Immutable):
    type: Literal["retirer_habilitation"] = "retirer_habilitation"
    acteur: str = Identifiant
    numero: int = Field(ge=1)
    raison: Texte


def verifier_autorite(
    droits_du_donneur: list[Droit], role: str, portee: Portee, instant: datetime, *, donneur: str
) -> Droit:
    """R26 chain of authority: the grantor holds, now, a role that grants ``role`` over a scope containing
    ``portee``. Returns the grantor's habilitation the act is done under."""
    for droit in droits_du_donneur:
        if droit.active(instant) and role in ACCORDES_PAR.get(droit.role, ()) and droit.portee.contient(portee):
            if role == "administrateur" and droit.portee.academie is not None:
                continue  # an académie's administrator does not make peers
            return droit
    raise NonHabilite(
        f"{donneur} ne peut pas accorder le rôle {role} sur « {portee} » : le recteur désigne les jurys, "
        "l'administrateur de l'académie les rôles du service des examens",
        regle="R26",
        code="AUTORITE_INSUFFISANTE",
    )


def role_pour(
    droits: list[Droit], type_commande: str, role_demande: str | None, session: str | None, jury: str | None,
    instant: datetime, *, acteur: str,
) -> Role:  # fmt: skip
    """The role an act is recorded under: one of the actor's habilitations, active now, covering the act's
    session (and jury); the named role if the caller names one, else the preferred role for the command."""
    couvrants = [d for d in droits if d.active(instant) and d.portee.couvre(session, jury)]
    if role_demande is not None:
        if not any(d.role == role_demande for d in couvrants):
            raise NonHabilite(
                f"{acteur} ne détient pas d'habilitation active « {role_demande} » couvrant {session or 'cet acte'}"
                + (f", jury {jury}" if jury else ""),
                regle="R26",
            )
        role = role_demande
    else:
        tenus = {d.role for d in couvrants}
        preferes = [r for r in ROLES_PAR_COMMANDE.get(type_commande, ()) if r in tenus]
        if not preferes:
            raise NonHabilite(
                f"{acteur} ne détient aucune habilitation active permettant « {type_commande} » sur "
                f"{session or 'cet acte'}" + (f", jury {jury}" if jury else ""),
                regle="R26",
            )
        role = preferes[0]
    if type_commande not in GARDEES_PAR_AGREGAT and role not in ROLES_PAR_COMMANDE.get(type_commande, ()):
        permis = ", ".join(ROLES_PAR_COMMANDE.get(type_commande, ())) or "aucun"
        raise NonHabilite(
            f"Le rôle {role} ne permet pas « {type_commande} » (rôles admis : {permis})",
            regle="R26",
            code="ROLE_NON_AUTORISE",
        )
    return cast(Role, role)


# Who consults the registry's pages and papers (R26, R36): the rectorat's offices and the auditors, each within
# the académies of his habilitations; a jury member reads through the jury's own acts, not these pages.
ROLES_LECTEURS: tuple[str, ...] = ("auditeur", "recteur", "service_examens")


class PorteeLecture(Immutable):
    """What a caller may read: his reading role, and the académies it covers (None: every académie)."""

    acteur: str
    role: str
    academies: frozenset[str] | None

    def verifier(self, session: str) -> None:
        """Refuse (NonHabilite) unless this reader may read the session's candidates (R26, R36)."""
        if self.role not in ROLES_LECTEURS:
            raise NonHabilite(
                f"Le rôle {self.role} ne consulte pas le registre (auditeur, recteur, service des examens)",
                regle="R26",
            )
        academie = academie_de(session) or ""
        if self.academies is not None and academie not in self.academies:
            raise NonHabilite(
                f"La session {session} relève de l'académie {academie}, hors du périmètre de {self.acteur} "
                f"({', '.join(sorted(self.academies)) or 'aucune académie'})",
                regle="R36",
            )


def portee_de_lecture(droits: list[Droit], instant: datetime, *, acteur: str) -> PorteeLecture:
    """The reading scope active habilitations give: the first reading role held (order of `ROLES_LECTEURS`),
    over the union of the académies of every reading habilitation; a session- or jury-scoped reading right
    counts for its académie (the pages are by session and candidate within an académie). With no reading
    habilitation, the first role held and no académie: every page then refuses, naming the rule."""
    actifs = [d for d in droits if d.active(instant)]
    lecteurs = [d for d in actifs if d.role in ROLES_LECTEURS]
    if not lecteurs:
        return PorteeLecture(acteur=acteur, role=actifs[0].role if actifs else "aucun", academies=frozenset())
    role = min((d.role for d in lecteurs), key=ROLES_LECTEURS.index)
    if any(d.portee.academie is None for d in lecteurs):
        return PorteeLecture(acteur=acteur, role=role, academies=None)
    return PorteeLecture(acteur=acteur, role=role, academies=frozenset(d.portee.academie or "" for d in lecteurs))


class Habilitation(Agregat):
    """The habilitations and credentials of one actor (an agent or a back-office service)."""

    @staticmethod
    def create_id(acteur: str, **_: Any) -> UUID:
        return habilitation_id(acteur)

    @event("ActeurEnregistré")
    def __init__(self, acteur: str, acte: Acte) -> None:
        self.acteur = acteur
        self.droits: list[Droit] = []
        self.jetons: list[Jeton] = []

    def actifs(self, instant: datetime) -> list[Droit]:
        return [d for d in self.droits if d.active(instant)]

    def accorder(
        self, *, role: Role, portee: Portee, debut: datetime, fin: datetime | None, raison: str,
        cle_publique: str | None, acte: Acte,
    ) -> int:  # fmt: skip
        if role in JURY and portee.academie is None:
            raise RefusMetier("Un membre de jury est désigné dans une académie", regle="R26", code="PORTEE_INVALIDE")
        for d in self.droits:
            if d.role == role and d.portee == portee and d.retiree_le is None and d.fin == fin and d.debut == debut:
                raise DejaFait(f"{self.acteur} détient déjà ce rôle sur « {portee} »", code="DEJA_HABILITE")
        numero = len(self.droits) + 1
        self._accordee(
            numero=numero, role=role, portee=portee, debut=debut, fin=fin, accordee_par=acte.acteur, raison=raison,
            cle_publique=cle_publique, acte=acte,
        )  # fmt: skip
        return numero

    @event("HabilitationAccordée")
    def _accordee(
        self, numero: int, role: Role, portee: Portee, debut: datetime, fin: datetime | None, accordee_par: str,
        raison: str, cle_publique: str | None, acte: Acte,
    ) -> None:  # fmt: skip
        self.droits.append(
            Droit(
                numero=numero, role=role, portee=portee, debut=debut, fin=fin, accordee_par=accordee_par,
                raison=raison, cle_publique=cle_publique,
            )
        )  # fmt: skip

    def droit(self, numero: int) -> Droit:
        if not 1 <= numero <= len(self.droits):
            raise RefusMetier(f"{self.acteur} n'a pas d'habilitation n° {numero}", code="HABILITATION_INCONNUE")
        return self.droits[numero - 1]

    def retirer(self, *, numero: int, raison: str, instant: datetime, acte: Acte) -> None:
        if self.droit(numero).retiree_le is not None:
            raise DejaFait(f"L'habilitation n° {numero} de {self.acteur} est déjà retirée", code="DEJA_RETIREE")
        self._retiree(numero=numero, retiree_le=instant, raison=raison, acte=acte)

    @event("HabilitationRetirée")
    def _retiree(self, numero: int, retiree_le: datetime, raison: str, acte: Acte) -> None:
        self.droits[numero - 1] = self.droits[numero - 1].model_copy(update={"retiree_le": retiree_le})

    @event("JetonÉmis")
    def emettre_jeton(self, jeton_id: str, empreinte: str, fin: datetime | None, acte: Acte) -> None:
        self.jetons.append(Jeton(jeton_id=jeton_id, empreinte=empreinte, fin=fin))

    def jeton(self, jeton_id: str, instant: datetime) -> Jeton | None:
        for j in self.jetons:
            if j.jeton_id == jeton_id and j.revoque_le is None and (j.fin is None or instant < j.fin):
                return j
        return None

    def cle_du_president(self, session: str, jury: str, instant: datetime) -> str | None:
        """The Ed25519 public key (hex) this president's habilitation registered for this jury, at ``instant``."""
        for d in reversed(self.droits):
            if d.role == "president_jury" and d.cle_publique and d.active(instant) and d.portee.couvre(session, jury):
                return d.cle_publique
        return None
