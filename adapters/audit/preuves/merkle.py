"""RFC 6962 (and RFC 9162 §2.1) Merkle tree over the global log: roots, audit paths, consistency proofs.

leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), and for n leaves that are not a power
of two the left subtree holds the largest power of two strictly below n. Pure functions over 32-byte
hashes; the verification functions are the RFC 9162 algorithms, so a third party can re-implement them
from the RFC alone (docs/preuves.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

VIDE = hashlib.sha256(b"").digest()


def hash_feuille(donnees: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + donnees).digest()


def hash_noeud(gauche: bytes, droite: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + gauche + droite).digest()


def coupe(n: int) -> int:
    """The largest power of two strictly below ``n`` (n ≥ 2): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontiere:
    """The perfect subtrees of a growing log (a binary counter): the root of any prefix in O(log n).

    Appending a leaf merges equal-sized subtrees; the root is the right fold of the subtrees, which is
    exactly the RFC's shape (the left part is always the largest power of two below the size).
    """

    def __init__(self, taille: int = 0, noeuds: Sequence[bytes] = ()) -> None:
        if len(noeuds) != taille.bit_count():
            raise ValueError("frontière incohérente avec sa taille")
        self.taille = taille
        self.noeuds = list(noeuds)

    def ajouter(self, feuille: bytes) -> None:
        self.etendre((feuille,))

    def etendre(self, feuilles: Iterable[bytes]) -> None:
        """Append leaves: each merges the equal-sized subtrees at the right end (the left one is the older)."""
        noeuds, n = self.noeuds, self.taille
        for feuille in feuilles:
            nouveau, k = feuille, n
            while k & 1:
                nouveau = hash_noeud(noeuds.pop(), nouveau)
                k >>= 1
            noeuds.append(nouveau)
            n += 1
        self.taille = n

    def racine(self) -> bytes:
        if not self.noeuds:
            return VIDE
        r = self.noeuds[-1]
        for h in reversed(self.noeuds[:-1]):
            r = hash_noeud(h, r)
        return r

    def en_octets(self) -> bytes:
        return b"".join(self.noeuds)

    @classmethod
    def depuis_octets(cls, taille: int, octets: bytes) -> Frontiere:
        return cls(taille, [octets[i : i + 32] for i in range(0, len(octets), 32)])


def racine(feuilles: Iterable[bytes]) -> bytes:
    """MTH of the leaf hashes, in one pass."""
    f = Frontiere()
    for h in feuilles:
        f.ajouter(h)
    return f.racine()


def mth(feuilles: Sequence[bytes], debut: int = 0, fin: int | None = None) -> bytes:
    fin = len(feuilles) if fin is None else fin
    return racine(feuilles[debut:fin])


def chemin_inclusion(feuilles: Sequence[bytes], m: int, taille: int | None = None) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf ``m`` in the tree of the first ``taille``."""
    n = len(feuilles) if taille is None else taille
    if not 0 <= m < n:
        raise ValueError(f"feuille {m} hors d'un arbre de taille {n}")
    chemin: list[bytes] = []
    debut, fin = 0, n
    while fin - debut > 1:
        k = coupe(fin - debut)
        if m - debut < k:
            chemin.append(mth(feuilles, debut + k, fin))
            fin = debut + k
        else:
            chemin.append(mth(feuilles, debut, debut + k))
            debut += k
    return list(reversed(chemin))


def verifier_inclusion(feuille: bytes, m: int, taille: int, chemin: Sequence[bytes], racine_attendue: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``chemin`` prove leaf hash ``feuille`` at index ``m`` under the root?"""
    if not 0 <= m < taille:
        return False
    fn, sn, r = m, taille - 1, feuille
    for p in chemin:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hash_noeud(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = hash_noeud(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == racine_attendue


def preuve_coherence(feuilles: Sequence[bytes], m: int, n: int | None = None) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: the tree of the first ``m`` leaves is a prefix of that of ``n``."""
    n = len(feuilles) if n is None else n
    if not 0 <= m <= n:
        raise ValueError(f"tailles incohérentes : {m} > {n}")
    if m in (0, n):
        return []

    def sous_preuve(m: int, debut: int, fin: int, complet: bool) -> list[bytes]:
        if m == fin - debut:
            return [] if complet else [mth(feuilles, debut, fin)]
        k = coupe(fin - debut)
        if m <= k:
            return [*sous_preuve(m, debut, debut + k, complet), mth(feuilles, debut + k, fin)]
        return [*sous_preuve(m - k, debut + k, fin, False), mth(feuilles, debut, debut + k)]

    return sous_preuve(m, 0, n, True)


def verifier_coherence(m: int, n: int, racine_m: bytes, racine_n: bytes, preuve: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of size ``m`` with ``racine_m`` a prefix of that of size ``n``?"""
    if not 0 <= m <= n:
        return False
    if m == n:
        return not preuve and racine_m == racine_n
    if m == 0:
        return not preuve
    if not preuve:
        return False
    chemin = list(preuve)
    if m & (m - 1) == 0:
        chemin.insert(0, racine_m)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = chemin[0]
    for c in chemin[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = hash_noeud(c, fr)
            sr = hash_noeud(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = hash_noeud(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == racine_m and sr == racine_n and sn == 0
