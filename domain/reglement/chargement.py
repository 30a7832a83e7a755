"""Reads ``donnees/*.toml`` and resolves each file into validated `Reglement` sets.

A file holds one voie: a ``[commun]`` base, ``[sessions.<année>]`` patches and optional
``[series.<code>]`` patches; every (session × série) pair is resolved, validated and pinned on
its own (versioned like a law by its effective date, STYLE "Rules"). Patch directives:
``epreuves_ajoutees`` (list), ``epreuves_retirees`` (codes), ``epreuves_modifiees`` ({code: fields}),
``toutes_epreuves`` (fields applied to every épreuve); other tables merge key by key.

Sessions after 2026 are one file each in ``donnees/sessions/<voie>-<année>.toml`` (ADR 0019): it names the
session it inherits from (``herite_de``) and patches every resolved set of that session with the same
directives (``commun`` for all séries, ``series.<code>`` for one).
"""

from __future__ import annotations

import copy
import json
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any

from pydantic import ValidationError

from domain.errors import ReglementInvalide
from domain.reglement.modeles import Reglement

_DIRECTIVES = ("epreuves_ajoutees", "epreuves_retirees", "epreuves_modifiees", "toutes_epreuves")


def _appliquer(base: dict[str, Any], patch: dict[str, Any], ou: str) -> dict[str, Any]:
    resultat = copy.deepcopy(base)
    epreuves: list[dict[str, Any]] = resultat.setdefault("epreuves", [])
    for code in patch.get("epreuves_retirees", []):
        restantes = [e for e in epreuves if e.get("code") != code]
        if len(restantes) == len(epreuves):
            raise ReglementInvalide(f"{ou} : epreuves_retirees nomme « {code} », absente de la base")
        epreuves[:] = restantes
    for code, champs in patch.get("epreuves_modifiees", {}).items():
        cibles = [e for e in epreuves if e.get("code") == code]
        if not cibles:
            raise ReglementInvalide(f"{ou} : epreuves_modifiees nomme « {code} », absente de la base")
        cibles[0].update(copy.deepcopy(champs))
    for e in epreuves:
        e.update(copy.deepcopy(patch.get("toutes_epreuves", {})))
    epreuves.extend(copy.deepcopy(patch.get("epreuves_ajoutees", [])))
    for cle, valeur in patch.items():
        if cle in _DIRECTIVES:
            continue
        if isinstance(valeur, dict) and isinstance(resultat.get(cle), dict):
            resultat[cle] = {**resultat[cle], **copy.deepcopy(valeur)}
        else:
            resultat[cle] = copy.deepcopy(valeur)
    return resultat


def _valider(donnees: dict[str, Any], ou: str) -> Reglement:
    try:
        return Reglement.model_validate(donnees)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(racine)'} : {err['msg']}" for err in exc.errors()
        )
        raise ReglementInvalide(f"{ou} : {details}") from None


def resoudre(contenu: dict[str, Any], nom: str) -> list[Reglement]:
    """Every validated set described by one parsed file; `ReglementInvalide` names file and set."""
    inconnues = sorted(set(contenu) - {"voie", "commun", "sessions", "series"})
    if inconnues:
        raise ReglementInvalide(f"{nom} : clés inconnues {', '.join(inconnues)}")
    if "voie" not in contenu or "commun" not in contenu or not contenu.get("sessions"):
        raise ReglementInvalide(f"{nom} : « voie », « commun » et « sessions » sont requis")
    series: dict[str | None, dict[str, Any]] = contenu.get("series") or {None: {}}
    resultats = []
    for annee, patch_session in sorted(contenu["sessions"].items()):
        if not str(annee).isdigit():
            raise ReglementInvalide(f"{nom} : session « {annee} » n'est pas une année")
        for serie, patch_serie in series.items():
            ou = f"{nom} [session {annee}{', série ' + serie if serie else ''}]"
            donnees = _appliquer(contenu["commun"], patch_session, ou)
            donnees = _appliquer(donnees, patch_serie, ou)
            gabarit = str(donnees.get("version", ""))
            donnees.update(session=int(annee), voie=contenu["voie"], serie=serie)
            donnees["version"] = gabarit.format(session=annee, serie=(serie or "").lower())
            resultats.append(_valider(donnees, ou))
    return resultats


