"""Credentials: a secret token per actor, issued once, recorded only as an argon2 hash, verified in constant time.

A token reads ``bac1.<actor, base64url>.<token id>.<secret>``: the actor and id only say where to look (they are
not secret); the 256-bit secret is checked against the argon2id hash of the `JetonÉmis` event. A verified token
is remembered for this process by its SHA-256 (never the token itself), so a client's next request costs no
argon2 again; whether the token and the habilitations are still valid is read from the log on every request.
Tokens never reach a log line, an error message or an event (ADR 0017).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from adapters.application.erreurs import NonAuthentifie
from domain.habilitation import Habilitation

PREFIXE = "bac1"
LONGUEUR_MAX = 400  # bounded before it is parsed (STYLE: every input is bounded)

# The secret has 256 bits of entropy: the hash's cost protects nothing a brute force could reach, it only keeps
# a copied log from serving as a token list. ``BAC_ARGON2=rapide`` (the test suite) makes issuing cheap; the
# parameters travel inside each hash, so verification follows whatever issued it.
_COUTS = {"standard": (2, 19456), "rapide": (1, 1024)}


def _hacheur() -> PasswordHasher:
    temps, memoire = _COUTS.get(os.environ.get("BAC_ARGON2", "standard"), _COUTS["standard"])
    return PasswordHasher(time_cost=temps, memory_cost=memoire, parallelism=1)


@dataclass(frozen=True)
class Principal:
    """The verified caller: made only by `Verificateur.verifier` (or the registry's bootstrap)."""

    acteur: str
    jeton_id: str


@dataclass(frozen=True)
class JetonNeuf:
    """A token just issued: ``texte`` is shown once to whoever asked for it, then forgotten."""

    acteur: str
    jeton_id: str
    texte: str
    empreinte: str

    def __repr__(self) -> str:  # never printed by accident in a log or a traceback
        return f"JetonNeuf(acteur={self.acteur!r}, jeton_id={self.jeton_id!r}, texte=***)"


def _b64(texte: str) -> str:
    return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")


def emettre(acteur: str) -> JetonNeuf:
    jeton_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return JetonNeuf(
        acteur=acteur,
        jeton_id=jeton_id,
        texte=f"{PREFIXE}.{_b64(acteur)}.{jeton_id}.{secret}",
        empreinte=_hacheur().hash(secret),
    )


def decomposer(texte: str) -> tuple[str, str, str]:
    """The actor, token id and secret a token names, or `NonAuthentifie` (the token is never echoed)."""
    if not texte or len(texte) > LONGUEUR_MAX or not texte.isascii():
        raise NonAuthentifie()
    morceaux = texte.strip().split(".")
    if len(morceaux) != 4 or morceaux[0] != PREFIXE:
        raise NonAuthentifie()
    try:
        acteur = base64.urlsafe_b64decode(morceaux[1] + "=" * (-len(morceaux[1]) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NonAuthentifie() from None
    if not acteur or not morceaux[2] or not morceaux[3]:
        raise NonAuthentifie()
    return acteur, morceaux[2], morceaux[3]


class Verificateur:
    """Verifies tokens against the actors' `Habilitation` aggregates; remembers verified ones by digest."""

    def __init__(self) -> None:
        self._verifies: dict[str, tuple[str, str]] = {}  # sha256(token) -> (actor, argon2 hash it matched)

    def verifier(self, texte: str | None, habilitation_de: object, instant: datetime) -> Principal:
        """``habilitation_de(acteur)`` gives the actor's aggregate or None."""
        if texte is None:
            raise NonAuthentifie("Identifiant de connexion absent : présenter un jeton (en-tête Authorization: "
                                 "Bearer …, ou BAC_JETON pour la ligne de commande)")  # fmt: skip
        acteur, jeton_id, secret = decomposer(texte)
        habilitation = habilitation_de(acteur)  # type: ignore[operator]
        if not isinstance(habilitation, Habilitation):
            _hacheur_leurre(secret)  # same cost whether or not the actor exists
            raise NonAuthentifie()
        jeton = habilitation.jeton(jeton_id, instant)
        if jeton is None:
            _hacheur_leurre(secret)
            raise NonAuthentifie("Jeton inconnu, expiré ou révoqué", code="JETON_INVALIDE")
        empreinte_requete = hashlib.sha256(texte.encode()).hexdigest()
        connu = self._verifies.get(empreinte_requete)
        if connu is not None and hmac.compare_digest(connu[1], jeton.empreinte) and connu[0] == acteur:
            return Principal(acteur=acteur, jeton_id=jeton_id)
        try:
            _hacheur().verify(jeton.empreinte, secret)  # argon2's own comparison is constant-time
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise NonAuthentifie("Jeton invalide", code="JETON_INVALIDE") from None
        if len(self._verifies) > 10_000:
            self._verifies.clear()
        self._verifies[empreinte_requete] = (acteur, jeton.empreinte)
        return Principal(acteur=acteur, jeton_id=jeton_id)


_LEURRE = _hacheur().hash(secrets.token_urlsafe(32))


def _hacheur_leurre(secret: str) -> None:
    with contextlib.suppress(VerificationError):
        _hacheur().verify(_LEURRE, secret)
