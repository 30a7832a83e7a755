"""The stored form of a Délibéré's trace (R54, Q9): each decision's own JSON, read back as its own class.

The trace field is a tagged union serialised as its runtime class (domain/deliberation.py): these tests pin that
neither choice changes a byte of what is stored, and that a rewritten trace is still refused when read.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from domain.calcul import (
    DecisionPremierGroupe,
    DecisionSecondGroupe,
    Dossier,
    NoteControle,
    deliberer_second_groupe,
)
from domain.deliberation import Deliberation, Trace
from domain.reglement import charger_reglement
from tests.domain.test_calcul_second_groupe import R22, premier_groupe

R = charger_reglement(2024, "general")
TRACE = TypeAdapter(Trace)
UNION_SIMPLE = TypeAdapter(DecisionPremierGroupe | DecisionSecondGroupe)


def _traces() -> list[DecisionPremierGroupe | DecisionSecondGroupe]:
    # R22's worked example: 912 points at the premier groupe, contrôles in philosophy and a spécialité.
    premier = premier_groupe(R, "9", **R22)
    controles = (NoteControle(code="PHILO", note=Decimal("11")), NoteControle(code="SPE2", note=Decimal("8")))
    return [premier_groupe(R, "14"), premier, deliberer_second_groupe(R, premier, controles)]


@pytest.mark.parametrize("trace", _traces(), ids=["admis", "second_groupe", "apres_controles"])
def test_r54_la_trace_stockee_est_le_json_de_sa_decision_sans_etiquette(trace) -> None:
    ecrit = TRACE.dump_json(trace)
    assert ecrit == type(trace).__pydantic_serializer__.to_json(trace) == UNION_SIMPLE.dump_json(trace)
    relu = TRACE.validate_json(ecrit)
    assert type(relu) is type(trace) and relu == trace


def test_r54_la_trace_dun_delibere_entier_est_ecrite_a_lidentique() -> None:
    trace = _traces()[2]
    d = Deliberation(
        groupe=2, decision=trace.resultat, mention=None, certificat=trace.certificat, reglement_version=R.version,
        reglement_empreinte=R.empreinte, jury="J1", president="p", entrees=Dossier(),
        contexte=trace.premier_groupe.contexte, controles=(), trace=trace, total_points=trace.total_points,
        total_coefficients=Decimal(100), moyenne=trace.moyenne_affichee,
    )  # fmt: skip
    assert d.model_dump_json().count(UNION_SIMPLE.dump_json(trace).decode()) == 1
    assert Deliberation.model_validate_json(d.model_dump_json()) == d


def test_q9_une_trace_du_second_groupe_privee_de_son_premier_groupe_est_refusee() -> None:
    """A rewritten trace (its premier-groupe part cut out) is read as a premier-groupe one, and refused for the
    fields only a second-groupe trace has: never silently taken for another decision."""
    donnees = TRACE.dump_python(_traces()[2], mode="json")
    del donnees["premier_groupe"]
    with pytest.raises(ValidationError, match="substitutions"):
        TRACE.validate_python(donnees)
