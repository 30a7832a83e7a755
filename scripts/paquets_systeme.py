#!/usr/bin/env python3
"""Install with apt-get the Debian packages the registry needs, when they are missing (a fresh machine, CI).

    python scripts/paquets_systeme.py pdf          # Pango and fonts for WeasyPrint (make demo, make test)
    python scripts/paquets_systeme.py navigateur   # Chromium and ChromeDriver for the browser tests (make test)
    python scripts/paquets_systeme.py npm          # Node's npm, to install the DSFR and axe-core (ADR 0021)

Like scripts/avec_postgres.py: standard library only (it runs before the virtualenv has anything), root or
passwordless sudo, and nothing done when everything is already there.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path


def manque_pdf() -> list[str]:
    paquets = []
    if not ctypes.util.find_library("pango-1.0") or not ctypes.util.find_library("pangoft2-1.0"):
        paquets += ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"]
    if not list(Path("/usr/share/fonts").rglob("DejaVuSans.ttf")):
        paquets.append("fonts-dejavu-core")
    return paquets


def manque_navigateur() -> list[str]:
    paquets = []
    if not Path("/usr/bin/chromium").exists():
        paquets.append("chromium")
    if not Path("/usr/bin/chromedriver").exists():
        paquets.append("chromium-driver")
    return paquets


def manque_npm() -> list[str]:
    return [] if shutil.which("npm") else ["nodejs", "npm"]


GROUPES = {"pdf": manque_pdf, "navigateur": manque_navigateur, "npm": manque_npm}


def main() -> int:
    inconnus = [g for g in sys.argv[1:] if g not in GROUPES]
    if not sys.argv[1:] or inconnus:
        sys.exit(f"usage: paquets_systeme.py {{{'|'.join(GROUPES)}}}…")
    paquets = sorted({p for g in sys.argv[1:] for p in GROUPES[g]()})
    if not paquets:
        return 0
    print(f"paquets_systeme: installation par apt-get de {' '.join(paquets)}…", file=sys.stderr)
    prefixe = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefixe, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(
        [*prefixe, "apt-get", "install", "-y", "-q", "--no-install-recommends", *paquets], check=True, env=env
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
