"""Renderers of the published statistics (R44–R47, Q10–Q12): Markdown, CSV, JSON, plain text, PNG.

The Markdown has the rows and columns of the rectorat's press release (voie figures, then the bac
pro groupes and the techno séries with rate and evolution); every output carries the perimeter,
the stage, the extraction date and the definitions next to the figures (Q10, Q11).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import orjson

from adapters.publication.heures import heure_de_paris
from adapters.publication.tableur import ecrire_csv
from projections.statistiques import LigneStatistique, Statistiques
from projections.taux import ecrire_evolution, ecrire_taux, taux_publie

LIBELLES_COURTS = {"general": "Général", "technologique": "Technologique", "professionnel": "Professionnel"}
RIEN_DELIBERE = "Aucune délibération à ce stade : rien n'est encore délibéré, aucun taux n'est publié (R45)."

FORMATS = ("texte", "markdown", "csv", "json", "png")


def _part(n: int, total: int) -> str:
    return ecrire_taux(taux_publie(n, total))


def _annee(session: str | None) -> str:
    return session[:4] if session else ""


def _entete(s: Statistiques) -> list[str]:
    lignes = [
        f"Étape : {s.libelle_etape}",
        f"Périmètre : {s.perimetre} (Q11)",
        f"Extraction : données du journal jusqu'au {heure_de_paris(s.extraction) or '—'}",
    ]
    if s.comparee:
        lignes.append(f"Comparaison : session {s.comparee}, au même stade (R46)")
    if not s.delibere:
        lignes.append(RIEN_DELIBERE)
    return lignes


def _masques(s: Statistiques) -> list[str]:
    """The reason beside each rate that is not published (Q12), once per population."""
    return [f"{lg.libelle} : {lg.masque}" for lg in s.lignes if lg.masque and s.delibere]


def _cellule_taux(lg: LigneStatistique) -> str:
    return "masqué" if lg.masque else ecrire_taux(lg.taux)


def _cellule_evolution(lg: LigneStatistique, s: Statistiques) -> str:
    if not s.comparee:
        return "—"
    return "masqué" if lg.masque else ecrire_evolution(lg.evolution)


def markdown(s: Statistiques) -> str:
    ensemble = s.ligne("ensemble")
    total = ensemble.effectifs.presents
    voies = [lg for lg in s.lignes if lg.niveau == "voie"]
    n, p = _annee(s.session), _annee(s.comparee)
    stade = {"provisoire": "provisoires 1er groupe", "second_groupe": "après le second groupe", "final": "définitifs"}
    libelle_stade = stade[s.etape]
    sortie = [f"## Baccalauréat {n} — {s.perimetre.split(' — ')[0]}", ""]
    sortie += [f"- {ligne}" for ligne in _entete(s)]
    sortie += ["", f"**{total:,}** candidats présents.".replace(",", " ")]
    sortie += [f"- {_part(lg.effectifs.presents, total)} : {lg.libelle}" for lg in voies]
    sortie += [
        "",
        "| Voie | Candidats présents | Admis | Taux de réussite | Évolution en points |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for lg in [*voies, ensemble]:
        sortie.append(
            f"| {lg.libelle} | {lg.effectifs.presents} | {lg.effectifs.admis} | {_cellule_taux(lg)} | "
            f"{_cellule_evolution(lg, s)} |"
        )
    colonne_taux = f"Taux de réussite Résultats {libelle_stade} session {n}"
    colonne_evol = f"Evolution sessions {libelle_stade} {n}-{p} en points" if s.comparee else "Evolution en points"
    for niveau, titre in (("groupe_pro", "Spécialité (Bac professionnel)"), ("serie", "Série (Bac technologique)")):
        detail = [lg for lg in s.lignes if lg.niveau == niveau]
        if not detail:
            continue
        sortie += ["", f"| {titre} | {colonne_taux} | {colonne_evol} |", "| --- | ---: | ---: |"]
        sortie += [f"| {lg.libelle} | {_cellule_taux(lg)} | {_cellule_evolution(lg, s)} |" for lg in detail]
    if _masques(s):
        sortie += ["", "Taux masqués :", *(f"- {m}" for m in _masques(s))]
    sortie += ["", *(f"> {d}" for d in s.definitions), ""]
    return "\n".join(sortie)


COLONNES = (
    "etape",
    "niveau",
    "voie",
    "code",
    "libelle",
    "presents",
    "admis",
    "ajournes",
    "second_groupe",
    "en_attente_remplacement",
    "sans_decision_finale",
    "taux",
    "session_comparee",
    "presents_compares",
    "admis_compares",
    "taux_compare",
    "evolution_points",
    "masque",
    "perimetre",
    "extraction",
)


def _ligne_plate(s: Statistiques, lg: LigneStatistique) -> dict[str, Any]:
    e, c = lg.effectifs, lg.compare
    return {
        "etape": s.etape,
        "niveau": lg.niveau,
        "voie": lg.voie,
        "code": lg.code,
        "libelle": lg.libelle,
        "presents": e.presents,
        "admis": e.admis,
        "ajournes": e.ajournes,
        "second_groupe": e.second_groupe,
        "en_attente_remplacement": e.en_attente,
        "sans_decision_finale": e.sans_decision,
        "taux": None if lg.taux_publiable is None else str(lg.taux_publiable),
        "session_comparee": s.comparee,
        "presents_compares": c.presents if c else None,
        "admis_compares": c.admis if c else None,
        "taux_compare": None if lg.taux_compare is None else str(lg.taux_compare),
        "evolution_points": None if lg.evolution_publiable is None else str(lg.evolution_publiable),
        "masque": lg.masque,
        "perimetre": s.perimetre,
        "extraction": heure_de_paris(s.extraction),
    }


def en_csv(s: Statistiques) -> str:
    """The French spreadsheet dialect (BOM, `;`, decimal comma: adapters/publication/tableur.py)."""
    numeriques = {"taux", "taux_compare", "evolution_points"}
    lignes = []
    for lg in s.lignes:
        ligne = _ligne_plate(s, lg)
        if s.comparee and ligne["evolution_points"] is None and not lg.masque:
            ligne["evolution_points"] = "n/a"  # Q12
        lignes.append([Decimal(v) if c in numeriques and v not in (None, "n/a") else v for c, v in ligne.items()])
    return ecrire_csv(COLONNES, lignes).decode("utf-8")


def en_json(s: Statistiques) -> dict[str, Any]:
    """Numbers as decimal strings, absent values as ``null`` (never "n/a"), the masking reasons beside."""
    return {
        "session": s.session,
        "session_comparee": s.comparee,
        "etape": s.etape,
        "libelle_etape": s.libelle_etape,
        "delibere": s.delibere,
        "perimetre": s.perimetre,
        "extraction": heure_de_paris(s.extraction),
        "definitions": list(s.definitions),
        "lignes": [_ligne_plate(s, lg) for lg in s.lignes],
    }


def json_octets(donnees: dict[str, Any]) -> bytes:
    return orjson.dumps(donnees, option=orjson.OPT_INDENT_2)


def texte(s: Statistiques) -> str:
    largeur = max(len(lg.libelle) for lg in s.lignes) + 2
    sortie = [*_entete(s), ""]
    sortie.append(f"{'':<{largeur}}{'présents':>10}{'admis':>10}{'taux':>10}{'évol.':>8}")
    for lg in s.lignes:
        retrait = "  " if lg.niveau in ("serie", "groupe_pro") else ""
        sortie.append(
            f"{retrait + lg.libelle:<{largeur}}{lg.effectifs.presents:>10}{lg.effectifs.admis:>10}"
            f"{_cellule_taux(lg):>10}{_cellule_evolution(lg, s):>8}"
        )
    if _masques(s):
        sortie += ["", "Taux masqués :", *(f"  {m}" for m in _masques(s))]
    sortie += ["", *s.definitions]
    return "\n".join(sortie)


PANNEAUX = (
    ("voie", "Par voie"),
    ("serie", "Séries du baccalauréat technologique"),
    ("groupe_pro", "Baccalauréat professionnel par groupe"),
)


def png(s: Statistiques) -> bytes:
    """The chart as PNG bytes (no timestamp in the metadata: the same figures give the same bytes)."""
    import matplotlib.pyplot as plt

    figure = graphique(s)
    tampon = io.BytesIO()
    figure.savefig(tampon, format="png", metadata={"Software": None})
    plt.close(figure)
    return tampon.getvalue()


def graphique(s: Statistiques) -> Any:
    """Rates per voie, then per techno série and bac pro groupe, each in its own panel (never mixed on one
    axis), 0–100 %, the compared session beside; masked rates are left out and named below (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panneaux = [
        (titre, [lg for lg in s.lignes if lg.niveau == niveau and lg.taux_publiable is not None])
        for niveau, titre in PANNEAUX
    ]
    panneaux = [(titre, lignes) for titre, lignes in panneaux if lignes] or [("Par voie", [])]
    largeurs = [max(len(lignes), 1) for _, lignes in panneaux]
    figure, axes_tous = plt.subplots(
        1, len(panneaux), figsize=(max(8.0, 1.0 * sum(largeurs) + 2), 4.8), dpi=100, squeeze=False,
        gridspec_kw={"width_ratios": largeurs}, sharey=True,
    )  # fmt: skip
    largeur = 0.4 if s.comparee else 0.6
    for (titre, lignes), axes in zip(panneaux, axes_tous[0], strict=True):
        x = list(range(len(lignes)))
        decalage = largeur / 2 if s.comparee else 0
        barres = axes.bar(
            [i - decalage for i in x], [float(lg.taux_publiable or 0) for lg in lignes], largeur,
            label=f"session {s.session}", color="#1f4e79",
        )  # fmt: skip
        axes.bar_label(barres, labels=[ecrire_taux(lg.taux_publiable) for lg in lignes], fontsize=7, padding=2)
        if s.comparee:
            precedents = [float(lg.taux_compare) if lg.taux_compare is not None else 0.0 for lg in lignes]
            autres = axes.bar(
                [i + decalage for i in x], precedents, largeur, label=f"session {s.comparee}", color="#9dc3e6"
            )
            axes.bar_label(autres, labels=[ecrire_taux(lg.taux_compare) for lg in lignes], fontsize=6, padding=2)
        etiquettes = [LIBELLES_COURTS.get(lg.voie or "", lg.voie) if lg.niveau == "voie" else lg.code for lg in lignes]
        axes.set_xticks(x, etiquettes, rotation=30, ha="right", fontsize=8)
        axes.set_ylim(0, 100)
        axes.set_xlim(-0.8, max(len(lignes), 1) - 0.2)  # a lone bar keeps a bar's width, not the panel's
        axes.set_title(titre, fontsize=8)
    axes_tous[0][0].set_ylabel("Taux de réussite (%) = admis ÷ présents (R44)")
    axes_tous[0][0].legend(loc="lower left", fontsize=7, frameon=True)
    figure.suptitle(f"{s.libelle_etape}\n{s.perimetre.split(' — ')[0]}, session {s.session}", fontsize=9)
    notes = [f"Extraction : {heure_de_paris(s.extraction) or '—'} ; présent : au moins une épreuve subie (Q10)"]
    if not s.delibere:
        notes.append(RIEN_DELIBERE)
    masques = [lg.code or lg.libelle for lg in s.lignes if lg.masque and lg.niveau != "ensemble"]
    if masques and s.delibere:
        notes.append(f"Taux masqués (moins de présents que le seuil, Q12) : {', '.join(str(m) for m in masques)}")
    figure.text(0.01, 0.01, "\n".join(notes), fontsize=6)
    figure.tight_layout(rect=(0, 0.02 + 0.02 * len(notes), 1, 1))
    return figure
