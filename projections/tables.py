"""Read-model tables (SQLAlchemy Core), in the same database as the event log (ADR 0005)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table

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
