"""Grade sheets the back offices already have (CSV `;`, XLSX): the same commands as a batch, all or nothing,
exactly once, refusals naming the sheet, the row and the column. Attacks first (ADR 0018)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.application.authentification import Principal
from adapters.application.erreurs import LotRefuse
from adapters.lots.formats import lire_feuille
from tests.scenario import SESSION, Scenario, inscrire, ouvrir

UN, DEUX = "00000001", "00000002"
ACTEUR = {"acteur": "import-santorin", "role": "service_examens"}


@pytest.fixture
def registre(tmp_path: Path) -> Iterator[Scenario]:
    s = Scenario(f"sqlite:///{tmp_path}/registre.db")
    s.etant_donne(ouvrir(), inscrire(UN), inscrire(DEUX))
    yield s
    s.fermer()


def fichier(tmp_path: Path, nom: str, contenu: bytes | str) -> Path:
    chemin = tmp_path / nom
    chemin.write_bytes(contenu.encode("utf-8") if isinstance(contenu, str) else contenu)
    return chemin


def importeur(registre: Scenario) -> Principal:
    """The Santorin import service, habilitated for the académie's grade entry (ADR 0017)."""
    return registre.habilitations.principal(ACTEUR["acteur"], ACTEUR["role"])


def importer(registre: Scenario, chemin: Path, **options: str) -> int:
    p = importeur(registre)
    feuille = registre.service.lire_feuille(chemin, p, session=options.pop("session", SESSION), **options)
    return registre.service.appliquer_feuille(feuille, p).appliquees


def refus(registre: Scenario, chemin: Path, **options: str) -> list[str]:
    """The refusal of a sheet, each error as printed; and nothing stored."""
    importeur(registre)  # his habilitation is the set-up, not the act
    avant = registre.taille_journal()
    with pytest.raises(LotRefuse) as e:
        importer(registre, chemin, **options)
    assert registre.taille_journal() == avant, "une feuille refusée n'enregistre rien"
    return [str(erreur) for erreur in e.value.erreurs]


