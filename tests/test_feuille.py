"""A row's leaf (ADR 0008) is one definition: the bytes and hash of every row, however its aggregate id is stored.

SQLite stores the id as text, and `feuille` reads its canonical form without `UUID(…)` (issue 14: half a leaf's
cost). An attacker who rewrites a row's id into another spelling must meet the same bytes, or the same refusal, as
the definition spelled out below with `UUID(…)` gives.
"""

from __future__ import annotations

import hashlib
import struct
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.audit.preuves.chaine import donnees_feuille, feuille, octets_id


def definition(position: int, ident: uuid.UUID | str, version: int, topic: str, etat: bytes) -> tuple[bytes, bytes]:
    """ADR 0008's leaf, spelled out: fixed-width integers, length-prefixed topic and state, SHA-256(0x00 ‖ data)."""
    octets = ident.bytes if isinstance(ident, uuid.UUID) else uuid.UUID(ident).bytes
    sujet = topic.encode("utf-8")
    donnees = b"".join(
        (struct.pack(">Q", position), octets, struct.pack(">Q", version), struct.pack(">I", len(sujet)), sujet,
         struct.pack(">I", len(etat)), etat)
    )  # fmt: skip
    return donnees, hashlib.sha256(b"\x00" + donnees).digest()


HEX = "0123456789abcdefABCDEF"
# Texts of the canonical shape, and near it: hyphens where expected or not, blanks, underscores, signs, braces.
PRESQUE = st.text(alphabet=HEX + "- _+{}\t:é0", min_size=30, max_size=40)
CANONIQUE = st.uuids().map(str)


@given(
    position=st.integers(0, 2**63 - 1),
    ident=st.one_of(st.uuids(), CANONIQUE, CANONIQUE.map(str.upper), st.uuids().map(lambda u: u.hex), PRESQUE),
    version=st.integers(0, 2**63 - 1),
    topic=st.text(max_size=40),
    etat=st.binary(max_size=300),
)
def test_la_feuille_est_celle_de_la_definition_quelle_que_soit_l_ecriture_de_l_identifiant(
    position: int, ident: uuid.UUID | str, version: int, topic: str, etat: bytes
) -> None:
    try:
        attendu = definition(position, ident, version, topic, etat)
    except ValueError:
        with pytest.raises(ValueError):
            octets_id(ident)
        return
    assert donnees_feuille(position, ident, version, topic, etat) == attendu[0]
    assert feuille(position, ident, version, topic, etat) == attendu[1]


def test_un_identifiant_reecrit_dans_une_autre_graphie_donne_ce_que_uuid_donne() -> None:
    """Spellings `UUID(…)` reads differently from its canonical form: a trailing blank is read as a 31-digit id, an
    underscore or a sign is refused. The fast path must not change either answer."""
    u = str(uuid.uuid4())
    h = uuid.UUID(u).hex  # the library's own spelling on SQLite: 32 digits, and spellings near it
    for ecrit in (
        u[:35] + " ", u[:2] + " " + u[3:], u.replace("-", "_"), u[:9] + "+" + u[10:], u.upper(),
        h, h.upper(), h[:31] + " ", " " + h[1:], h[:10] + "_" + h[11:], h[:31] + "g", "{" + h[1:31] + "}",
    ):  # fmt: skip
        try:
            attendu = uuid.UUID(ecrit).bytes
        except ValueError:
            with pytest.raises(ValueError):
                octets_id(ecrit)
            continue
        assert octets_id(ecrit) == attendu
