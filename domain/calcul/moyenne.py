"""Premier-groupe average with its trace (R13–R15, R6, R32, R39; Q1, Q6; D334-8, D336-8).

Pure: same règlement + same dossier → the same `Calcul`, bit for bit, whatever the order of the
grades given (lines follow the règlement's order).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from domain.calcul.arithmetique import (
    ZERO,
    difference,
    ecrire,
    ecrire_fraction,
    moyenne_exacte,
    produit,
    somme,
    tronquer_centiemes,
    verifier_moyenne,
)
from domain.calcul.options import verifier_options
from domain.calcul.types import (
    Calcul,
    Dispense,
    Dossier,
    Etape,
    Ligne,
    LigneDispense,
    MotifDispense,
    NoteCandidat,
    Origine,
)
from domain.errors import RefusMetier
from domain.partage import Partages
from domain.reglement import Epreuve, Nature, Reglement, valider_note

_DIX = Decimal(10)
_REGLES_DISPENSE = {
    MotifDispense.eps_sante: ("R7", "Q6"),
    MotifDispense.titulaire_autre_bac: ("R12", "R35"),
    MotifDispense.handicap_auditif: ("R35",),
}


class DossierIncoherent(RefusMetier):
    code = "DOSSIER_INCOHERENT"


def _indexer_notes(reglement: Reglement, dossier: Dossier) -> dict[str, NoteCandidat]:
    notes: dict[str, NoteCandidat] = {}
    index = reglement.index_epreuves
    for n in dossier.notes:
        if n.code not in index:
            reglement.epreuve(n.code)  # EpreuveInconnue for a code of another set
        if n.code in notes:
            raise DossierIncoherent(f"Deux notes pour « {n.code} »", regle="R15")
        if n.origine == Origine.controle:
            raise DossierIncoherent(
                f"« {n.code} » : une note de contrôle relève du second groupe, pas du premier", regle="R20"
            )
        notes[n.code] = n
    return notes


def _indexer_dispenses(reglement: Reglement, dossier: Dossier, notes: dict) -> dict[str, Dispense]:
    dispenses: dict[str, Dispense] = {}
    for d in dossier.dispenses:
        e = reglement.epreuve(d.code)
        regles = ", ".join(_REGLES_DISPENSE[d.motif])
        if d.code in dispenses or d.code in notes:
            raise DossierIncoherent(f"« {d.code} » est à la fois noté et dispensé, ou dispensé deux fois", regle=regles)
        if not e.obligatoire:
            raise DossierIncoherent(
                f"« {d.code} » est facultatif : ne pas le choisir plutôt que le dispenser", regle=regles
            )
        if d.motif == MotifDispense.eps_sante and e.nature != Nature.eps:
            raise DossierIncoherent(f"La dispense médicale ne vaut que pour l'EPS, pas « {d.code} »", regle=regles)
        dispenses[d.code] = d
    return dispenses


def _note_retenue(reglement: Reglement, e: Epreuve, n: NoteCandidat) -> tuple[Decimal, Decimal, list[str]]:
    """(note saisie, note retenue, rules) — absence injustifiée = 0 (R13), CC rounded up (R14)."""
    origine = n.origine
    if origine == Origine.absence_injustifiee:
        if n.note not in (None, ZERO):
            raise DossierIncoherent(f"« {e.code} » : une absence injustifiée vaut 0, pas {n.note}", regle="R13")
        return ZERO, ZERO, ["R13"]
    if n.note is None:
        raise DossierIncoherent(f"« {e.code} » : note absente pour l'origine {origine.value}", regle="R13")
    arrondi = reglement.arrondi_notes_non_entieres
    retenue = valider_note(e, n.note, arrondi=arrondi)
    regles = ["R13"] if e.note_entiere else (["R14"] if arrondi != "aucun" else [])
    if origine == Origine.conservee:
        regles.append(reglement.benefice.regle)
    return n.note, retenue, regles


# Shared (domain/partage.py): a line depends on the rule set's content, the épreuve, the grade as written and its
# origin only; the 541,000 lines of the Aix-Marseille premier groupe are 25,469 distinct ones.
_LIGNES: Partages[tuple[str, str, str, Origine], Ligne] = Partages(200_000)


def _ligne(reglement: Reglement, e: Epreuve, n: NoteCandidat) -> Ligne:
    # The grade's text, not its value: 12.5 and 12.50 are equal Decimals but written apart in the trace.
    cle = (reglement.empreinte, e.code, str(n.note), n.origine)
    return _LIGNES.obtenir(cle, lambda: _construire_ligne(reglement, e, n))


def _construire_ligne(reglement: Reglement, e: Epreuve, n: NoteCandidat) -> Ligne:
    saisie, note, regles = _note_retenue(reglement, e, n)
    option = e.nature == Nature.option
    seuls_points_sup = e.points_au_dessus_de_10
    if option:
        limites = reglement.options
        seuls_points_sup = seuls_points_sup or limites.regle_calcul == "points_au_dessus_de_10"
        regles.append(limites.regle)
    mode: Literal["moyenne", "points_au_dessus_de_10"]
    if seuls_points_sup:
        # D334-8 al. 2–3 (2016), R39 (pro): only points above 10 count, and the coefficient is not a divisor.
        points = produit(max(difference(note, _DIX), ZERO), e.coefficient)
        coefficient, mode = ZERO, "points_au_dessus_de_10"
    else:
        points, coefficient, mode = produit(note, e.coefficient), e.coefficient, "moyenne"
    return Ligne(
        code=e.code,
        libelle=e.libelle,
        note_saisie=saisie,
        note=note,
        coefficient=coefficient,
        points=points,
        origine=n.origine,
        mode=mode,
        regles=(*regles, "R15"),
    )


def calculer_moyenne(reglement: Reglement, dossier: Dossier) -> Calcul:
    """Σ note × coefficient over the retained lines ÷ Σ coefficients (R15), with its trace.

    Dispensed épreuves are neutralised (coefficient removed, Q6 / R12); chosen options count per
    the set (R6 full average, or points above 10 for 2016 and bac pro). Missing compulsory grades
    are listed in ``epreuves_manquantes``; the deliberation decides what they mean (R17, R34).
    """
    verifier_options(reglement, dossier.options)
    notes = _indexer_notes(reglement, dossier)
    dispenses = _indexer_dispenses(reglement, dossier, notes)
    choisies = set(dossier.options)
    index = reglement.index_epreuves  # every code of `notes` is in it (`_indexer_notes`)
    non_choisies = sorted(c for c in notes if not index[c][1].obligatoire and c not in choisies)
    if non_choisies:
        raise DossierIncoherent(
            f"Notes d'options non choisies : {', '.join(non_choisies)}", regle=reglement.options.regle
        )

    lignes: list[Ligne] = []
    pro: list[Ligne] = []  # the professional domain's lines (R39), in the same order
    lignes_dispense: list[LigneDispense] = []
    manquantes: list[str] = []
    for e in reglement.epreuves:
        if e.code in dispenses:
            motif = dispenses[e.code].motif
            lignes_dispense.append(
                LigneDispense(
                    code=e.code,
                    libelle=e.libelle,
                    coefficient_retire=e.coefficient,
                    motif=motif,
                    regles=_REGLES_DISPENSE[motif],
                )
            )
        elif not e.obligatoire and e.code not in choisies:
            continue
        elif e.code not in notes:
            manquantes.append(e.code)
        else:
            ligne = _ligne(reglement, e, notes[e.code])
            lignes.append(ligne)
            if e.professionnelle:
                pro.append(ligne)

    if not lignes:
        raise RefusMetier("Aucune note retenue : la moyenne n'est pas définie", regle="R15")
    total = somme(lg.points for lg in lignes)
    coefficients = somme(lg.coefficient for lg in lignes)
    q = moyenne_exacte(total, coefficients)
    verifier_moyenne(q, f"{reglement.version}")
    etapes = [
        Etape(
            regle="R15",
            libelle="Moyenne = Σ points / Σ coefficients (décision sur les points, Q1)",
            valeur=f"{ecrire(total)} / {ecrire(coefficients)} = {ecrire_fraction(q)}",
        )
    ]
    for d in lignes_dispense:
        etapes.append(
            Etape(
                regle=", ".join(d.regles),
                libelle=f"« {d.code} » neutralisée ({d.motif.value}) : coefficient retiré, jamais 0",
                valeur=ecrire(d.coefficient_retire),
            )
        )
    return Calcul(
        session=reglement.session,
        voie=reglement.voie,
        serie=reglement.serie,
        version_reglement=reglement.version,
        empreinte_reglement=reglement.empreinte,
        lignes=tuple(lignes),
        dispenses=tuple(lignes_dispense),
        epreuves_manquantes=tuple(manquantes),
        total_points=total,
        total_coefficients=coefficients,
        moyenne_affichee=tronquer_centiemes(q),
        points_professionnels=somme(lg.points for lg in pro) if pro else None,
        coefficients_professionnels=somme(lg.coefficient for lg in pro) if pro else None,
        notes_conservees=any(lg.origine == Origine.conservee for lg in lignes),
        handicap_benefice=dossier.handicap_benefice,
        dispense_autre_bac=any(d.motif == MotifDispense.titulaire_autre_bac for d in lignes_dispense),
        etapes=tuple(etapes),
    )
