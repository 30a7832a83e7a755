"""Proofs of integrity: hash chain, Merkle tree (RFC 6962), seals of deliberations and their verification."""
