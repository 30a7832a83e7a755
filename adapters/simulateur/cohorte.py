"""An académie's session as batch files of commands, deterministic from a profile and a seed.

1. *Plan* (`planifier`): per cell (voie, techno série, bac pro spécialité) the number of candidates
   of each outcome. The first-groupe admis count is the integer that reproduces the published rate
   to one decimal (R44, R45); the voie totals and the evolutions against the previous profile
   (R46) are checked by exact arithmetic, so a profile that cannot be met is refused at once.
2. *Candidates*: each gets its outcome, then grades drawn so that the real rules give it
   (`adapters.simulateur.generateur.tirer_dossier`), options, absences, handicap, replacement (R34), kept
   grades of an ajourné of the previous session (R32).
3. *Lots* (`lots_journee.lots_de_la_journee`): the day's batch files in order — inscriptions and transcripts per
   voie, juries and replacement authorisations, premier groupe, second groupe, replacement.
   They go through `bac apply` like any other batch: same validation, same aggregates.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from math import floor

from adapters.simulateur.generateur import DossierTire, tirer_dossier
from adapters.simulateur.journee import CandidatPrevu, Journee, PlanCellule
from adapters.simulateur.profils import Profil, ProfilInvalide
from domain.reglement import Reglement, charger_reglement
from projections.taux import evolution, taux_publie

PREFIXES_JURY = {"general": "G", "technologique": "T", "professionnel": "P"}
OPTIONS = ("OPT_LVC_1", "OPT_LVC_T")  # one optional subject followed two years (R6, R11)


def _arrondi(x: Fraction) -> int:
    return floor(x + Fraction(1, 2))


def admis_pour(presents: int, publie: Decimal) -> int:
    """The admis count nearest to the published rate (R44), or `ProfilInvalide` if none rounds to it."""
    admis = _arrondi(Fraction(presents) * Fraction(publie) / 100)
    if presents and taux_publie(admis, presents) != publie:
        raise ProfilInvalide(f"aucun nombre d'admis sur {presents} présents ne donne {publie} %", regle="R44")
    return admis


def planifier(profil: Profil) -> list[PlanCellule]:
    """Counts per cell and outcome; every published rate is reproduced exactly or the profile is refused."""
    plans = []
    hyp = profil.hypotheses
    for c in profil.cellules:
        a = admis_pour(c.presents, c.taux)
        h = hyp.de(c.voie)
        reste = c.presents - a
        sg = min(_arrondi(c.presents * Fraction(h.second_groupe)), reste * 3 // 4)
        remplacement = min(_arrondi(c.presents * Fraction(hyp.commun.remplacements)), reste - sg)
        sga = _arrondi(sg * Fraction(h.reussite_second_groupe))
        absents = _arrondi(c.presents * Fraction(hyp.commun.absents))
        plans.append(PlanCellule(c.voie, c.serie, c.presents, a, sga, sg - sga, remplacement, absents))
    for voie, publie in profil.voies.items():
        admis = sum(p.admis_1 for p in plans if p.voie == voie)
        if taux_publie(admis, publie.presents) != publie.taux:
            obtenu = taux_publie(admis, publie.presents)
            raise ProfilInvalide(
                f"{profil.nom} : voie {voie}, les cellules donnent {obtenu} %, publié {publie.taux} %", regle="R44, R45"
            )
    return plans


def verifier_evolutions(profil: Profil, precedent: Profil) -> None:
    """R46, Q12: the published evolutions follow from the two plans' exact rates (n/a without a base)."""
    avant = {(p.voie, p.serie): p for p in planifier(precedent)}
    maintenant = {(p.voie, p.serie): p for p in planifier(profil)}
    erreurs = []
    for c in profil.cellules:
        p, q = maintenant[(c.voie, c.serie)], avant.get((c.voie, c.serie))
        obtenue = evolution(p.admis_1, p.presents, q.admis_1 if q else 0, q.presents if q else 0)
        attendue = None if c.evolution == "n/a" else c.evolution
        if c.evolution is not None and obtenue != attendue:
            erreurs.append(f"{c.voie} {c.serie or ''} : {obtenue}, publié {c.evolution}")
    for voie, publie in profil.voies.items():
        a = sum(p.admis_1 for p in maintenant.values() if p.voie == voie)
        b = sum(q.admis_1 for q in avant.values() if q.voie == voie)
        nb = sum(q.presents for q in avant.values() if q.voie == voie)
        obtenue = evolution(a, publie.presents, b, nb)
        if publie.evolution not in (None, "n/a") and obtenue != publie.evolution:
            erreurs.append(f"voie {voie} : {obtenue}, publié {publie.evolution}")
    if erreurs:
        raise ProfilInvalide(f"{profil.nom} contre {precedent.nom} : " + "; ".join(erreurs), regle="R46")


def _reglement(annee: int, voie: str, serie: str | None) -> Reglement:
    return charger_reglement(annee, voie, serie)


