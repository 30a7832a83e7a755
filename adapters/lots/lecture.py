"""Reading a batch: a bounded stream of lines split on ``\\n`` only, each a strict JSON object and a command.

The file is never held whole in memory: it is read line by line (each line bounded), twice at most — once
for its fingerprint, once to validate and plan (ADR 0015). Only regular files are read: a FIFO, a device
(``/dev/zero``) or a directory is refused before it is opened for reading, so nothing can block or grow forever.
Each command is given its identity: its ``id``, or the sha256 of its canonical JSON.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from adapters.lots.erreurs_validation import court, traduire
from domain.commandes import COMMANDE
from domain.valeurs import TEXTES_VERIFIES

LIMITE_LOT_OCTETS = 1 << 30  # 1 Gio: a national results day is ≈ 250 Mo of JSON Lines
LIMITE_LIGNE_OCTETS = 4 << 20  # 4 Mio: the largest command (an harmonisation of 20,000 grades) is ≈ 1.2 Mo
LIMITE_ERREURS = 1000  # errors listed in one answer; the others are counted
ESPACES_JSON = b" \t\r\n"
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ErreurLigne:
    ligne: int | None  # None: a single command, not a line of a batch
    champ: str
    message: str
    regle: str | None = None
    code: str = "INVALIDE"

    def __str__(self) -> str:
        regle = f" [{self.regle}]" if self.regle else ""
        ou = f"ligne {self.ligne} — " if self.ligne is not None else ""
        return f"{ou}{self.champ} : {self.message}{regle}"


class LotRefuse(Exception):
    def __init__(self, erreurs: list[ErreurLigne], *, deja_appliquees: int = 0) -> None:
        self.erreurs = erreurs
        self.deja_appliquees = deja_appliquees
        super().__init__(f"{len(erreurs)} ligne(s) refusée(s)")


def refus_fichier(message: str, code: str) -> LotRefuse:
    return LotRefuse([ErreurLigne(None, "(fichier)", message, code=code)])


@dataclass(frozen=True)
class Source:
    """A batch's content, re-readable: bytes in memory (tests, a door's body) or a regular file."""

    contenu: bytes | None = None
    chemin: Path | None = None

    def ouvrir(self) -> IO[bytes]:
        if self.contenu is not None:
            return io.BytesIO(self.contenu)
        assert self.chemin is not None
        return ouvrir_fichier_ordinaire(self.chemin)


def ouvrir_fichier_ordinaire(chemin: Path) -> IO[bytes]:
    """The file opened for reading, if it is a regular file of bounded size; never blocks on a FIFO."""
    try:
        # O_NONBLOCK: opening a FIFO without a writer would wait forever; fstat then tells what it is.
        descripteur = os.open(chemin, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise refus_fichier(f"fichier illisible : {court(str(chemin))} ({e.strerror})", "FICHIER_ILLISIBLE") from None
    try:
        etat = os.fstat(descripteur)
        if not stat.S_ISREG(etat.st_mode):
            raise refus_fichier(
                f"{court(str(chemin))} n'est pas un fichier ordinaire (tube, périphérique ou dossier) : "
                "enregistrer le lot dans un fichier",
                "ENTREE_NON_FICHIER",
            )
        if etat.st_size > LIMITE_LOT_OCTETS:
            raise trop_grand(etat.st_size)
        os.set_blocking(descripteur, True)
        return os.fdopen(descripteur, "rb")
    except BaseException:
        os.close(descripteur)
        raise


def trop_grand(taille: int) -> LotRefuse:
    return refus_fichier(
        f"lot trop volumineux ({taille} octets ; au plus {LIMITE_LOT_OCTETS} octets) : "
        "le découper en plusieurs fichiers",
        "ENTREE_TROP_GRANDE",
    )


def lignes_brutes(flux: IO[bytes], empreinte: Any | None = None) -> Iterator[tuple[int, bytes | None]]:
    """(number, line without its ``\\n``) for every line; ``None`` for a line over the limit (skipped, bounded).

    Lines are split on ``\\n`` only (not U+2028, U+2029, U+0085… which JSON strings may hold), so numbers are
    the ones an editor shows. ``empreinte`` (a hashlib object) sees every byte read.
    """
    numero, lus = 0, 0
    while True:
        brut = flux.readline(LIMITE_LIGNE_OCTETS + 1)
        if not brut:
            return
        numero += 1
        lus += len(brut)
        if empreinte is not None:
            empreinte.update(brut)
        if len(brut) > LIMITE_LIGNE_OCTETS and not brut.endswith(b"\n"):
            while brut and not brut.endswith(b"\n"):  # the rest of the long line, in bounded pieces
                brut = flux.readline(1 << 20)
                lus += len(brut)
                if empreinte is not None:
                    empreinte.update(brut)
                if lus > LIMITE_LOT_OCTETS:
                    raise trop_grand(lus)
            yield numero, None
            continue
        if lus > LIMITE_LOT_OCTETS:
            raise trop_grand(lus)  # a file that grows while it is read
        yield numero, brut[:-1] if brut.endswith(b"\n") else brut


def empreinte_de(source: Source) -> str:
    """The sha256 of the content, read as a bounded stream (the batch's correlation id is derived from it)."""
    h = hashlib.sha256()
    with source.ouvrir() as flux:
        for _ in lignes_brutes(flux, h):
            pass
    return h.hexdigest()


# One JSON object per line, strictly -----------------------------------------------------------------


def _compter(valeur: Any) -> tuple[int, int]:
    """(object entries, ':' inside strings) of a parsed value."""
    if isinstance(valeur, str):
        return 0, valeur.count(":")
    entrees, deux_points = 0, 0
    if isinstance(valeur, dict):
        for cle, v in valeur.items():
            e, d = _compter(v)
            entrees += 1 + e
            deux_points += cle.count(":") + d
    elif isinstance(valeur, list):
        for v in valeur:
            e, d = _compter(v)
            entrees += e
            deux_points += d
    return entrees, deux_points


FIN_DE_CLE = re.compile(rb'"[ \t\r\n]*:')


class _CleEnDouble(Exception):
    pass


def _sans_doublon(paires: list[tuple[str, Any]]) -> dict[str, Any]:
    vues: set[str] = set()
    for cle, _ in paires:
        if cle in vues:
            raise _CleEnDouble(cle)
        vues.add(cle)
    return dict(paires)


def cle_en_double(brut: bytes, donnees: Any) -> str | None:
    """A key given twice in one object (orjson silently keeps the last one), or None.

    Fast path: without ``\\u`` escapes, every ':' of the line is either a key's or inside a string, so the
    counts match exactly when no key was dropped. Otherwise the standard parser decides, pair by pair.
    """
    if b"\\" not in brut:
        # No escape: every string of the object is a piece of the line as it is, and orjson writes it back
        # unchanged, so the keys' ends (a quote, blanks, a colon) are counted alike in both unless one was dropped.
        if len(FIN_DE_CLE.findall(brut)) == len(FIN_DE_CLE.findall(orjson.dumps(donnees))):
            return None
    elif b"\\u" not in brut:
        entrees, dans_les_textes = _compter(donnees)
        if brut.count(b":") == entrees + dans_les_textes:
            return None
    try:
        json.loads(brut, object_pairs_hook=_sans_doublon)
    except _CleEnDouble as e:
        return str(e.args[0])
    except ValueError:
        return None
    return None


def objet_json(brut: bytes | str, ligne: int | None = None) -> dict[str, Any]:
    """One JSON object, strictly (UTF-8, no duplicate key), or `LotRefuse` saying why at that line."""
    octets = brut.encode("utf-8", "surrogatepass") if isinstance(brut, str) else brut
    if ligne == 1 and octets.startswith(BOM):
        octets = octets[len(BOM) :]
    try:
        donnees = orjson.loads(octets)
    except orjson.JSONDecodeError as e:
        try:
            octets.decode("utf-8")
        except UnicodeDecodeError as u:
            raise LotRefuse(
                [
                    ErreurLigne(
                        ligne, "(ligne)", f"texte non UTF-8 (octet invalide à la position {u.start})", code="ENCODAGE"
                    )
                ]
            ) from None
        raise LotRefuse(
            [ErreurLigne(ligne, "(ligne)", f"JSON mal formé : {court(str(e), 120)}", code="JSON_INVALIDE")]
        ) from None
    if not isinstance(donnees, dict):
        raise LotRefuse(
            [
                ErreurLigne(
                    ligne,
                    "(ligne)",
                    "un objet JSON { … } est attendu, pas une liste ni une valeur",
                    code="JSON_INVALIDE",
                )
            ]
        )
    double = cle_en_double(octets, donnees)
    if double is not None:
        raise LotRefuse(
            [ErreurLigne(ligne, court(double), "clé donnée deux fois dans le même objet JSON", code="CLE_EN_DOUBLE")]
        )
    return donnees


def textes_verifies(brut: bytes, defauts: dict[str, str]) -> bool:
    """True when no key or text of the line can hold a control or format character (domain.valeurs), known from
    the raw line at once: no escape (each string is a piece of the line) and every character printable."""
    if b"\\" in brut:
        return False
    try:
        texte = brut.strip(ESPACES_JSON).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return texte.isprintable() and all(v.isprintable() for v in defauts.values())


def commande_de(donnees: dict[str, Any], ligne: int | None = None, *, verifies: bool = False) -> Any:
    try:
        return COMMANDE.validate_python(donnees, context={TEXTES_VERIFIES: True} if verifies else None)
    except ValidationError as e:
        raise LotRefuse([ErreurLigne(ligne, champ, message, regle) for champ, message, regle in traduire(e)]) from None


def identifiant(commande: Any) -> str:
    """The command's identity: its ``id``, else the sha256 of its canonical JSON (sorted keys, compact).

    A command whose content does not say what it does (`Deliberer` without numbers) is its own act each
    time. The validated command is hashed, defaults left out: spelling (spaces, key order, CRLF, a default
    written or not) never changes it, and a field added later with a default keeps old ids.
    """
    if getattr(commande, "id", None) is not None:
        return str(commande.id)
    if not getattr(commande, "identite_par_contenu", True):
        return f"acte:{uuid.uuid4()}"  # an act on the current state: each application is its own (ADR 0015)
    forme = commande.model_dump(mode="json", exclude_defaults=True, exclude={"id"})
    return "sha256:" + hashlib.sha256(orjson.dumps(forme, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True)
class LigneLue:
    numero: int
    commande: Any
    identifiant: str = ""  # computed when planned, if the reader did not


def lire_ligne(numero: int, brut: bytes | None, defauts: dict[str, str]) -> LigneLue | None:
    """The command of one line (None for a blank line), or `LotRefuse` with every error of that line."""
    if brut is None:
        raise LotRefuse(
            [
                ErreurLigne(
                    numero,
                    "(ligne)",
                    f"ligne trop longue (plus de {LIMITE_LIGNE_OCTETS} octets)",
                    code="LIGNE_TROP_LONGUE",
                )
            ]
        )
    if not brut.strip(ESPACES_JSON):
        return None
    donnees = objet_json(brut, numero)
    for cle, valeur in defauts.items():
        donnees.setdefault(cle, valeur)
    commande = commande_de(donnees, numero, verifies=textes_verifies(brut, defauts))
    return LigneLue(numero, commande, identifiant(commande))


@dataclass(frozen=True)
class Lot:
    """A batch: a source read as a stream (JSON Lines), or commands already read (a grade sheet, ADR 0018)."""

    empreinte: str
    source: Source | None = None
    defauts: dict[str, str] = field(default_factory=dict)
    lignes: list[LigneLue] | None = None  # commands already validated, when there is no source to read
    erreurs: list[ErreurLigne] = field(default_factory=list)  # and the errors found while reading them
    # The door's authorisation of each line (ADR 0017): the line made the caller's, or a refusal. Called while
    # the batch is streamed, so a refused line refuses the batch before anything is written.
    habiliter: Callable[[LigneLue], LigneLue] | None = None

    @property
    def nom_suivi(self) -> str:
        return f"lot-{self.empreinte[:40]}"
