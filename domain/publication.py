"""What may be published of a results statistic (Q12): the small-population threshold, read from data.

A rate computed on a handful of présents says nothing (Q12, the Besançon académie's "non significatif");
such a cell keeps its counts in the read model but its rate and evolution are not published, and the reason
is printed in their place. The threshold is data (``publication.toml``), flagged unconfirmed there.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import Field

from domain.modele import Immutable


class Masquage(Immutable):
    seuil_presents: int = Field(ge=1, le=1000)
    confirme: bool
    regle: str
    motif: str

    def raison(self, presents: int) -> str | None:
        """Why this population's rate is not published; ``None`` when it may be (none without présents:
        "n/a" already says it)."""
        if presents == 0 or presents >= self.seuil_presents:
            return None
        return f"{self.motif.format(seuil=self.seuil_presents)} ({self.regle})"


@cache
def masquage() -> Masquage:
    texte = resources.files("domain").joinpath("publication.toml").read_text(encoding="utf-8")
    return Masquage.model_validate(tomllib.loads(texte)["masquage"])
