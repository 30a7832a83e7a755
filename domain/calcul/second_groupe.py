"""Second groupe / épreuve de contrôle (R18–R22, R29–R31, R39; Q3, Q8; D334-4, D334-8, D336-8).

Best-of at the same coefficient: a contrôle grade can only raise the total (R20, R22).
"""

from __future__ import annotations

from typing import Literal

from domain.calcul.arithmetique import (
    ZERO,
    InvariantViole,
    difference,
    ecrire,
    ecrire_fraction,
    moyenne_exacte,
    produit,
    somme,
    tronquer_centiemes,
    verifier_moyenne,
)
from domain.calcul.premier_groupe import (
    attribuer_certificat,
    verifier_livret,
    verifier_points_jury,
    verifier_reglement,
)
from domain.calcul.types import (
    ContexteJury,
    DecisionPremierGroupe,
    DecisionSecondGroupe,
    Etape,
    NoteControle,
    Resultat,
    Substitue,
)
from domain.errors import EtatIncompatible, RefusMetier
from domain.reglement import Reglement, valider_note


class ChoixControleRefuse(RefusMetier):
    code = "CHOIX_CONTROLE_REFUSE"


def verifier_choix_second_groupe(
    reglement: Reglement, decision: DecisionPremierGroupe, choix: tuple[str, ...]
) -> tuple[str, ...]:
    """The chosen épreuves in canonical order, or a refusal naming R18/R19 (pro: R39)."""
    sg = reglement.second_groupe
    if decision.resultat != Resultat.second_groupe:
        raise EtatIncompatible(
            f"Candidat {decision.resultat.value} au premier groupe : pas d'épreuves de contrôle", regle="R18"
        )
    if not choix:
        raise ChoixControleRefuse("Au moins une épreuve de contrôle doit être choisie", regle=sg.regle)
    if len(set(choix)) != len(choix):
        raise ChoixControleRefuse("Une épreuve de contrôle est choisie deux fois", regle=sg.regle)
    if len(choix) > sg.max_epreuves:
        raise ChoixControleRefuse(
            f"{len(choix)} épreuves de contrôle choisies : {sg.max_epreuves} au plus", regle=sg.regle
        )
    for code in choix:
        if not reglement.epreuve(code).rattrapable:
            raise ChoixControleRefuse(
                f"« {code} » ne peut pas être choisie au second groupe (seules les épreuves écrites "
                "terminales obligatoires du premier groupe le peuvent)",
                regle=sg.regle,
            )
        for remplacee in reglement.substitution(code):
            if decision.calcul.ligne(remplacee) is None:
                raise ChoixControleRefuse(f"« {remplacee} » n'a pas de note au premier groupe", regle=sg.regle)
    for groupe in sg.groupes:
        n = sum(1 for c in choix if c in groupe.codes)
        if n != 1:
            raise ChoixControleRefuse(
                f"Une sous-épreuve exactement doit être choisie parmi {groupe.libelle} ({n} choisie(s))",
                regle=sg.regle,
            )
    return tuple(sorted(choix, key=reglement.rang))


def _substituer(reglement: Reglement, decision: DecisionPremierGroupe, controle: NoteControle) -> Substitue:
    epreuve = reglement.epreuve(controle.code)
    remplace = reglement.substitution(controle.code)
    lignes = [decision.calcul.ligne(c) for c in remplace]
    if any(lg is None for lg in lignes):
        raise InvariantViole(f"substitution {controle.code} sans ligne au premier groupe")
    coefficient = somme(lg.coefficient for lg in lignes if lg)
    avant = somme(lg.points for lg in lignes if lg)
    if controle.absence is not None:
        # Q8, R20: a contrôle not sat gives no grade to compare; the premier-groupe grade stands.
        return Substitue(
            choix=controle.code, remplace=remplace, coefficient=coefficient, note_controle=None,
            points_premier_groupe=avant, points_controle=ZERO, points_retenus=avant, retenue="premier_groupe",
            absence=controle.absence,
        )  # fmt: skip
    if controle.note is None:
        raise InvariantViole(f"contrôle {controle.code} sans note ni absence")
    note = valider_note(epreuve, controle.note, arrondi=reglement.arrondi_notes_non_entieres)
    apres = produit(note, coefficient)
    garde: Literal["premier_groupe", "controle"] = "controle" if apres > avant else "premier_groupe"
    return Substitue(
        choix=controle.code,
        remplace=remplace,
        coefficient=coefficient,
        note_controle=note,
        points_premier_groupe=avant,
        points_controle=apres,
        points_retenus=max(avant, apres),
        retenue=garde,
    )


