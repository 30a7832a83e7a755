"""Pydantic validation errors, said in French with the field and the rule it breaks."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ValidationError

MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_type": "nombre décimal attendu",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "bool_parsing": "booléen attendu (true ou false)",
    "bool_type": "booléen attendu (true ou false)",
    "string_type": "texte attendu",
    "string_pattern_mismatch": "format invalide (attendu : {pattern})",
    "string_too_short": "texte vide ou trop court",
    "string_too_long": "texte trop long",
    "literal_error": "valeur inattendue ; valeurs admises : {expected}",
    "date_from_datetime_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_parsing": "date invalide (format AAAA-MM-JJ)",
    "date_type": "date invalide (format AAAA-MM-JJ)",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "too_long": "au plus {max_length} élément(s) admis",
    "tuple_type": "liste attendue",
    "model_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "uuid_parsing": "identifiant UUID attendu",
    "union_tag_not_found": "champ « type » manquant (le type de commande)",
    "union_tag_invalid": "type de commande inconnu « {tag} » ; types admis : {expected_tags}",
    "finite_number": "nombre fini attendu",
}


LONGUEUR_ECHO = 80  # a refused value is echoed cut to this many characters, never whole


def court(valeur: object, longueur: int = LONGUEUR_ECHO) -> str:
    """A value as it may be echoed back: its first characters only (a 10 MB value stays out of the answer)."""
    texte = valeur if isinstance(valeur, str) else repr(valeur)
    return texte if len(texte) <= longueur else f"{texte[:longueur]}… ({len(texte)} caractères)"


def _regle(loc: tuple[Any, ...]) -> str | None:
    """The rule carried by the field's metadata (``regle``), found by walking the error location."""
    if not loc or not isinstance(loc[0], str):
        return None
    modele: type[BaseModel] | None = _MODELES.get(loc[0])
    for partie in loc[1:]:
        if isinstance(partie, int):
            continue  # an item of a list of sub-models (the grades of a transcript)
        if modele is None:
            return None
        champ = modele.model_fields.get(partie)
        if champ is None:
            return None
        extra = champ.json_schema_extra
        if isinstance(extra, dict) and "regle" in extra:
            return str(extra["regle"])
        modele = _sous_modele(champ.annotation)
    return None


def _sous_modele(annotation: Any) -> type[BaseModel] | None:
    for candidat in (annotation, *get_args(annotation)):
        if isinstance(candidat, type) and issubclass(candidat, BaseModel):
            return candidat
    return None


def _modeles() -> dict[str, type[BaseModel]]:
    from domain import commandes

    trouves: dict[str, type[BaseModel]] = {}
    for valeur in vars(commandes).values():
        if isinstance(valeur, type) and issubclass(valeur, commandes.Commande) and "type" in valeur.model_fields:
            annotation = valeur.model_fields["type"].annotation
            for tag in getattr(annotation, "__args__", ()):
                trouves[tag] = valeur
    return trouves


_MODELES = _modeles()


def traduire(erreur: ValidationError) -> list[tuple[str, str, str | None]]:
    """Each error as (field path, French message, rule)."""
    resultat = []
    erreurs = erreur.errors(include_url=False)
    for e in erreurs:
        loc = tuple(e["loc"])
        # pydantic also says "too short" of a list whose items were all invalid: the items' errors say it better.
        if (
            e["type"] == "too_short"
            and e.get("input")
            and any(tuple(a["loc"])[: len(loc)] == loc != tuple(a["loc"]) for a in erreurs)
        ):
            continue
        champ = ".".join(str(p) for p in loc[1:]) if loc and loc[0] in _MODELES else ".".join(str(p) for p in loc)
        ctx = {k: court(v) if isinstance(v, str) else v for k, v in e.get("ctx", {}).items()}
        if "champ" in ctx:  # a check of the whole command that names the field it refuses (domain.commandes)
            champ = ".".join(p for p in (champ, str(ctx["champ"])) if p)
        if e["type"] == "value_error":
            message = str(e["msg"]).removeprefix("Value error, ")
        else:
            gabarit = MESSAGES.get(e["type"])
            try:
                message = gabarit.format(**ctx) if gabarit else e["msg"]
            except (KeyError, IndexError):
                message = e["msg"]
        if e["type"] not in ("missing", "union_tag_not_found", "union_tag_invalid", "extra_forbidden") and not (
            isinstance(e.get("input"), dict | list | tuple)
        ):
            message = f"{message} (reçu : {court(repr(e.get('input')))})"
        resultat.append((court(champ, 120) or "(ligne)", court(message, 400), _regle(loc)))
    return resultat
