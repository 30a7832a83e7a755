"""The explanation of a decision rendered for a reader: a terminal (rich) and Markdown, in French (R54, Q9)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from adapters.audit.explication import Explication


def rendre(e: Explication) -> RenderableType:
    """The explanation for a terminal (rich), in French."""
    titre = Text(f"Candidat n° {e.numero} — session {e.session} — délibération du groupe {e.groupe}", style="bold")
    decision = e.libelle_decision + (f", mention {e.mention}" if e.mention else "")
    if e.certificat:
        decision += f" ; {e.certificat}"
    notes = Table("Épreuve", "Note saisie", "Note retenue", "Origine", "Coef.", "Points", "Règles", title="Notes")
    for lg in e.lignes:
        notes.add_row(
            f"{lg.code} — {lg.libelle}", lg.note_saisie, lg.note, lg.origine, lg.coefficient, lg.points,
            ", ".join(lg.regles),
        )  # fmt: skip
    parties: list[RenderableType] = [titre, Text(f"Décision : {decision}", style="bold green"), notes]
    if e.substitutions:
        controles = Table("Contrôle", "Remplace", "Coef.", "Note", "Points 1er groupe", "Points contrôle", "Retenus",
                          title="Second groupe : meilleure des deux notes (R20)")  # fmt: skip
        for s in e.substitutions:
            controles.add_row(
                s["choix"], ", ".join(s["remplace"]), s["coefficient"], s["note_controle"],
                s["points_premier_groupe"], s["points_controle"], s["points_retenus"],
            )  # fmt: skip
        parties.append(controles)
    parties.append(
        Text(
            f"Total : {e.total_points} points (dont {e.points_jury} points de jury) pour Σ coefficients "
            f"{e.total_coefficients} ; moyenne affichée {e.moyenne} (tronquée au centième, Q1)"
        )
    )
    etapes = Table("Règle", "Étape", "Valeur", "Seuil", title="Règles appliquées et seuils comparés")
    for etape in e.etapes:
        etapes.add_row(etape["regle"], etape["libelle"], etape["valeur"], etape["seuil"])
    parties.append(etapes)
    parties.append(Text(f"Règles : {', '.join(e.regles)}"))
    parties.append(Text(f"Articles : {', '.join(e.articles) or '—'} ; textes du jeu : {', '.join(e.textes)}"))
    parties.append(Text(f"Jeu de règles : {e.reglement_version} (empreinte {e.reglement_empreinte})"))
    parties.append(Text(f"Jury : {e.jury}, présidé par {e.president}"))
    style = "green" if e.rejeu == "identique" else "bold red"
    parties.append(Text(f"Rejeu des règles sur les entrées enregistrées : {e.rejeu}", style=style))
    parties += [Text(f"Remarque : {r}", style="yellow") for r in e.remarques]
    parties += [Text(ligne) for ligne in _complements(e)]
    return Group(*parties)


def _complements(e: Explication) -> list[str]:
    """The regulator's part of the dossier (R54, Q9), as plain French lines shared by every format."""
    lignes = []
    if e.date_deliberation:
        lignes.append(f"Délibération du {e.date_deliberation} ; livret scolaire : {e.livret}")
    if e.jury_composition:
        membres = ", ".join(f"{m['identifiant']} ({m['qualite']})" for m in e.jury_composition)
        lignes.append(f"Composition du jury : {membres}")
    for m in e.modifications:
        lignes.append(f"Note modifiée avant la décision : {m['epreuve']} {m['avant']} → {m['apres']} ({m['quoi']})")
    if e.decisions_remplacees:
        lignes.append(f"Décision(s) antérieure(s) remplacée(s) après correction (R29) : {e.decisions_remplacees}")
    if e.sceau:
        lignes.append(
            f"Sceau du procès-verbal : racine {e.sceau['racine']} sur {e.sceau['taille']} événements"
            + (" (signé par le président)" if e.sceau.get("signature") else " (non signé)")
        )
    lignes.append(f"Mention (R311-3-1-1) : {e.mention_legale}")
    return lignes


def rendre_markdown(e: Explication) -> str:
    """The same dossier as a Markdown document (readable without code)."""
    decision = e.libelle_decision + (f", mention {e.mention}" if e.mention else "")
    out = [
        f"# Explication de la décision — candidat n° {e.numero}, session {e.session}",
        "",
        f"**Décision** : {decision} (délibération du groupe {e.groupe})"
        + (f" ; {e.certificat}" if e.certificat else ""),
        "",
        "## Notes",
        "",
        "| Épreuve | Note saisie | Note retenue | Origine | Coef. | Points | Règles |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for lg in e.lignes:
        out.append(
            f"| {lg.code} — {lg.libelle} | {lg.note_saisie} | {lg.note} | {lg.origine} | {lg.coefficient} | "
            f"{lg.points} | {', '.join(lg.regles)} |"
        )
    for s in e.substitutions:
        out.append(f"| contrôle {s['choix']} | | {s['note_controle']} | contrôle (R20) | {s['coefficient']} | "
                   f"{s['points_retenus']} | R20 |")  # fmt: skip
    out += [
        "",
        f"**Total** : {e.total_points} points (dont {e.points_jury} points de jury) pour Σ coefficients "
        f"{e.total_coefficients} ; moyenne affichée {e.moyenne}.",
        "",
        "## Seuils comparés et règles appliquées",
        "",
        "| Règle | Étape | Valeur | Seuil |",
        "| --- | --- | --- | --- |",
        *(f"| {x['regle']} | {x['libelle']} | {x['valeur']} | {x['seuil']} |" for x in e.etapes),
        "",
        f"Règles : {', '.join(e.regles)}. Articles : {', '.join(e.articles) or '—'}. Textes : {', '.join(e.textes)}.",
        "",
        f"Jeu de règles : {e.reglement_version} (empreinte `{e.reglement_empreinte}`).",
        "",
        f"Jury : {e.jury}, présidé par {e.president}.",
        "",
        f"**Rejeu des règles sur le journal** : {e.rejeu}.",
        "",
        *(f"- Remarque : {r}" for r in e.remarques),
        *(f"- {ligne}" for ligne in _complements(e)),
    ]
    return "\n".join(out) + "\n"
