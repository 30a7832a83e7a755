"""Proofs from the kept roots of the tree's blocks (adapters/audit/preuves/arbre.py; R52, ADR 0008, issue 14).

A proof reads two blocks of leaves and the blocks' roots, not the whole log: the paths must be RFC 6962's, bit
for bit, whatever the block size, the tree's size and what is already kept; and a kept root is derived data,
never trusted: rewritten, the proofs still verify (computed again from the leaves) and `bac verifier` names it.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, select, update

from adapters.application.service import ServiceRegistre
from adapters.audit.preuves.arbre import Arbre
from adapters.audit.preuves.chaine import effacer_chaine
from adapters.audit.preuves.inclusion import preuves_de
from adapters.audit.preuves.merkle import chemin_inclusion
from adapters.audit.preuves.verification import verifier_journal
from domain import ids
from domain.errors import JournalAltere
from projections.tables import chaine_journal, merkle_blocs, metadonnees
from tests.scenario import SESSION
from tests.test_deliberation_stores import jury_delibere


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 160), bloc=st.sampled_from([1, 2, 4, 8, 16]), data=st.data())
def test_r52_chemins_par_blocs_ceux_de_la_rfc(n: int, bloc: int, data: st.DataObject) -> None:
    """Given a chain of n leaves, when the paths of a tree of its first `taille` leaves are computed a block at a
    time, first with nothing kept, then from the roots kept by the first computation, then each is the path RFC
    6962 computes from every leaf."""
    taille = data.draw(st.integers(1, n))
    moteur = create_engine("sqlite://")
    metadonnees.create_all(moteur)
    feuilles = [os.urandom(32) for _ in range(n)]
    with moteur.begin() as connexion:
        lignes = [
            {"position": 10 + 3 * i, "rang": i, "feuille": f, "chaine": bytes(32)} for i, f in enumerate(feuilles)
        ]
        connexion.execute(insert(chaine_journal), lignes)
    attendus = [chemin_inclusion(feuilles[:taille], m) for m in range(taille)]
    premier = Arbre(moteur, taille, bloc=bloc)
    assert [premier.chemin(m) for m in range(taille)] == attendus
    premier.garder()
    second = Arbre(moteur, taille, bloc=bloc)
    assert [second.chemin(m) for m in range(taille)] == attendus
    assert second.utilise_gardees == (taille > bloc)  # a complete block's root serves the leaves after it
    assert not second.nouvelles


def test_r52_racine_de_bloc_gardee_reecrite(url_persistante: str) -> None:
    """Given a deliberated jury whose proofs, with blocks of 4 leaves, kept the blocks' roots, when one kept root
    is rewritten, then the candidate's proofs are the same and all verify (computed again from the leaves), `bac
    verifier` reports the rewritten root at its block, and erasing the chain (`rechainer`) erases the kept roots."""
    with ServiceRegistre(url_persistante) as service:
        jury_delibere(service)
        registre, moteur = service.registre, service.moteur
        candidat = ids.candidat_id(SESSION, "00000001")
        entiere = preuves_de(registre, moteur, candidat)  # one block of 2**16: every path from the leaves
        par_blocs = preuves_de(registre, moteur, candidat, bloc=4)
        with moteur.connect() as connexion:
            gardees = connexion.execute(select(merkle_blocs.c.bloc).where(merkle_blocs.c.taille_bloc == 4)).all()
        assert len(gardees) > 2 and par_blocs == entiere and all(p.verifiee for p in entiere.preuves)
        assert preuves_de(registre, moteur, candidat, bloc=4) == entiere  # from the kept roots now
        assert verifier_journal(registre, moteur, processus=1, bloc=4).valide

        with moteur.begin() as connexion:
            connexion.execute(
                update(merkle_blocs).where(merkle_blocs.c.taille_bloc == 4, merkle_blocs.c.bloc == 1)
                .values(racine=bytes(32))
            )  # fmt: skip
        assert preuves_de(registre, moteur, candidat, bloc=4) == entiere
        rapport = verifier_journal(registre, moteur, processus=1, bloc=4)
        assert not rapport.valide and [d.nature for d in rapport.defauts] == ["bloc"]
        assert "bloc 1 de 4 feuilles" in rapport.defauts[0].message

        effacer_chaine(moteur)
        with moteur.connect() as connexion:
            assert connexion.execute(select(merkle_blocs)).all() == []


def test_r52_chaine_plus_courte_que_l_arbre_scelle() -> None:
    """Given a chain table of 10 leaves, when a path is asked in a sealed tree of 12 (a chain cut short), then the
    refusal names the missing leaves and the rule, instead of a path computed over what is left."""
    moteur = create_engine("sqlite://")
    metadonnees.create_all(moteur)
    with moteur.begin() as connexion:
        lignes = [{"position": i + 1, "rang": i, "feuille": os.urandom(32), "chaine": bytes(32)} for i in range(10)]
        connexion.execute(insert(chaine_journal), lignes)
    with pytest.raises(JournalAltere) as refus:
        Arbre(moteur, 12, bloc=4).chemin(0)
    assert refus.value.regle == "R52" and "n'a que 2 des feuilles 8 à 11" in refus.value.message
