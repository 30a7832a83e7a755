"""Premier-groupe deliberation (R16, R17, R18, R29, R30, R31, R34, R39; D334-8, D334-10, D336-8, D336-10).

Order follows REGLEMENT's decision procedure: replacement pending (R34) → étalement (R17) →
missing grades refused → points de jury (R30) → thresholds on points (R16, Q1) → livret (R29).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from domain.calcul.arithmetique import (
    ZERO,
    InvariantViole,
    ecrire,
    ecrire_fraction,
    moyenne_exacte,
    produit,
    somme,
    tronquer_centiemes,
    verifier_moyenne,
)
from domain.calcul.mentions import attribuer_mention, exclusions_mention
from domain.calcul.types import Calcul, ContexteJury, DecisionPremierGroupe, Etape, Resultat
from domain.errors import RefusMetier
from domain.reglement import Reglement


class NotesManquantes(RefusMetier):
    code = "NOTES_MANQUANTES"


class PointsJuryRefuses(RefusMetier):
    code = "POINTS_JURY_REFUSES"


class LivretNonExamine(RefusMetier):
    code = "LIVRET_NON_EXAMINE"


class RemplacementImpossible(RefusMetier):
    code = "REMPLACEMENT_IMPOSSIBLE"


def verifier_reglement(reglement: Reglement, calcul: Calcul) -> None:
    """A calcul may only be judged under the exact set it was computed with (R54 replay)."""
    if calcul.empreinte_reglement != reglement.empreinte:
        raise InvariantViole(f"Calcul fait avec {calcul.version_reglement}, délibération avec {reglement.version}")


def verifier_points_jury(
    reglement: Reglement, points: Decimal, coefficients: Decimal, jury: Decimal, deja: Decimal = ZERO
) -> list[Etape]:
    """R30: points de jury allowed, capped (2026: 50, Q2), never lifting < 8 into the second groupe."""
    if jury == 0:
        return []
    if jury < 0:
        raise PointsJuryRefuses("Des points de jury ne peuvent pas être négatifs", regle="R30")
    if not reglement.jury.points_autorises:
        raise PointsJuryRefuses(
            f"Le règlement de la session {reglement.session} ne prévoit pas de points de jury", regle="R30"
        )
    plafond = reglement.jury.points_max
    if plafond is not None and jury + deja > plafond:
        raise PointsJuryRefuses(
            f"{ecrire(jury + deja)} points de jury : {ecrire(plafond)} au plus à la session {reglement.session}",
            regle="R30, Q2",
        )
    seuil_2g = produit(reglement.seuils.second_groupe, coefficients)
    if reglement.jury.interdit_vers_second_groupe and points < seuil_2g <= points + jury:
        raise PointsJuryRefuses(
            f"Des points de jury ne peuvent pas porter {ecrire(points)} points jusqu'au seuil du second groupe "
            f"({ecrire(seuil_2g)})",
            regle="R30, R18",
        )
    if points + jury > produit(Decimal(20), coefficients):
        raise PointsJuryRefuses("Les points de jury porteraient la moyenne au-delà de 20", regle="R30, R13")
    return [
        Etape(
            regle="R30",
            libelle="Points de jury ajoutés au total",
            valeur=f"{ecrire(points)} + {ecrire(jury)}",
            seuil=ecrire(plafond) if plafond is not None else "",
        )
    ]


def attribuer_certificat(
    reglement: Reglement, resultat: Resultat, points: Decimal, coefficients: Decimal
) -> tuple[str | None, list[Etape]]:
    """R31 (D334-12, D336-12): an ajourné with moyenne ≥ 8 gets the certificate; none for pro ([U])."""
    seuil = reglement.seuils.certificat
    if resultat != Resultat.ajourne or reglement.certificat is None or seuil is None:
        return None, []
    limite = produit(seuil, coefficients)
    if points >= limite:
        return reglement.certificat, [
            Etape(
                regle="R31",
                libelle=f"Ajourné avec moyenne ≥ {ecrire(seuil)} : {reglement.certificat}",
                valeur=ecrire(points),
                seuil=ecrire(limite),
            )
        ]
    return None, [
        Etape(regle="R31", libelle="Moyenne < 8 : pas de certificat", valeur=ecrire(points), seuil=ecrire(limite))
    ]


def sous_moyenne_professionnelle(calcul: Calcul) -> Fraction | None:
    """R39: average of the professional épreuves only (maths, PC, éco-gestion, PSE excluded by data)."""
    if calcul.points_professionnels is None or not calcul.coefficients_professionnels:
        return None
    return moyenne_exacte(calcul.points_professionnels, calcul.coefficients_professionnels)


def _acces_second_groupe(reglement: Reglement, calcul: Calcul) -> tuple[bool, list[Etape]]:
    seuil = reglement.second_groupe.seuil_sous_moyenne_professionnelle
    if seuil is None:
        return True, []
    q = sous_moyenne_professionnelle(calcul)
    if q is None:
        raise InvariantViole(f"{reglement.version} : aucune épreuve professionnelle notée")
    points, coefs = calcul.points_professionnels or ZERO, calcul.coefficients_professionnels or ZERO
    texte = f"{ecrire(points)} / {ecrire(coefs)} = {ecrire_fraction(q)}"
    if q >= seuil:
        return True, [
            Etape(
                regle="R39",
                libelle="Moyenne des épreuves professionnelles ≥ 10 : contrôle ouvert",
                valeur=texte,
                seuil=ecrire(seuil),
            )
        ]
    return False, [
        Etape(
            regle="R39",
            libelle="Moyenne des épreuves professionnelles < 10 : pas d'épreuve de contrôle",
            valeur=texte,
            seuil=ecrire(seuil),
        )
    ]


def deliberer_premier_groupe(
    reglement: Reglement, calcul: Calcul, contexte: ContexteJury | None = None
) -> DecisionPremierGroupe:
    """The premier-groupe outcome with its explanation; refusals name their rule."""
    contexte = contexte or ContexteJury()
    verifier_reglement(reglement, calcul)
    etapes = list(calcul.etapes)
    manquantes = set(calcul.epreuves_manquantes)
    autorises = set(contexte.remplacements_autorises)
    for code in sorted(autorises):
        if not reglement.epreuve(code).remplacable:
            raise RemplacementImpossible(f"« {code} » n'a pas d'épreuve de remplacement", regle="R34")
    P, K = calcul.total_points, calcul.total_coefficients

    def decision(
        resultat: Resultat,
        total: Decimal = P,
        mention: str | None = None,
        libelle_mention: str | None = None,
        certificat: str | None = None,
    ) -> DecisionPremierGroupe:
        q = moyenne_exacte(total, K)
        verifier_moyenne(q, reglement.version)
        if resultat == Resultat.admis and total < produit(reglement.seuils.admission, K):
            raise InvariantViole(f"{reglement.version} : admis sous le seuil d'admission")
        if mention is not None and resultat != Resultat.admis:
            raise InvariantViole(f"{reglement.version} : mention sans admission au premier groupe")
        return DecisionPremierGroupe(
            resultat=resultat,
            calcul=calcul,
            contexte=contexte,
            total_apres_jury=total,
            moyenne_affichee=tronquer_centiemes(q),
            etapes=tuple(etapes),
            mention=mention,
            libelle_mention=libelle_mention,
            certificat=certificat,
        )

    if manquantes & autorises and not contexte.etalement_handicap:
        reste = sorted(manquantes - autorises, key=reglement.rang)
        if reste:
            raise NotesManquantes(f"Notes manquantes sans remplacement autorisé : {', '.join(reste)}", regle="R13, R34")
        codes = ", ".join(sorted(manquantes, key=reglement.rang))
        etapes.append(Etape(regle="R34, Q15", libelle=f"Remplacement autorisé ({codes}) : en attente, même session"))
        return decision(Resultat.en_attente_remplacement)
    if contexte.etalement_handicap:
        etapes.append(
            Etape(
                regle="R17",
                libelle="Étalement (handicap) : délibération sur les seules épreuves présentées, sans décision finale",
            )
        )
        return decision(Resultat.sans_decision_finale)
    if manquantes:
        codes = ", ".join(sorted(manquantes, key=reglement.rang))
        raise NotesManquantes(f"Notes manquantes (ni note ni absence enregistrée) : {codes}", regle="R13")
    if contexte.etalement_acheve:
        etapes.append(
            Etape(
                regle="R17, R33",
                libelle="Étalement (handicap) achevé : toutes les épreuves sont présentées, notes conservées des "
                "sessions antérieures comprises ; décision finale",
            )
        )

    J = contexte.points_jury
    etapes += verifier_points_jury(reglement, P, K, J)
    total = somme((P, J))
    seuil_adm = produit(reglement.seuils.admission, K)
    seuil_2g = produit(reglement.seuils.second_groupe, K)
    texte = f"{ecrire(total)} / {ecrire(K)} = {ecrire_fraction(moyenne_exacte(total, K))}"
    if total >= seuil_adm:
        etapes.append(
            Etape(
                regle="R16",
                libelle=f"Moyenne ≥ {ecrire(reglement.seuils.admission)} : admis",
                valeur=texte,
                seuil=ecrire(seuil_adm),
            )
        )
        exclusions = exclusions_mention(
            reglement,
            notes_conservees=calcul.notes_conservees,
            handicap_benefice=calcul.handicap_benefice,
            dispense_autre_bac=calcul.dispense_autre_bac,
            privation=contexte.privation_mention,
            etalement=contexte.etalement_acheve,
        )
        mention, etapes_mention = attribuer_mention(
            reglement, total, K, exclusions, felicitations_refusees=contexte.felicitations_refusees
        )
        etapes += etapes_mention
        return decision(
            Resultat.admis,
            total,
            mention=mention.code if mention else None,
            libelle_mention=mention.libelle if mention else None,
        )
    if total >= seuil_2g:
        ouvert, etapes_pro = _acces_second_groupe(reglement, calcul)
        etapes += etapes_pro
        if ouvert:
            etapes.append(
                Etape(
                    regle="R16, R18",
                    libelle="8 ≤ moyenne < 10 : autorisé au second groupe",
                    valeur=texte,
                    seuil=f"{ecrire(seuil_2g)} ≤ points < {ecrire(seuil_adm)}",
                )
            )
            return decision(Resultat.second_groupe, total)
    else:
        etapes.append(
            Etape(
                regle="R16",
                libelle=f"Moyenne < {ecrire(reglement.seuils.second_groupe)} : ajourné",
                valeur=texte,
                seuil=ecrire(seuil_2g),
            )
        )
    etapes += verifier_livret(contexte)
    certificat, etapes_certificat = attribuer_certificat(reglement, Resultat.ajourne, total, K)
    etapes += etapes_certificat
    return decision(Resultat.ajourne, total, certificat=certificat)


def verifier_livret(contexte: ContexteJury) -> list[Etape]:
    """R29 (D334-10, D336-10): no ajournement of a candidate whose livret was supplied but not examined."""
    if contexte.livret_fourni and not contexte.livret_examine:
        raise LivretNonExamine(
            "Le livret scolaire fourni doit être examiné par le jury avant tout ajournement", regle="R29"
        )
    if contexte.livret_fourni:
        return [Etape(regle="R29", libelle="Livret scolaire examiné par le jury avant ajournement")]
    return []