def _avec_remplacement(reglement: Reglement, dossier: DossierTire, rng: random.Random) -> DossierTire:
    """A justified absence at one terminal épreuve, its grade entered after the recteur's authorisation (R34)."""
    codes = [e.code for e in reglement.epreuves if e.remplacable and dossier.notes.get(e.code) is not None]
    code = rng.choice(codes)
    note = dossier.notes[code]
    assert note is not None
    notes = {**dossier.notes, code: None}
    return DossierTire(notes=notes, absences={**dossier.absences, code: "justifiee"}, remplacement=(code, note))


def _conservables(precedente: Journee) -> Iterator[tuple[CandidatPrevu, dict[str, Decimal]]]:
    """Ajournés of the previous session with kept-eligible grades ≥ 10 (R32: written and oral terminales)."""
    for c in precedente.candidats:
        # Ajournés at the premier groupe: their decision is final as soon as the juries have deliberated.
        if c.voie != "general" or c.issue != "ajourne_1" or c.origine is not None:
            continue
        reglement = _reglement(precedente.profil.annee, c.voie, c.serie)
        natures = set(reglement.benefice.natures)
        gardees = {
            code: n
            for code, n in c.dossier.notes.items()
            if n is not None and n >= reglement.benefice.seuil and reglement.epreuve(code).nature in natures
        }
        if gardees:
            yield c, gardees


def construire(profil: Profil, graine: int = 2024, precedente: Journee | None = None, *, academie: int = 0) -> Journee:
    """The session's candidates, deterministic from (profile, seed); kept grades need ``precedente``.

    ``academie`` (0–675) keeps INEs distinct when several académies' sessions share a store (R36).
    """
    rng = random.Random(f"{graine}:{profil.session.code}")
    hyp = profil.hypotheses.commun
    annee = profil.annee
    plans = planifier(profil)
    reprises = list(_conservables(precedente))[: hyp.conservations] if precedente else []
    candidats: list[CandidatPrevu] = []
    rang = 0
    for plan in plans:
        issues = plan.issues()
        rng.shuffle(issues)
        reglement = _reglement(annee, plan.voie, plan.serie)
        for issue in issues:
            rang += 1
            origine_prevue = None
            conservees: dict[str, Decimal] = {}
            if reprises and plan.voie == "general" and issue not in ("absent", "remplacement_admis"):
                ancien, conservees = reprises.pop(0)
                origine_prevue = (precedente.session if precedente else "", ancien.numero, tuple(conservees))
            if issue == "absent" or rng.random() < float(hyp.individuels):
                categorie = "individuel"
            else:
                categorie = "scolaire_prive_sous_contrat" if rng.random() < 0.15 else "scolaire_public"
            options = OPTIONS if plan.voie != "professionnel" and rng.random() < float(hyp.options) else ()
            injustifiee = issue not in ("absent", "remplacement_admis") and rng.random() < float(
                hyp.absences_injustifiees
            )
            dossier = tirer_dossier(
                reglement,
                "admis_1" if issue == "remplacement_admis" else issue,
                rng,
                options=options,
                absence_injustifiee=injustifiee and not conservees,
                conservees=conservees,
            )
            if issue == "remplacement_admis":
                dossier = _avec_remplacement(reglement, dossier, rng)
            ine = f"{annee % 100:02d}{rang:07d}{chr(65 + academie % 26)}{chr(65 + (academie // 26) % 26)}"
            if origine_prevue is not None and precedente is not None:
                ine = next(c.ine for c in precedente.candidats if c.numero == origine_prevue[1])
            candidats.append(
                CandidatPrevu(
                    numero=f"{annee % 100:02d}{rang:06d}",
                    ine=ine,
                    voie=plan.voie,
                    serie=plan.serie,
                    issue=issue,
                    categorie=categorie,
                    options=options,
                    handicap=issue != "absent" and rng.random() < float(hyp.handicap),
                    dossier=dossier,
                    origine=origine_prevue,
                )
            )
    journee = Journee(profil=profil, plans=plans, candidats=candidats)
    _repartir_en_jurys(journee, rng)
    return journee


def _repartir_en_jurys(journee: Journee, rng: random.Random) -> None:
    """Juries per voie (R26), of at most ``taille_jury`` candidates, candidates mixed across cells."""
    taille = journee.profil.hypotheses.commun.taille_jury
    for voie, prefixe in PREFIXES_JURY.items():
        de_la_voie = [c for c in journee.candidats if c.voie == voie]
        rng.shuffle(de_la_voie)
        nombre = max(1, -(-len(de_la_voie) // taille))
        for i in range(nombre):
            code = f"{prefixe}{i + 1:03d}"
            membres = de_la_voie[i::nombre]
            membres.sort(key=lambda c: c.numero)
            for c in membres:
                c.jury = code
            if membres:
                journee.jurys[code] = membres
