"""Domain errors: every refusal a user can cause names its rule and carries a stable code.

The CLI prints ``message`` (in French, for exam offices) without a traceback; services
match on ``code``. Nothing is stored when one is raised: guards run before any event.
"""

from __future__ import annotations


class RefusMetier(Exception):
    """A command refused by a rule of the règlement or an invariant of the registry."""

    code: str = "REFUS"

    def __init__(self, message: str, *, regle: str | None = None, code: str | None = None) -> None:
        self.message = message
        self.regle = regle
        if code is not None:
            self.code = code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.regle:
            return f"{self.message} ({self.regle})"
        return self.message


class Introuvable(RefusMetier):
    """The command names a session, candidate, jury or épreuve that does not exist."""

    code = "INTROUVABLE"


class NoteInvalide(RefusMetier):
    """A grade outside the scale of its épreuve (R13, R14)."""

    code = "NOTE_INVALIDE"


class DejaFait(RefusMetier):
    """The act was already recorded (a duplicate inscription, a second deliberation…)."""

    code = "DEJA_FAIT"


class EtatIncompatible(RefusMetier):
    """The aggregate is not in a state where the command makes sense."""

    code = "ETAT_INCOMPATIBLE"


class ReglementInvalide(Exception):
    """A règlement data file that fails validation: a bug in shipped data, not a user refusal."""


class NonHabilite(RefusMetier):
    """The verified actor holds no habilitation covering this act (role, scope, dates; R26 chain of authority)."""

    code = "NON_HABILITE"


class JournalAltere(RefusMetier):
    """The log or its proofs do not verify (ADR 0008): a damaged registry, exit status 3."""

    code = "JOURNAL_ALTERE"
