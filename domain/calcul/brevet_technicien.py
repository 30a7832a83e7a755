"""Brevet de technicien: admission to the second série, dispensation, title, September replacement, jury
(R58, R59, R60; seed 003_aacc5faa8ca732ac.txt, D336-50, D336-56, D336-57, D336-58 [I]).

Pure functions over exact arithmetic, decisions on points (Q1); each result carries its `Etape` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.calcul.arithmetique import InvariantViole, ecrire_fraction, moyenne_exacte, produit, somme
from domain.calcul.types import Etape
from domain.errors import RefusMetier
from domain.reglement import valider_note
from domain.reglement.brevet import EpreuveBrevet, ReglementBrevetTechnicien
from domain.reglement.modeles import Epreuve, Nature


class DecisionBrevetRefusee(RefusMetier):
    code = "DECISION_BREVET_REFUSEE"


class _Fige(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IssuePremiereSerie(_Fige):
    resultat: Literal["admis_deuxieme_serie", "dispense_deuxieme_serie", "ajourne"]
    moyenne: Fraction
    etapes: tuple[Etape, ...]


class DecisionTitre(_Fige):
    titre: bool
    moyenne_generale: Fraction
    moyenne_professionnelle: Fraction
    dispense: bool
    etapes: tuple[Etape, ...]


class AutorisationSeptembre(_Fige):
    """D336-57: what a candidate prevented by force majeure may sit, and when."""

    epreuves_professionnelles_deuxieme_serie: bool
    epreuves_septembre: tuple[str, ...]
    etapes: tuple[Etape, ...]


Notes = Mapping[str, Decimal]


def _valider(reglement: ReglementBrevetTechnicien, notes: Notes) -> None:
    connus = {e.code for e in reglement.epreuves}
    inconnus = sorted(set(notes) - connus)
    if inconnus:
        raise DecisionBrevetRefusee(f"Épreuves inconnues du brevet {reglement.specialite} : {', '.join(inconnus)}",
                                    regle="R58")  # fmt: skip
    for code, note in notes.items():
        # Same 0–20 scale as the baccalauréat; the seed says nothing of whole points here.
        valider_note(_comme_epreuve(code), note, arrondi="aucun")


def _comme_epreuve(code: str) -> Epreuve:
    return Epreuve(code=code, libelle=code, nature=Nature.generale, coefficient=Decimal(1), note_entiere=False,
                   source="R58")  # fmt: skip


def _moyenne(epreuves: Iterable[EpreuveBrevet], notes: Notes, quoi: str) -> tuple[Fraction, Decimal, Decimal]:
    retenues = list(epreuves)
    manquantes = [e.code for e in retenues if e.code not in notes]
    if manquantes:
        raise DecisionBrevetRefusee(f"Notes manquantes ({quoi}) : {', '.join(manquantes)}", regle="R58")
    points = somme(produit(notes[e.code], e.coefficient) for e in retenues)
    coefficients = somme(e.coefficient for e in retenues)
    return moyenne_exacte(points, coefficients), points, coefficients


def issue_premiere_serie(
    reglement: ReglementBrevetTechnicien,
    notes: Notes,
    *,
    candidat_d336_50: bool,
    dossier_examine: bool = False,
    admis_par_le_jury: bool = False,
    dispense_par_le_jury: bool = False,
) -> IssuePremiereSerie:
    """R58 (D336-56 [I]): ≥ 10 admitted to the second série; 8 ≤ m < 10 only if the jury, having examined the
    dossier scolaire, admits him; a D336-50 candidate above 10 may be dispensed of it by the jury (dossier)."""
    _valider(reglement, notes)
    s = reglement.seuils
    q, points, coefs = _moyenne(reglement.epreuves_de(1), notes, "première série")
    texte = f"{points} / {coefs} = {ecrire_fraction(q)}"
    if (admis_par_le_jury or dispense_par_le_jury) and not dossier_examine:
        raise DecisionBrevetRefusee("Le jury ne décide qu'après examen du dossier scolaire", regle="R58, D336-56")
    if dispense_par_le_jury:
        if not candidat_d336_50:
            raise DecisionBrevetRefusee("Seul un candidat scolaire (D336-50) peut être dispensé de la deuxième série",
                                        regle="R58, D336-56")  # fmt: skip
        if not q > s.dispense_strictement_au_dessus:
            raise DecisionBrevetRefusee(
                f"Dispense de la deuxième série : moyenne supérieure à {s.dispense_strictement_au_dessus} exigée "
                f"({ecrire_fraction(q)})",
                regle="R58, D336-56",
            )
        etape = Etape(regle="R58", libelle="Moyenne > 10, dossier examiné : dispensé de la deuxième série par le jury",
                      valeur=texte, seuil=f"> {s.dispense_strictement_au_dessus}")  # fmt: skip
        return IssuePremiereSerie(resultat="dispense_deuxieme_serie", moyenne=q, etapes=(etape,))
    if q >= s.seconde_serie:
        etape = Etape(regle="R58", libelle="Moyenne de première série ≥ 10 : admis à la deuxième série",
                      valeur=texte, seuil=str(s.seconde_serie))  # fmt: skip
        return IssuePremiereSerie(resultat="admis_deuxieme_serie", moyenne=q, etapes=(etape,))
    if q >= s.examen_dossier:
        if not dossier_examine:
            raise DecisionBrevetRefusee(
                f"Moyenne {ecrire_fraction(q)} entre 8 et 10 : le jury doit examiner le dossier scolaire avant de "
                "décider", regle="R58, D336-56",
            )  # fmt: skip
        libelle = (
            "8 ≤ moyenne < 10, dossier scolaire examiné : admis par le jury à la deuxième série"
            if admis_par_le_jury
            else "8 ≤ moyenne < 10, dossier scolaire examiné : le jury n'admet pas à la deuxième série"
        )
        etape = Etape(regle="R58", libelle=libelle, valeur=texte, seuil=f"{s.examen_dossier} ≤ m < {s.seconde_serie}")
        return IssuePremiereSerie(
            resultat="admis_deuxieme_serie" if admis_par_le_jury else "ajourne", moyenne=q, etapes=(etape,)
        )
    if admis_par_le_jury:
        raise DecisionBrevetRefusee(f"Moyenne {ecrire_fraction(q)} < 8 : le jury ne peut admettre à la deuxième série",
                                    regle="R58, D336-56")  # fmt: skip
    etape = Etape(
        regle="R58", libelle="Moyenne de première série < 8 : ajourné", valeur=texte, seuil=str(s.examen_dossier)
    )
    return IssuePremiereSerie(resultat="ajourne", moyenne=q, etapes=(etape,))


def decerner_titre(reglement: ReglementBrevetTechnicien, notes: Notes, *, issue: IssuePremiereSerie) -> DecisionTitre:
    """R58 (D336-56 [I]): the title of technicien breveté goes (1) to the candidate dispensed of the second série,
    (2) to one with both a general average ≥ 10 and an average of 10 on the professional épreuves of both séries."""
    _valider(reglement, notes)
    s = reglement.seuils
    if issue.resultat == "ajourne":
        raise DecisionBrevetRefusee("Candidat non admis à la deuxième série : pas de titre", regle="R58")
    dispense = issue.resultat == "dispense_deuxieme_serie"
    series = reglement.epreuves_de(1) if dispense else reglement.epreuves
    generale, pg, kg = _moyenne(series, notes, "ensemble des épreuves")
    professionnelle, pp, kp = _moyenne((e for e in series if e.professionnelle), notes, "épreuves professionnelles")
    etapes = list(issue.etapes)
    if dispense:
        titre = True
        etapes.append(Etape(regle="R58", libelle="Dispensé de la deuxième série : titre de technicien breveté (1°)"))
    else:
        titre = generale >= s.titre_general and professionnelle >= s.titre_professionnel
        etapes.append(Etape(regle="R58", libelle="Moyenne générale des deux séries", valeur=f"{pg} / {kg} = "
                            f"{ecrire_fraction(generale)}", seuil=str(s.titre_general)))  # fmt: skip
        etapes.append(Etape(regle="R58", libelle="Moyenne des épreuves professionnelles des deux séries",
                            valeur=f"{pp} / {kp} = {ecrire_fraction(professionnelle)}",
                            seuil=str(s.titre_professionnel)))  # fmt: skip
        etapes.append(Etape(regle="R58", libelle="Les deux moyennes ≥ 10 : titre de technicien breveté (2°)"
                            if titre else "Une des deux moyennes < 10 : pas de titre"))  # fmt: skip
        if titre and not (generale >= s.titre_general and professionnelle >= s.titre_professionnel):
            raise InvariantViole("titre de technicien breveté sans les deux moyennes (R58)")
    return DecisionTitre(titre=titre, moyenne_generale=generale, moyenne_professionnelle=professionnelle,
                         dispense=dispense, etapes=tuple(etapes))  # fmt: skip


def autoriser_septembre(
    reglement: ReglementBrevetTechnicien, notes: Notes, *, empechees: Iterable[str]
) -> AutorisationSeptembre:
    """R59 (D336-57 [I]): force majeure on the general épreuves; ``notes`` holds the épreuves sat."""
    _valider(reglement, notes)
    s = reglement.seuils
    par_code = {e.code: e for e in reglement.epreuves}
    empeche = sorted(set(empechees))
    if not empeche or any(c not in par_code or par_code[c].professionnelle or c in notes for c in empeche):
        raise DecisionBrevetRefusee("La force majeure ne vaut que pour des épreuves générales non subies",
                                    regle="R59, D336-57")  # fmt: skip
    subies = [e for e in reglement.epreuves if e.code in notes]
    q, _, _ = _moyenne(subies, notes, "épreuves subies")
    etapes = [Etape(regle="R59", libelle="Moyenne des épreuves subies", valeur=ecrire_fraction(q),
                    seuil=str(s.remplacement_subies))]  # fmt: skip
    refus = AutorisationSeptembre(epreuves_professionnelles_deuxieme_serie=False, epreuves_septembre=(),
                                  etapes=tuple(etapes))  # fmt: skip
    if q < s.remplacement_subies:
        return refus
    generales = lambda serie: tuple(e.code for e in reglement.epreuves_de(serie) if not e.professionnelle)  # noqa: E731
    if all(par_code[c].serie == 2 for c in empeche):
        # Second alinéa: general épreuves of the second série only; professional average of both séries ≥ 10.
        qp, _, _ = _moyenne((e for e in reglement.epreuves if e.professionnelle), notes, "épreuves professionnelles")
        etapes.append(Etape(regle="R59", libelle="Moyenne des épreuves professionnelles des deux séries",
                            valeur=ecrire_fraction(qp), seuil=str(s.remplacement_professionnel_tous)))  # fmt: skip
        if qp < s.remplacement_professionnel_tous:
            return refus.model_copy(update={"etapes": tuple(etapes)})
        return AutorisationSeptembre(epreuves_professionnelles_deuxieme_serie=True, epreuves_septembre=generales(2),
                                     etapes=tuple(etapes))  # fmt: skip
    # First alinéa: general épreuves (first série) not sat; professional first série ≥ 8 → sits the second série's
    # professional épreuves; all professional ≥ 10 → every general épreuve of both séries in September.
    q1, _, _ = _moyenne((e for e in reglement.epreuves_de(1) if e.professionnelle), notes, "professionnelles (1re)")
    etapes.append(Etape(regle="R59", libelle="Moyenne des épreuves professionnelles de la première série",
                        valeur=ecrire_fraction(q1), seuil=str(s.remplacement_professionnel_premiere)))  # fmt: skip
    if q1 < s.remplacement_professionnel_premiere:
        return refus.model_copy(update={"etapes": tuple(etapes)})
    professionnelles = [e for e in reglement.epreuves if e.professionnelle]
    if not all(e.code in notes for e in professionnelles):
        return AutorisationSeptembre(epreuves_professionnelles_deuxieme_serie=True, epreuves_septembre=(),
                                     etapes=tuple(etapes))  # fmt: skip
    qt, _, _ = _moyenne(professionnelles, notes, "épreuves professionnelles")
    etapes.append(Etape(regle="R59", libelle="Moyenne de l'ensemble des épreuves professionnelles",
                        valeur=ecrire_fraction(qt), seuil=str(s.remplacement_professionnel_tous)))  # fmt: skip
    septembre = (*generales(1), *generales(2)) if qt >= s.remplacement_professionnel_tous else ()
    return AutorisationSeptembre(epreuves_professionnelles_deuxieme_serie=True, epreuves_septembre=septembre,
                                 etapes=tuple(etapes))  # fmt: skip


CategorieJuryBrevet = Literal["enseignement_public", "enseignement_prive", "employeur", "salarie"]


def verifier_jury_brevet(
    reglement: ReglementBrevetTechnicien, membres: Iterable[CategorieJuryBrevet], *, prive_impossible: bool = False
) -> list[Etape]:
    """R60 (D336-58 [I]): besides its president, half public education, half the profession (employers and
    employees both present), and private education unless impossible."""
    liste = list(membres)
    public = sum(1 for m in liste if m == "enseignement_public")
    profession = sum(1 for m in liste if m in ("employeur", "salarie"))
    enseignement = public + sum(1 for m in liste if m == "enseignement_prive")
    attendu = produit(Decimal(len(liste)), reglement.jury.part_profession)
    if not liste or Decimal(profession) != attendu or enseignement != len(liste) - profession:
        raise DecisionBrevetRefusee(
            f"Jury de {len(liste)} membres dont {profession} de la profession : la moitié exactement est requise",
            regle="R60, D336-58",
        )
    if {"employeur", "salarie"} - set(liste):
        raise DecisionBrevetRefusee("La profession siège par ses employeurs et ses salariés", regle="R60, D336-58")
    if "enseignement_prive" not in liste and not prive_impossible:
        raise DecisionBrevetRefusee("L'enseignement privé siège sauf impossibilité", regle="R60, D336-58")
    return [Etape(regle="R60", libelle="Jury régulièrement composé : moitié enseignement, moitié profession",
                  valeur=f"{enseignement} + {profession}")]  # fmt: skip