def classeur(*feuilles: tuple[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for titre, lignes in feuilles:
        ws = wb.create_sheet(titre)
        for ligne in lignes:
            ws.append(ligne)
    tampon = io.BytesIO()
    wb.save(tampon)
    return tampon.getvalue()


LONGUE = (
    "numéro;nom;épreuve;note\r\n00000001;Dupont;PHILO;12\r\n00000001;Dupont;SPE1;15\r\n00000002;Durand;PHILO;ABS\r\n"
)


@pytest.mark.parametrize("bom", ["\ufeff", ""])
def test_r13_feuille_csv_longue_avec_ou_sans_bom_une_note_par_ligne(
    registre: Scenario, tmp_path: Path, bom: str
) -> None:
    assert importer(registre, fichier(tmp_path, "notes.csv", bom + LONGUE)) == 3
    un = registre.service.candidat(SESSION, UN)
    assert str(un.notes["PHILO"].note) == "12" and un.notes["PHILO"].source == "import"
    assert registre.service.candidat(SESSION, DEUX).notes["PHILO"].absence == "injustifiee"


def test_lot_exactement_une_fois_la_meme_feuille_reimportee_ne_change_rien(registre: Scenario, tmp_path: Path) -> None:
    chemin = fichier(tmp_path, "notes.csv", LONGUE)
    assert importer(registre, chemin) == 3
    taille = registre.taille_journal()
    assert importer(registre, chemin) == 0
    assert registre.taille_journal() == taille


def test_r14_virgule_decimale_du_controle_continu(registre: Scenario, tmp_path: Path) -> None:
    csv = "numero;epreuve;note;origine\n00000001;HG_T;13,5;controle_continu\n"
    importer(registre, fichier(tmp_path, "cc.csv", csv))
    assert str(registre.service.candidat(SESSION, UN).notes["HG_T"].note) == "13.5"


def test_xlsx_large_une_colonne_par_epreuve_un_releve_par_candidat(registre: Scenario, tmp_path: Path) -> None:
    contenu = classeur(("Terminales", [["N° candidat", "Nom", "PHILO", "SPE1", "SPE2"],
                                       [UN, "Dupont", 12, 15.0, None], [DEUX, "Durand", "ABJ", 9, 11]]))  # fmt: skip
    assert importer(registre, fichier(tmp_path, "notes.xlsx", contenu)) == 2  # one saisir_notes per row
    un, deux = (registre.service.candidat(SESSION, n) for n in (UN, DEUX))
    assert sorted(un.notes) == ["PHILO", "SPE1"] and str(un.notes["SPE1"].note) == "15"
    assert deux.notes["PHILO"].absence == "justifiee" and str(deux.notes["SPE2"].note) == "11"


def test_attaque_mauvais_separateur(registre: Scenario, tmp_path: Path) -> None:
    erreurs = refus(registre, fichier(tmp_path, "virgules.csv", "numero,epreuve,note\n00000001,PHILO,12\n"))
    assert len(erreurs) == 1 and "séparateur « ; » attendu" in erreurs[0] and "virgules.csv" in erreurs[0]


def test_attaque_colonne_manquante(registre: Scenario, tmp_path: Path) -> None:
    erreurs = refus(registre, fichier(tmp_path, "sans-note.csv", "numero;epreuve\n00000001;PHILO\n"))
    assert erreurs == ["ligne 1 — feuille « sans-note.csv » : colonne(s) manquante(s) dans l'en-tête : note"]


def test_attaque_note_invalide_nommee_par_feuille_ligne_colonne_et_rien_n_est_enregistre(
    registre: Scenario, tmp_path: Path
) -> None:
    csv = "numero;epreuve;note\n00000001;PHILO;12\n00000001;SPE1;21\n00000002;PHILO;douze\n00000002;SPE1;=1+1\n"
    erreurs = refus(registre, fichier(tmp_path, "notes.csv", csv))
    assert len(erreurs) == 3
    assert erreurs[0].startswith(
        "ligne 3 — feuille « notes.csv », colonne C « note » : doit être inférieur ou égal à 20"
    )
    assert "[R13" in erreurs[0]
    assert erreurs[1].startswith("ligne 4 — feuille « notes.csv », colonne C « note » : note sur 20 attendue")
    assert erreurs[2].startswith("ligne 5 — feuille « notes.csv », colonne C « note »") and "=1+1" in erreurs[2]
    assert registre.service.candidat(SESSION, UN).notes == {}  # line 2 was valid: all or nothing


def test_r29_une_regle_refusee_est_situee_a_sa_ligne_et_a_sa_colonne(registre: Scenario, tmp_path: Path) -> None:
    importer(registre, fichier(tmp_path, "premiere.csv", "numero;epreuve;note\n00000001;PHILO;12\n"))
    contenu = classeur(("Notes", [["numero", "SPE1", "PHILO"], [DEUX, 10, 10], [UN, 14, 13]]))
    erreurs = refus(registre, fichier(tmp_path, "seconde.xlsx", contenu))
    assert len(erreurs) == 1
    assert erreurs[0].startswith("ligne 3 — feuille « Notes », colonne C « PHILO » : La note de « PHILO »")
    assert "[R29]" in erreurs[0] and "corriger_note" in erreurs[0]


def test_attaque_fichier_vide_et_en_tete_seule(registre: Scenario, tmp_path: Path) -> None:
    assert "vide" in refus(registre, fichier(tmp_path, "vide.csv", "\ufeff\r\n"))[0]
    assert "aucune ligne de notes" in refus(registre, fichier(tmp_path, "entete.csv", "numero;epreuve;note\n"))[0]


def test_attaque_cellule_enorme(registre: Scenario, tmp_path: Path) -> None:
    longue = "numero;epreuve;note\n00000001;PHILO;" + "1" * 5000 + "\n"
    erreurs = refus(registre, fichier(tmp_path, "longue.csv", longue))
    assert erreurs == [
        "ligne 2 — feuille « longue.csv », colonne C : cellule trop longue (5000 caractères ; au plus 200)"
    ]
    enorme = "numero;epreuve;note\n00000001;PHILO;" + "9" * 300_000 + "\n"  # beyond the csv module's own field limit
    assert "CSV mal formé" in refus(registre, fichier(tmp_path, "enorme.csv", enorme))[0]


def test_attaque_fichier_trop_volumineux_refuse_avant_lecture(registre: Scenario, tmp_path: Path) -> None:
    chemin = tmp_path / "gros.csv"
    with chemin.open("wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: the size alone must refuse it
    assert "fichier trop volumineux" in refus(registre, chemin)[0]


def test_attaque_pas_en_utf8(registre: Scenario, tmp_path: Path) -> None:
    contenu = "numero;epreuve;note;observation\n00000001;PHILO;12;reçue\n".encode("cp1252")
    assert "CSV UTF-8" in refus(registre, fichier(tmp_path, "ansi.csv", contenu))[0]


def test_attaque_xlsx_formule_numero_numerique_et_faux_classeur(registre: Scenario, tmp_path: Path) -> None:
    contenu = classeur(("Notes", [["numero", "PHILO"], [UN, "=10+2"], [2, 12]]))
    erreurs = refus(registre, fichier(tmp_path, "formules.xlsx", contenu))
    assert erreurs[0].startswith("ligne 2 — feuille « Notes », colonne B : la cellule contient une formule")
    assert erreurs[1].startswith("ligne 3 — feuille « Notes », colonne A « numero » : numéro de candidat saisi comme")
    assert "pas un classeur XLSX" in refus(registre, fichier(tmp_path, "faux.xlsx", b"PK pas un zip"))[0]


def test_attaque_session_de_la_feuille_differente_de_l_option(registre: Scenario, tmp_path: Path) -> None:
    csv = "session;numero;epreuve;note\n2024-nice;00000001;PHILO;12\n"
    erreurs = refus(registre, fichier(tmp_path, "nice.csv", csv))
    assert erreurs == ["ligne 2 — feuille « nice.csv », colonne A « session » : session « 2024-nice » ≠ --session "
                       "2024-aix-marseille"]  # fmt: skip


def test_attaque_bombe_zip_refusee_avant_openpyxl(
    registre: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.lots.formats import tableaux

    contenu = classeur(("Notes", [["numero", "PHILO"], [UN, 12]]))
    monkeypatch.setattr(tableaux, "LIMITE_DECOMPRESSE", len(contenu))  # any real workbook unpacks larger

    def interdit(*_: object, **__: object) -> None:
        raise AssertionError("openpyxl ne doit pas ouvrir un classeur trop gros une fois décompressé")

    monkeypatch.setattr(openpyxl, "load_workbook", interdit)
    assert "trop volumineux une fois décompressé" in refus(registre, fichier(tmp_path, "bombe.xlsx", contenu))[0]


def test_cli_importer_en_json_enveloppe_puis_probleme_nommant_la_feuille(registre: Scenario, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from cli.main import app

    db = ["--db", str(registre.service.registre.stockage.url)]
    env = {"BAC_JETON": registre.habilitations.jeton(ACTEUR["acteur"], ACTEUR["role"], SESSION)}
    chemin = fichier(tmp_path, "notes.csv", LONGUE)
    r = CliRunner().invoke(app, ["importer", str(chemin), "--session", SESSION, "--json", *db], env=env)
    assert r.exit_code == 0 and json.loads(r.stdout)["resultat"]["appliquees"] == 3
    faux = fichier(tmp_path, "faux.csv", "numero;epreuve;note\n00000001;SPE2;25\n")
    r = CliRunner().invoke(app, ["importer", str(faux), "--session", SESSION, "--json", *db], env=env)
    probleme = json.loads(r.stdout)
    assert r.exit_code == 1 and probleme["statut"] == "refuse"  # the problem details (cli/sortie.py)
    (erreur,) = probleme["erreurs"]
    assert erreur["ligne"] == 2 and erreur["champ"] == "feuille « faux.csv », colonne C « note »"


def test_une_porte_peut_remettre_les_octets_recus(registre: Scenario) -> None:
    p = importeur(registre)
    feuille = registre.service.lire_feuille(LONGUE.encode(), p, nom="envoi.csv", session=SESSION)
    assert registre.service.appliquer_feuille(feuille, p).appliquees == 3
    with pytest.raises(LotRefuse) as e:
        registre.service.lire_feuille(b"\x00", p, nom="envoi.ods", session=SESSION)
    assert "format inconnu « ods »" in str(e.value.erreurs[0])


@given(st.decimals(min_value=0, max_value=20, places=2), st.sampled_from([",", "."]), st.booleans())
def test_proprietes_une_note_ecrite_a_la_francaise_est_lue_exactement(note: Decimal, virgule: str, bom: bool) -> None:
    cellule = str(note).replace(".", virgule)
    csv = ("\ufeff" if bom else "") + f"numero;epreuve;note\n00000001;HG_T;{cellule}\n"
    feuille = lire_feuille(csv.encode(), nom="n.csv", format="csv", session=SESSION, **ACTEUR)
    (ligne,) = feuille.lot.lignes
    assert ligne.commande.note == note and not feuille.lot.erreurs
    assert feuille.emplacements[ligne.numero].ligne == 2


def test_lot_exactement_une_fois_sur_les_deux_stockages(url_persistante: str, tmp_path: Path) -> None:
    s = Scenario(url_persistante)
    try:
        s.etant_donne(ouvrir(), inscrire(UN), inscrire(DEUX))
        contenu = classeur(("Notes", [["numero", "PHILO", "SPE1"], [UN, 12, 14], [DEUX, "ABS", 9]]))
        chemin = fichier(tmp_path, "notes.xlsx", contenu)
        assert importer(s, chemin) == 2
        taille = s.taille_journal()
        assert importer(s, chemin) == 0 and s.taille_journal() == taille
        assert str(s.service.candidat(SESSION, UN).notes["SPE1"].note) == "14"
    finally:
        s.fermer()
