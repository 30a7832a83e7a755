"""Renderers of the published statistics (R44–R47, Q10–Q12): Markdown, CSV, JSON, plain text, PNG.

The Markdown has the rows and columns of the rectorat's press release (voie figures, then the bac
pro groupes and the techno séries with rate and evolution); every output carries the perimeter,
the stage, the extraction date and the definitions next to the figures (Q10, Q11).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from projections.statistiques import LigneStatistique, Statistiques
from projections.taux import ecrire_evolution, ecrire_taux, taux_publie

FORMATS = ("texte", "markdown", "csv", "json", "png")


def _part(n: int, total: int) -> str:
    return ecrire_taux(taux_publie(n, total))


def _annee(session: str | None) -> str:
    return session[:4] if session else ""


def _entete(s: Statistiques) -> list[str]:
    lignes = [
        f"Étape : {s.libelle_etape}",
        f"Périmètre : {s.perimetre} (Q11)",
        f"Extraction : données du journal jusqu'au {s.extraction or '—'}",
    ]
    if s.comparee:
        lignes.append(f"Comparaison : session {s.comparee}, au même stade (R46)")
    return lignes


def _cellule_evolution(lg: LigneStatistique, s: Statistiques) -> str:
    return ecrire_evolution(lg.evolution) if s.comparee else "—"


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
            f"| {lg.libelle} | {lg.effectifs.presents} | {lg.effectifs.admis} | {ecrire_taux(lg.taux)} | "
            f"{_cellule_evolution(lg, s)} |"
        )
    colonne_taux = f"Taux de réussite Résultats {libelle_stade} session {n}"
    colonne_evol = f"Evolution sessions {libelle_stade} {n}-{p} en points" if s.comparee else "Evolution en points"
    for niveau, titre in (("groupe_pro", "Spécialité (Bac professionnel)"), ("serie", "Série (Bac technologique)")):
        detail = [lg for lg in s.lignes if lg.niveau == niveau]
        if not detail:
            continue
        sortie += ["", f"| {titre} | {colonne_taux} | {colonne_evol} |", "| --- | ---: | ---: |"]
        sortie += [f"| {lg.libelle} | {ecrire_taux(lg.taux)} | {_cellule_evolution(lg, s)} |" for lg in detail]
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
        "taux": None if lg.taux is None else str(lg.taux),
        "session_comparee": s.comparee,
        "presents_compares": c.presents if c else None,
        "admis_compares": c.admis if c else None,
        "taux_compare": None if lg.taux_compare is None else str(lg.taux_compare),
        "evolution_points": (None if lg.evolution is None else str(lg.evolution)) if s.comparee else None,
        "perimetre": s.perimetre,
        "extraction": s.extraction,
    }


def en_csv(s: Statistiques) -> str:
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=COLONNES, lineterminator="\n")
    ecrivain.writeheader()
    for lg in s.lignes:
        ligne = _ligne_plate(s, lg)
        if s.comparee and ligne["evolution_points"] is None:
            ligne["evolution_points"] = "n/a"  # Q12
        ecrivain.writerow(ligne)
    return tampon.getvalue()


def en_json(s: Statistiques) -> dict[str, Any]:
    return {
        "session": s.session,
        "session_comparee": s.comparee,
        "etape": s.etape,
        "libelle_etape": s.libelle_etape,
        "perimetre": s.perimetre,
        "extraction": s.extraction,
        "definitions": list(s.definitions),
        "lignes": [_ligne_plate(s, lg) | {"evolution_points": _evolution_json(s, lg)} for lg in s.lignes],
    }


def _evolution_json(s: Statistiques, lg: LigneStatistique) -> str | None:
    if not s.comparee:
        return None
    return "n/a" if lg.evolution is None else str(lg.evolution)


def texte(s: Statistiques) -> str:
    largeur = max(len(lg.libelle) for lg in s.lignes) + 2
    sortie = [*_entete(s), ""]
    sortie.append(f"{'':<{largeur}}{'présents':>10}{'admis':>10}{'taux':>10}{'évol.':>8}")
    for lg in s.lignes:
        retrait = "  " if lg.niveau in ("serie", "groupe_pro") else ""
        sortie.append(
            f"{retrait + lg.libelle:<{largeur}}{lg.effectifs.presents:>10}{lg.effectifs.admis:>10}"
            f"{ecrire_taux(lg.taux):>10}{_cellule_evolution(lg, s):>8}"
        )
    sortie += ["", *s.definitions]
    return "\n".join(sortie)


def png(s: Statistiques) -> bytes:
    """Bar chart of the rates per voie and série, the compared session beside (matplotlib, Agg; ADR 0011)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lignes = [lg for lg in s.lignes if lg.niveau in ("voie", "serie", "groupe_pro") and lg.taux is not None]
    etiquettes = [(lg.code or "") if lg.niveau != "voie" else (lg.voie or "").capitalize() for lg in lignes]
    x = list(range(len(lignes)))
    figure, axes = plt.subplots(figsize=(max(8, len(lignes) * 0.9), 4.8), dpi=100)
    largeur = 0.4 if s.comparee else 0.6
    barres = axes.bar(
        [i - (largeur / 2 if s.comparee else 0) for i in x],
        [float(lg.taux or 0) for lg in lignes],
        largeur,
        label=f"session {s.session}",
        color="#1f4e79",
    )
    axes.bar_label(barres, labels=[f"{lg.taux}" for lg in lignes], fontsize=7, padding=2)
    if s.comparee:
        precedents = [float(lg.taux_compare) if lg.taux_compare is not None else 0.0 for lg in lignes]
        autres = axes.bar(
            [i + largeur / 2 for i in x], precedents, largeur, label=f"session {s.comparee}", color="#9dc3e6"
        )
        axes.bar_label(
            autres, labels=[str(lg.taux_compare) if lg.taux_compare is not None else "n/a" for lg in lignes], fontsize=7
        )
    axes.set_xticks(x, etiquettes, rotation=30, ha="right", fontsize=8)
    axes.set_ylim(0, 122)
    axes.set_ylabel("Taux de réussite (%) = admis ÷ présents (R44)")
    axes.set_title(f"{s.libelle_etape}\n{s.perimetre.split(' — ')[0]}, session {s.session}", fontsize=9)
    axes.legend(loc="upper left", ncols=2, fontsize=8, frameon=False)
    figure.text(
        0.01, 0.01, f"Extraction : {s.extraction or '—'} ; présent : au moins une épreuve subie (Q10)", fontsize=6
    )
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    tampon = io.BytesIO()
    figure.savefig(tampon, format="png", metadata={"Software": None})
    plt.close(figure)
    return tampon.getvalue()
