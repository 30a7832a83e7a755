"""The batch reader's fast paths (issue 14) say exactly what the slow ones say, for any line (hypothesis).

A line without escapes is checked at once — duplicate keys by counting the keys' ends in the line and in the
object orjson kept, forbidden characters by one `isprintable` over the line — instead of walking the object.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.lots.lecture import cle_en_double, textes_verifies
from domain.valeurs import texte_interdit

# Keys and texts drawn from what a hostile file may hold: quotes, colons, blanks, bidi and zero-width marks.
TEXTES = st.text(alphabet=st.sampled_from('ab:" \t\\é\u202e\u200b\u00a0\x00\x1b,{}[]'), max_size=6)
VALEURS = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXTES,
    lambda enfants: st.lists(enfants, max_size=3) | st.lists(st.tuples(TEXTES, enfants), max_size=3),
    max_leaves=8,
)
BLANCS = st.sampled_from(["", " ", "  ", "\t", "\n "])


def ecrire(valeur: Any, blancs: st.DataObject, echapper: bool) -> str:
    """Hand-written JSON: pairs kept as given (duplicates too), blanks anywhere, ASCII escapes or raw UTF-8."""
    if isinstance(valeur, list) and valeur and all(isinstance(e, tuple) for e in valeur):
        paires = [
            f"{json.dumps(k, ensure_ascii=echapper)}{blancs.draw(BLANCS)}:{blancs.draw(BLANCS)}"
            f"{ecrire(v, blancs, echapper)}"
            for k, v in valeur
        ]
        return "{" + ",".join(paires) + "}"
    if isinstance(valeur, list):
        return "[" + f",{blancs.draw(BLANCS)}".join(ecrire(v, blancs, echapper) for v in valeur) + "]"
    return json.dumps(valeur, ensure_ascii=echapper)


class _Double(Exception):
    pass


def reference(brut: bytes) -> bool:
    """A key given twice anywhere, by the standard parser pair by pair."""

    def paires(p: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in p}) != len(p):
            raise _Double
        return dict(p)

    try:
        json.loads(brut, object_pairs_hook=paires)
    except _Double:
        return True
    return False


@st.composite
def lignes(draw: st.DrawFn) -> bytes:
    """A hostile line: pairs as given (duplicates too), blanks anywhere, ASCII escapes or raw UTF-8."""
    paires = draw(st.lists(st.tuples(TEXTES, VALEURS), max_size=4))
    return ecrire(paires, draw(st.data()), draw(st.booleans())).encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None)
@given(lignes())
def test_une_cle_en_double_est_trouvee_par_le_chemin_rapide_comme_par_le_lent(brut: bytes) -> None:
    assert (cle_en_double(brut, orjson.loads(brut)) is not None) == reference(brut)


@settings(max_examples=400, deadline=None)
@given(lignes())
def test_une_ligne_dite_verifiee_n_a_aucun_caractere_interdit(brut: bytes) -> None:
    if textes_verifies(brut, {}):
        assert texte_interdit(orjson.loads(brut)) is None
    assert not textes_verifies(b'{"acteur":"a"}', {"acteur": "dec\u2028"})  # the door's defaults count too