def lire_texte(texte: str, nom: str) -> list[Reglement]:
    """Parse TOML text (decimals kept exact) and resolve it."""
    try:
        contenu = tomllib.loads(texte, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ReglementInvalide(f"{nom} : TOML illisible ({exc})") from None
    return resoudre(contenu, nom)


_CLES_SESSION = {"voie", "session", "herite_de", "version", "commun", "series"}


def _contenu(reglement: Reglement) -> dict[str, Any]:
    """A resolved set back to plain data (exact decimals as text), to be patched into the next session."""
    donnees: dict[str, Any] = json.loads(reglement.model_dump_json(exclude={"empreinte"}))
    for cle in ("session", "voie", "serie", "version"):
        donnees.pop(cle, None)
    return donnees


def resoudre_session(
    contenu: dict[str, Any], nom: str, tous: dict[tuple[int, str, str | None], Reglement]
) -> list[Reglement]:
    """The sets of one later-session file: each set of ``herite_de`` for its voie, patched (ADR 0019)."""
    inconnues = sorted(set(contenu) - _CLES_SESSION)
    if inconnues:
        raise ReglementInvalide(f"{nom} : clés inconnues {', '.join(inconnues)}")
    manquantes = sorted({"voie", "session", "herite_de", "version"} - set(contenu))
    if manquantes:
        raise ReglementInvalide(f"{nom} : {', '.join(manquantes)} requis")
    voie, annee, base = contenu["voie"], contenu["session"], contenu["herite_de"]
    if not isinstance(annee, int) or not isinstance(base, int) or base >= annee:
        raise ReglementInvalide(f"{nom} : « herite_de » doit être une session antérieure à « session »")
    attendu = f"{voie}-{annee}.toml"
    if nom != attendu:
        raise ReglementInvalide(f"{nom} : un fichier par session, nommé {attendu}")
    bases = sorted((r for (a, v, _), r in tous.items() if a == base and v == voie), key=lambda r: r.serie or "")
    if not bases:
        raise ReglementInvalide(f"{nom} : aucun jeu de la session {base} en {voie} dont hériter")
    series: dict[str, Any] = contenu.get("series") or {}
    inconnues_series = sorted(set(series) - {r.serie for r in bases if r.serie})
    if inconnues_series:
        raise ReglementInvalide(f"{nom} : séries inconnues à la session {base} : {', '.join(inconnues_series)}")
    resultats = []
    for r in bases:
        ou = f"{nom} [session {annee}{', série ' + r.serie if r.serie else ''}]"
        donnees = _appliquer(_contenu(r), contenu.get("commun") or {}, ou)
        donnees = _appliquer(donnees, series.get(r.serie or "", {}), ou)
        donnees.update(session=annee, voie=voie, serie=r.serie)
        donnees["version"] = str(contenu["version"]).format(session=annee, serie=(r.serie or "").lower())
        resultats.append(_valider(donnees, ou))
    return resultats


def _ranger(tous: dict[tuple[int, str, str | None], Reglement], versions: set[str], jeux: list[Reglement], nom: str):
    for reglement in jeux:
        if reglement.cle in tous or reglement.version in versions:
            raise ReglementInvalide(f"{nom} : jeu en double {reglement.cle} / {reglement.version}")
        tous[reglement.cle] = reglement
        versions.add(reglement.version)


def charger_tout() -> dict[tuple[int, str, str | None], Reglement]:
    """All shipped sets, keyed by (session, voie, série); duplicates are a data bug.

    The per-voie files first, then the later-session files in year order (each inherits an earlier year).
    """
    dossier = resources.files("domain.reglement").joinpath("donnees")
    tous: dict[tuple[int, str, str | None], Reglement] = {}
    versions: set[str] = set()
    for fichier in sorted(dossier.iterdir(), key=lambda f: f.name):
        if fichier.name.endswith(".toml"):
            _ranger(tous, versions, lire_texte(fichier.read_text(encoding="utf-8"), fichier.name), fichier.name)
    par_session = dossier.joinpath("sessions")
    fichiers = [f for f in par_session.iterdir() if f.name.endswith(".toml")] if par_session.is_dir() else []
    lus = []
    for fichier in fichiers:
        try:
            contenu = tomllib.loads(fichier.read_text(encoding="utf-8"), parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise ReglementInvalide(f"{fichier.name} : TOML illisible ({exc})") from None
        lus.append((contenu.get("session", 0), fichier.name, contenu))
    for _, nom, contenu in sorted(lus, key=lambda t: (t[0] if isinstance(t[0], int) else 0, t[1])):
        _ranger(tous, versions, resoudre_session(contenu, nom, tous), nom)
    return tous