def _etape_absence(s: Substitue) -> Etape:
    """Q8, R20: an absence at a contrôle leaves the premier-groupe grade; a justified one may be replaced (R34)."""
    if s.absence == "injustifiee":
        libelle = f"Absence injustifiée au contrôle « {s.choix} » : la note du premier groupe est retenue"
        regle = "R20, Q8"
    else:
        libelle = (
            f"Absence justifiée au contrôle « {s.choix} » : la note du premier groupe est retenue ; seul le recteur "
            "peut autoriser une épreuve de remplacement avant la délibération (D334-19, D336-18)"
        )
        regle = "R20, R34, Q8"
    return Etape(regle=regle, libelle=libelle, valeur=ecrire(s.points_premier_groupe), seuil=ecrire(s.points_retenus))


def deliberer_second_groupe(
    reglement: Reglement,
    decision: DecisionPremierGroupe,
    controles: tuple[NoteControle, ...],
    contexte: ContexteJury | None = None,
) -> DecisionSecondGroupe:
    """Admis if the total with best-of substitutions ≥ 10 × Σcoef (R21); never a mention (R24).

    An empty ``controles`` means the candidate did not sit: premier-groupe grades stand (Q8).
    """
    contexte = contexte or ContexteJury()
    verifier_reglement(reglement, decision.calcul)
    sg = reglement.second_groupe
    if controles:
        verifier_choix_second_groupe(reglement, decision, tuple(c.code for c in controles))
    elif decision.resultat != Resultat.second_groupe:
        raise EtatIncompatible(f"Candidat {decision.resultat.value} au premier groupe", regle="R18")
    ordonnes = sorted(controles, key=lambda c: reglement.rang(c.code))
    substitutions = tuple(_substituer(reglement, decision, c) for c in ordonnes)
    etapes = list(decision.etapes)
    if not substitutions:
        etapes.append(Etape(regle="R21, Q8", libelle="Aucune épreuve de contrôle subie : notes du premier groupe"))
    for s in substitutions:
        if s.absence is not None:
            etapes.append(_etape_absence(s))
            continue
        etapes.append(
            Etape(
                regle=sg.regle_calcul,
                libelle=f"Contrôle « {s.choix} » (remplace {', '.join(s.remplace)}, coef {ecrire(s.coefficient)}) : "
                f"meilleure note retenue ({s.retenue})",
                valeur=f"{ecrire(s.points_controle)} contre {ecrire(s.points_premier_groupe)}",
                seuil=ecrire(s.points_retenus),
            )
        )
    K = decision.calcul.total_coefficients
    jury_1 = decision.contexte.points_jury
    gains = somme(difference(s.points_retenus, s.points_premier_groupe) for s in substitutions)
    avant_jury = somme((decision.calcul.total_points, gains, jury_1))
    etapes += (
        verifier_points_jury(reglement, avant_jury, K, contexte.points_jury, deja=jury_1)
        if contexte.points_jury
        else []
    )
    total = somme((avant_jury, contexte.points_jury))
    if total < decision.total_apres_jury:
        raise InvariantViole("le second groupe a fait baisser le total (R20)")
    q = moyenne_exacte(total, K)
    verifier_moyenne(q, reglement.version)
    seuil = produit(reglement.seuils.admission, K)
    texte = f"{ecrire(total)} / {ecrire(K)} = {ecrire_fraction(q)}"
    if total >= seuil:
        resultat = Resultat.admis
        etapes.append(
            Etape(
                regle=sg.regle_decision,
                libelle="Moyenne des deux groupes ≥ 10 : admis",
                valeur=texte,
                seuil=ecrire(seuil),
            )
        )
        etapes.append(Etape(regle="R21, R24", libelle="Admis après le second groupe : aucune mention"))
        certificat = None
    else:
        resultat = Resultat.ajourne
        etapes.append(
            Etape(
                regle=sg.regle_decision,
                libelle="Moyenne des deux groupes < 10 : ajourné",
                valeur=texte,
                seuil=ecrire(seuil),
            )
        )
        etapes += verifier_livret(contexte)
        certificat, etapes_certificat = attribuer_certificat(reglement, resultat, total, K)
        etapes += etapes_certificat
        if certificat is not None and any(s.absence for s in substitutions):
            seuil_certificat = reglement.seuils.certificat or ZERO
            etapes.append(
                Etape(
                    regle="R31, Q8",
                    libelle=f"Absent au second groupe, ajourné avec une moyenne ≥ {ecrire(seuil_certificat)} sur "
                    f"l'ensemble des épreuves : le {certificat} est délivré (D334-12, D336-12)",
                    valeur=ecrire(total),
                    seuil=ecrire(produit(seuil_certificat, K)),
                )
            )
    return DecisionSecondGroupe(
        resultat=resultat,
        premier_groupe=decision,
        substitutions=substitutions,
        points_jury=somme((jury_1, contexte.points_jury)),
        total_points=total,
        moyenne_affichee=tronquer_centiemes(q),
        certificat=certificat,
        etapes=tuple(etapes),
    )
