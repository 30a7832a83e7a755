#!/usr/bin/env python3
"""Run a command beside a throw-away PostgreSQL server on 127.0.0.1, then remove the server.

    python scripts/avec_postgres.py -- pytest -q

Installs PostgreSQL with apt-get when no server binaries are found (CI's fresh machine), starts
a private cluster in a temporary directory (trust auth, loopback only, a free port), exports
``BAC_TEST_PG_URL`` to the command, and always stops and deletes the cluster afterwards.
Standard library only: it runs before the virtualenv has anything installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def trouver_binaires() -> Path | None:
    candidats = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        sortie = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if sortie:
            candidats.append(Path(sortie))
    candidats += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for dossier in candidats:
        if (dossier / "initdb").exists() and (dossier / "pg_ctl").exists():
            return dossier
    return None


def installer() -> Path:
    print("avec_postgres: PostgreSQL absent, installation par apt-get…", file=sys.stderr)
    prefixe = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefixe, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*prefixe, "apt-get", "install", "-y", "-q", "postgresql"], check=True, env=env)
    dossier = trouver_binaires()
    if dossier is None:
        sys.exit("avec_postgres: PostgreSQL installé mais initdb introuvable")
    return dossier


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    if "--" not in sys.argv:
        sys.exit("usage: avec_postgres.py -- commande [arguments]")
    commande = sys.argv[sys.argv.index("--") + 1 :]
    binaires = trouver_binaires() or installer()
    racine = Path(tempfile.mkdtemp(prefix="bac-pg-"))
    donnees, socket_dir = racine / "donnees", racine
    # initdb refuses to run as root: the cluster belongs to the 'postgres' system user then.
    en_tant_que: list[str] = []
    if os.geteuid() == 0:
        utilisateur = pwd.getpwnam("postgres")
        os.chown(racine, utilisateur.pw_uid, utilisateur.pw_gid)
        en_tant_que = ["runuser", "-u", "postgres", "--"]
    port = port_libre()
    journal = racine / "postgres.log"
    try:
        subprocess.run(
            [
                *en_tant_que,
                str(binaires / "initdb"),
                "-D",
                str(donnees),
                "-U",
                "bac",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        subprocess.run(
            [
                *en_tant_que,
                str(binaires / "pg_ctl"),
                "-D",
                str(donnees),
                "-l",
                str(journal),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    [str(binaires / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True, check=False
                ).returncode
                == 0
            ):
                break
            time.sleep(0.2)
        subprocess.run(
            [str(binaires / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "bac", "bac_test"], check=True
        )
        env = dict(os.environ, BAC_TEST_PG_URL=f"postgresql+psycopg://bac@127.0.0.1:{port}/bac_test")
        print(f"avec_postgres: serveur PostgreSQL jetable sur 127.0.0.1:{port}", file=sys.stderr)
        return subprocess.run(commande, env=env, check=False).returncode
    finally:
        subprocess.run(
            [*en_tant_que, str(binaires / "pg_ctl"), "-D", str(donnees), "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(racine, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
