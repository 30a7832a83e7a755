"""The `Document` aggregate: one paper the registry issued (relevé, procès-verbal, attestation, certificat).

A document is identified by its verification code, itself derived from the hash of its content: the same
facts give the same code, so issuing a document twice records it once, and a paper whose content was changed
(another mention, another name) carries a code the registry never issued. `DocumentÉmis` records what a holder
of the paper may check on the public verification page: kind, session, decision and content hash, nothing else.
Hashing the content is an adapter's job; the code and the entitlement rules (R17, R31) are the domain's.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.errors import EtatIncompatible, NonHabilite, RefusMetier
from domain.ids import ESPACE_BAC_REGISTRE
from domain.modele import Acte, Agregat

NatureDocument = Literal["releve", "pv", "attestation", "certificat"]
NATURES: tuple[NatureDocument, ...] = ("releve", "pv", "attestation", "certificat")
LIBELLES_NATURE: dict[str, str] = {
    "releve": "Relevé de notes",
    "pv": "Procès-verbal de délibération",
    "attestation": "Attestation de réussite au baccalauréat",
    "certificat": "Certificat de fin d'études",
}

# Who delivers the examination's papers: the exam office and the recteur (R31: the certificate is the
# recteur's); an auditor obtains a copy of what the registry holds, which is the same document.
ROLES_EMETTEURS = frozenset({"service_examens", "gestionnaire", "recteur", "auditeur"})

TAILLE_CODE = 12  # Crockford base32 characters: 60 bits, printed as XXXX-XXXX-XXXX
_ALPHABET_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_EMPREINTE = re.compile(r"^[0-9a-f]{64}$")


def code_de(empreinte: str) -> str:
    """The verification code of a content hash: short, unambiguous when read aloud (no I, L, O, U)."""
    if not _EMPREINTE.match(empreinte):
        raise ValueError("empreinte SHA-256 attendue (64 caractères hexadécimaux)")
    condense = hashlib.sha256(f"bac-registre:document:v1:{empreinte}".encode()).digest()
    nombre = int.from_bytes(condense[:8]) >> (64 - 5 * TAILLE_CODE)
    code = "".join(_ALPHABET_CROCKFORD[(nombre >> (5 * i)) & 31] for i in reversed(range(TAILLE_CODE)))
    return "-".join(code[i : i + 4] for i in range(0, TAILLE_CODE, 4))


def normaliser_code(saisi: str) -> str | None:
    """A code as typed or scanned (lower case, spaces, O for 0, I or L for 1) → its canonical form, or None."""
    if len(saisi) > 40:  # bounded before anything else: a pasted page is not a code
        return None
    brut = re.sub(r"[\s-]", "", saisi.upper()).translate(str.maketrans("OIL", "011"))
    if len(brut) != TAILLE_CODE or any(c not in _ALPHABET_CROCKFORD for c in brut):
        return None
    return "-".join(brut[i : i + 4] for i in range(0, TAILLE_CODE, 4))


def document_id(code: str) -> UUID:
    return uuid5(ESPACE_BAC_REGISTRE, f"document:{code}")


def verifier_droit(nature: str, *, decision: str, certificat: str | None) -> None:
    """Who is entitled to which paper: a relevé for every deliberated candidate (R17: "sans décision finale"
    included); an attestation for the admis only (R16, R21); the certificat for an ajourné with moyenne ≥ 8
    (R31, D334-12, D336-12)."""
    if nature == "attestation" and decision != "admis":
        raise EtatIncompatible(
            "Pas d'attestation de réussite : le candidat n'est pas admis au baccalauréat",
            regle="R16, R21",
            code="PAS_ADMIS",
        )
    if nature == "certificat" and certificat is None:
        raise EtatIncompatible(
            "Pas de certificat de fin d'études : il est délivré au candidat ajourné dont la moyenne est au moins "
            "égale à 8 sur 20",
            regle="R31",
            code="SANS_DROIT_AU_CERTIFICAT",
        )


class Document(Agregat):
    """One document issued, under its verification code."""

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return document_id(code)

    @classmethod
    def emettre(
        cls,
        *,
        nature: NatureDocument,
        session: str,
        numero: str | None,
        jury: str | None,
        groupe: int | None,
        decision: str | None,
        empreinte: str,
        version_source: int,
        acte: Acte,
        empreinte_anonyme: str | None = None,
    ) -> Document:
        if acte.role not in ROLES_EMETTEURS:
            raise NonHabilite(
                f"Le rôle {acte.role} ne délivre pas de documents de l'examen (service des examens, recteur)",
                regle="R31",
            )
        if (nature == "pv") != (jury is not None and numero is None):
            raise RefusMetier("Un procès-verbal porte sur un jury, les autres documents sur un candidat")
        return cls(
            code=code_de(empreinte), nature=nature, session=session, numero=numero, jury=jury, groupe=groupe,
            decision=decision, empreinte=empreinte, version_source=version_source, acte=acte,
            empreinte_anonyme=empreinte_anonyme,
        )  # fmt: skip

    @event("DocumentÉmis")
    def __init__(
        self,
        code: str,
        nature: NatureDocument,
        session: str,
        numero: str | None,
        jury: str | None,
        groupe: int | None,
        decision: str | None,
        empreinte: str,
        version_source: int,
        acte: Acte,
        empreinte_anonyme: str | None = None,  # ADR 0023; absent from papers issued before it
    ) -> None:
        self.code = code
        self.nature = nature
        self.session = session
        self.numero = numero
        self.jury = jury
        self.groupe = groupe
        self.decision = decision
        self.empreinte = empreinte
        self.version_source = version_source  # of the candidate or jury the content was derived from
        self.empreinte_anonyme = empreinte_anonyme
