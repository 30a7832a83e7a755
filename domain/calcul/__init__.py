"""Grading and deliberation arithmetic as pure functions (R13–R24, R29–R33, R39, R40).

No I/O, no clock: exact Decimal / Fraction arithmetic, decisions on points (Q1), every result a
frozen pydantic model carrying its `Etape` explanation rows (R54).
"""

from domain.calcul.arithmetique import InvariantViole, tronquer_centiemes
from domain.calcul.benefice import Conservation, ConservationRefusee, notes_conservables, verifier_conservation
from domain.calcul.mentions import attribuer_mention, exclusions_mention
from domain.calcul.moyenne import DossierIncoherent, calculer_moyenne
from domain.calcul.options import OptionsInvalides, verifier_options
from domain.calcul.premier_groupe import (
    LivretNonExamine,
    NotesManquantes,
    PointsJuryRefuses,
    RemplacementImpossible,
    attribuer_certificat,
    deliberer_premier_groupe,
    sous_moyenne_professionnelle,
    verifier_points_jury,
)
from domain.calcul.second_groupe import ChoixControleRefuse, deliberer_second_groupe, verifier_choix_second_groupe
from domain.calcul.types import (
    Calcul,
    ContexteJury,
    DecisionPremierGroupe,
    DecisionSecondGroupe,
    Dispense,
    Dossier,
    Etape,
    Ligne,
    LigneDispense,
    MotifDispense,
    NoteCandidat,
    NoteControle,
    Origine,
    Resultat,
    Substitue,
)

__all__ = [
    "Calcul",
    "ChoixControleRefuse",
    "Conservation",
    "ConservationRefusee",
    "ContexteJury",
    "DecisionPremierGroupe",
    "DecisionSecondGroupe",
    "Dispense",
    "Dossier",
    "DossierIncoherent",
    "Etape",
    "InvariantViole",
    "Ligne",
    "LigneDispense",
    "LivretNonExamine",
    "MotifDispense",
    "NoteCandidat",
    "NoteControle",
    "NotesManquantes",
    "OptionsInvalides",
    "Origine",
    "PointsJuryRefuses",
    "RemplacementImpossible",
    "Resultat",
    "Substitue",
    "attribuer_certificat",
    "attribuer_mention",
    "calculer_moyenne",
    "deliberer_premier_groupe",
    "deliberer_second_groupe",
    "exclusions_mention",
    "notes_conservables",
    "sous_moyenne_professionnelle",
    "tronquer_centiemes",
    "verifier_choix_second_groupe",
    "verifier_conservation",
    "verifier_options",
    "verifier_points_jury",
]
