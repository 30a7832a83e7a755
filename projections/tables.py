"""Read-model tables (SQLAlchemy Core), in the same database as the event log (ADR 0005)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, LargeBinary, MetaData, String, Table

metadonnees = MetaData()

# One row per projection: the last notification id applied, written in the same transaction as its rows.
positions = Table(
    "projection_positions",
    metadonnees,
    Column("projection", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
)

etat_candidats = Table(
    "etat_candidats",
    metadonnees,
    Column("candidat_id", String(36), primary_key=True),
    Column("session", String(60), nullable=False, index=True),
    Column("numero", String(12), nullable=False),
    Column("voie", String(20), nullable=False),
    Column("serie", String(20)),
    Column("categorie", String(40), nullable=False),
    Column("jury", String(20)),
    Column("notes_saisies", Integer, nullable=False),
    Column("epreuves_attendues", Integer, nullable=False),
    Column("statut", String(40), nullable=False),
    # Last deliberation (R16, R21, R23): decision, groupe, mention; totals as exact decimal strings (Q1).
    Column("decision", String(40)),
    Column("groupe", Integer),
    Column("mention", String(40)),
    Column("moyenne", String(12)),
    Column("total_points", String(20)),
    Column("total_coefficients", String(20)),
    Column("version", Integer, nullable=False),
    Column("modifie_le", DateTime(timezone=True), nullable=False),
)

# Tamper evidence (ADR 0008): one row per stored event, in log order — the leaf hash of the stored record
# and the hash chained over the previous one. ``rang`` is the leaf's index in the Merkle tree.
chaine_journal = Table(
    "chaine_journal",
    metadonnees,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("rang", BigInteger, nullable=False, unique=True),
    Column("feuille", LargeBinary(32), nullable=False),
    Column("chaine", LargeBinary(32), nullable=False),
)

# Roots of the Merkle tree's complete blocks of leaves (adapters/audit/preuves/arbre.py): derived from the leaves
# above, kept the first time a proof needs them, so that a proof reads two blocks of leaves, not the whole log.
merkle_blocs = Table(
    "merkle_blocs",
    metadonnees,
    Column("taille_bloc", BigInteger, primary_key=True, autoincrement=False),
    Column("bloc", BigInteger, primary_key=True, autoincrement=False),
    Column("racine", LargeBinary(32), nullable=False),
)

# The Merkle frontier after the last chained leaf (the root of the whole log in O(log n)), one row.
merkle_frontiere = Table(
    "merkle_frontiere",
    metadonnees,
    Column("nom", String(32), primary_key=True),
    Column("taille", BigInteger, nullable=False),
    Column("noeuds", LargeBinary, nullable=False),
)

# Results statistics (R44–R47, Q10–Q12): one row per candidate, its presence and its outcome at each
# publication stage; `bac statistiques` aggregates them (projections/statistiques.py).
statistiques_candidats = Table(
    "statistiques_candidats",
    metadonnees,
    Column("candidat_id", String(36), primary_key=True),
    Column("session", String(60), nullable=False, index=True),
    Column("voie", String(20), nullable=False),
    Column("serie", String(20)),
    Column("groupe_pro", String(20)),  # Production / Services by NSF code (R43, Q13)
    Column("present", Integer, nullable=False),  # Q10: sat at least one épreuve, or keeps a grade
    Column("issue_provisoire", String(40)),  # after the premier groupe (R45)
    Column("issue_second_groupe", String(40)),  # after the second groupe (R47)
    Column("issue_finale", String(40)),  # after the replacement épreuves (R47, Q15)
    Column("remplacement", Integer, nullable=False),
    Column("modifie_le", DateTime(timezone=True), nullable=False),
)

# Explicit rebuilds of the chain over a log that had one (`bac rechainer`, ADR 0013): who, when, why, and the
# tree head it ended at. `bac verifier` lists them: what lay after the last seal then rests on outside anchors.
chaine_reconstructions = Table(
    "chaine_reconstructions",
    metadonnees,
    Column("numero", Integer, primary_key=True, autoincrement=True),
    Column("le", DateTime(timezone=True), nullable=False),
    Column("acteur", String(200), nullable=False),
    Column("raison", String(500), nullable=False),
    Column("taille", BigInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("racine", String(64), nullable=False),
    Column("dernier_sceau", BigInteger, nullable=False),  # size covered by the last seal at the time
)
