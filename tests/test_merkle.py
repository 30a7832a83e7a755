"""RFC 6962 Merkle tree: roots, audit paths and consistency proofs (tamper evidence, R52, ADR 0008)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.audit.preuves.merkle import (
    Frontiere,
    chemin_inclusion,
    hash_feuille,
    hash_noeud,
    preuve_coherence,
    racine,
    verifier_coherence,
    verifier_inclusion,
)

# Test vectors of the certificate-transparency reference implementation (RFC 6962 trees of 1…8 leaves).
DONNEES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
RACINES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
FEUILLES = [hash_feuille(bytes.fromhex(d)) for d in DONNEES]


def mth_rfc(feuilles: list[bytes]) -> bytes:
    """MTH exactly as RFC 6962 §2.1 writes it (recursive), as a reference."""
    if not feuilles:
        return hashlib.sha256(b"").digest()
    if len(feuilles) == 1:
        return feuilles[0]
    k = 1
    while k * 2 < len(feuilles):
        k *= 2
    return hash_noeud(mth_rfc(feuilles[:k]), mth_rfc(feuilles[k:]))


def feuilles(n: int) -> list[bytes]:
    return [hash_feuille(i.to_bytes(4, "big")) for i in range(n)]


@pytest.mark.parametrize("n", range(1, 9))
def test_racines_des_vecteurs_de_reference(n: int) -> None:
    assert racine(FEUILLES[:n]).hex() == RACINES[n - 1]


def test_arbre_vide() -> None:
    assert racine([]) == hashlib.sha256(b"").digest()


@given(st.integers(min_value=0, max_value=70))
def test_frontiere_forme_de_la_rfc(n: int) -> None:
    f = Frontiere()
    for h in feuilles(n):
        f.ajouter(h)
    assert f.racine() == mth_rfc(feuilles(n))
    relue = Frontiere.depuis_octets(f.taille, f.en_octets())
    assert relue.racine() == f.racine()


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 13, 16, 33])
def test_chemins_d_inclusion(n: int) -> None:
    fs = feuilles(n)
    r = racine(fs)
    for m in range(n):
        chemin = chemin_inclusion(fs, m)
        assert verifier_inclusion(fs[m], m, n, chemin, r)
        assert not verifier_inclusion(hash_feuille(b"autre"), m, n, chemin, r)
        if n > 1:
            assert not verifier_inclusion(fs[m], (m + 1) % n, n, chemin, r)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31])
def test_preuves_de_coherence(n: int) -> None:
    fs = feuilles(n)
    for m in range(n + 1):
        preuve = preuve_coherence(fs, m, n)
        assert verifier_coherence(m, n, racine(fs[:m]), racine(fs), preuve)
        if 0 < m < n:
            faux = [hash_feuille(b"x"), *preuve[1:]]
            assert not verifier_coherence(m, n, racine(fs[:m]), racine(fs), faux)
            autre = [*fs[: m - 1], hash_feuille(b"modifiee"), *fs[m:]]
            assert not verifier_coherence(m, n, racine(autre[:m]), racine(fs), preuve)


def test_un_prefixe_reecrit_n_est_pas_coherent() -> None:
    fs = feuilles(10)
    reecrit = [hash_feuille(b"faux"), *fs[1:]]
    preuve = preuve_coherence(reecrit, 4, 10)
    assert not verifier_coherence(4, 10, racine(fs[:4]), racine(reecrit), preuve)
