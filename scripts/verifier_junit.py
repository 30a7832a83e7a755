#!/usr/bin/env python3
"""Fail if the JUnit report shows no test run, or PostgreSQL tests skipped or absent."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(chemin: str) -> int:
    racine = ET.parse(chemin).getroot()
    cas = list(racine.iter("testcase"))
    pg = [c for c in cas if "postgres" in (c.get("name", "") + c.get("classname", "")).lower()]
    pg_sautes = [c for c in pg if c.find("skipped") is not None]
    if not cas:
        print("verifier_junit: aucun test exécuté", file=sys.stderr)
        return 1
    if not pg or pg_sautes:
        print(f"verifier_junit: tests PostgreSQL {len(pg)} trouvés, {len(pg_sautes)} sautés", file=sys.stderr)
        return 1
    print(f"verifier_junit: {len(cas)} tests, dont {len(pg)} sur PostgreSQL, aucun sauté")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
