"""The candidate's results-week acts of issue 13, as events (R19, R20, R29, R32, R37; Q4, Q8; ADR 0019).

`Candidate` inherits these commands and events so that `domain/candidat.py` stays small; their stored topics are
``domain.candidat_resultats:ActesResultats.<Nom>`` (pinned in tests/test_sujets.py). Guards live in
`domain.actes_resultats`; every mutator here is deterministic (no clock, no I/O).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import event

from domain import actes_resultats
from domain.corrections import MotifCorrection
from domain.errors import DejaFait
from domain.modele import Acte, Agregat
from domain.valeurs import Absence

if TYPE_CHECKING:
    from domain.etat_candidat import NoteConserveeEnregistree


class ActesResultats(Agregat):
    """Commands and events of a candidate's results week that the first design lacked."""

    if TYPE_CHECKING:  # state set by `Candidate`; no runtime annotation (the library would make a dataclass)
        absences_controle: dict[str, Absence]
        felicitations_refusees: bool
        privation_mention: bool
        a_redeliberer_second_groupe: bool
        controles: dict[str, Decimal]
        controles_choisis: tuple[str, ...]
        notes_conservees: dict[str, NoteConserveeEnregistree]
        a_redeliberer: bool
        reglement: Any
        consentement_publication: bool
        numero: str

    def _initialiser_resultats(self) -> None:
        self.absences_controle = {}
        self.felicitations_refusees = False
        self.privation_mention = False
        self.a_redeliberer_second_groupe = False  # R29: a corrected contrôle may change the 2nd-groupe decision

    # --- Second groupe: absence (Q8), choice changed before the oral (R19), corrected contrôle (R29) ----------

    def noter_absence_controle(self, *, epreuve: str, absence: Absence, acte: Acte) -> None:
        actes_resultats.verifier_absence_controle(self, epreuve)  # type: ignore[arg-type]
        self._absent_au_controle(epreuve=epreuve, absence=absence, acte=acte)

    @event("AbsentAuContrôle")
    def _absent_au_controle(self, epreuve: str, absence: Absence, acte: Acte) -> None:
        self.absences_controle[epreuve] = absence

    def modifier_choix_controle(self, *, epreuves: tuple[str, ...], acte: Acte) -> None:
        nouveau = actes_resultats.verifier_modification_choix(self, epreuves)  # type: ignore[arg-type]
        self._choix_controle_modifie(ancien=self.controles_choisis, epreuves=nouveau, acte=acte)

    @event("ChoixContrôleModifié")
    def _choix_controle_modifie(self, ancien: tuple[str, ...], epreuves: tuple[str, ...], acte: Acte) -> None:
        self.controles_choisis = epreuves

    def corriger_controle(
        self, *, epreuve: str, note: Decimal | None, absence: Absence | None, motif: MotifCorrection, acte: Acte
    ) -> None:
        ancienne_note, ancienne_absence, redeliberation = actes_resultats.verifier_correction_controle(
            self,  # type: ignore[arg-type]
            epreuve=epreuve,
            note=note,
            absence=absence,
            acte=acte,
        )
        self._controle_corrige(
            epreuve=epreuve, ancienne_note=ancienne_note, ancienne_absence=ancienne_absence, note=note,
            absence=absence, motif=motif, redeliberation=redeliberation, acte=acte,
        )  # fmt: skip

    @event("ContrôleCorrigé")
    def _controle_corrige(
        self, epreuve: str, ancienne_note: Decimal | None, ancienne_absence: Absence | None, note: Decimal | None,
        absence: Absence | None, motif: MotifCorrection, redeliberation: bool, acte: Acte,
    ) -> None:  # fmt: skip
        self.controles.pop(epreuve, None)
        self.absences_controle.pop(epreuve, None)
        if note is not None:
            self.controles[epreuve] = note
        else:
            assert absence is not None
            self.absences_controle[epreuve] = absence
        self.a_redeliberer_second_groupe = self.a_redeliberer_second_groupe or redeliberation

    # --- Kept grade corrected (R29, R32) -------------------------------------------------------------------

    def corriger_note_conservee(self, *, epreuve: str, note: Decimal, motif: MotifCorrection, acte: Acte) -> None:
        ancienne, redeliberation = actes_resultats.verifier_correction_conservee(
            self,  # type: ignore[arg-type]
            epreuve=epreuve,
            note=note,
            acte=acte,
        )
        self._note_conservee_corrigee(
            epreuve=epreuve, ancienne_note=ancienne, note=note, motif=motif, redeliberation=redeliberation, acte=acte
        )

    @event("NoteConservéeCorrigée")
    def _note_conservee_corrigee(
        self, epreuve: str, ancienne_note: Decimal, note: Decimal, motif: MotifCorrection, redeliberation: bool,
        acte: Acte,
    ) -> None:  # fmt: skip
        self.notes_conservees[epreuve] = self.notes_conservees[epreuve].model_copy(update={"note": note})
        self.a_redeliberer = self.a_redeliberer or redeliberation

    # --- The jury's and the discipline's say on the mention (Q4, R37) ----------------------------------------

    def refuser_felicitations(self, *, jury: str, acte: Acte) -> None:
        redeliberation = actes_resultats.verifier_refus_felicitations(self, jury, acte)  # type: ignore[arg-type]
        self._felicitations_refusees(jury=jury, redeliberation=redeliberation, acte=acte)

    @event("FélicitationsRefusées")
    def _felicitations_refusees(self, jury: str, redeliberation: bool, acte: Acte) -> None:
        self.felicitations_refusees = True
        self.a_redeliberer = self.a_redeliberer or redeliberation

    def priver_de_mention(self, *, decision_commission: str, acte: Acte) -> None:
        redeliberation = actes_resultats.verifier_privation(self, acte)  # type: ignore[arg-type]
        self._mention_privee(decision_commission=decision_commission, redeliberation=redeliberation, acte=acte)

    @event("MentionPrivée")
    def _mention_privee(self, decision_commission: str, redeliberation: bool, acte: Acte) -> None:
        self.privation_mention = True
        self.a_redeliberer = self.a_redeliberer or redeliberation

    # --- Consent to the publication of the result (R57, ADR 0024) ---------------------------------------------

    def modifier_consentement(self, *, consentement: bool, acte: Acte) -> None:
        """R57: given or withdrawn at any time; a list computed after the act follows it (ADR 0024 says why a
        published list does not freeze it). Only a change is an act: the same answer again is refused."""
        if consentement == self.consentement_publication:
            etat = "déjà donné" if consentement else "déjà absent (aucune publication)"
            raise DejaFait(
                f"Le consentement à la publication du candidat {self.numero} est {etat}",
                regle="R57",
                code="CONSENTEMENT_INCHANGE",
            )
        self._consentement_modifie(consentement=consentement, acte=acte)

    @event("ConsentementModifié")
    def _consentement_modifie(self, consentement: bool, acte: Acte) -> None:
        self.consentement_publication = consentement
