"""What auditors and regulators ask: history, diff, time travel, explanation, and the proofs.

Proofs: hash chain, Merkle tree, seals, verification. Imports domain, projections and adapters.stockage."""
