"""The house (ADR 0012, docs/architecture.md): arrows point inward only, no import cycle, small modules.

Read from the source with `ast`, imports inside functions included: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
PAQUETS = ("domain", "projections", "adapters", "cli")

# Room → the rooms of ours it may import (itself always). Longest prefix wins.
PERMIS: dict[str, set[str]] = {
    "domain": set(),
    "projections": {"domain"},
    "adapters": set(),
    "adapters.stockage": {"domain", "projections"},
    "adapters.audit": {"domain", "projections", "adapters.stockage"},
    "adapters.lots": {"domain", "projections", "adapters.stockage", "adapters.audit.preuves"},
    "adapters.publication": {"domain", "projections", "adapters.audit"},
    "adapters.application": {
        "domain",
        "projections",
        "adapters.stockage",
        "adapters.audit",
        "adapters.lots",
        "adapters.publication",
    },
    "adapters.simulateur": {"domain", "projections", "adapters.application", "adapters.publication"},
    # The pages' HTTP routes (issue 11): a door like the CLI, included by the HTTP application.
    "adapters.pages": {"adapters.application", "adapters.publication"},
    # The doors: the application service and rendering helpers; `bac demo` runs the simulator.
    "adapters.http": {"adapters.application", "adapters.publication"},
    # cli/serveur.py composes the HTTP service with the pages: the one place both doors meet.
    "cli": {
        "adapters.application",
        "adapters.publication",
        "adapters.simulateur.demo",
        "adapters.http",
        "adapters.pages",
    },
}
TAILLE_MAX = 420  # lines: "a file over ~400 lines is asking to be split" (STYLE.md)


def _module(chemin: Path) -> str:
    parties = chemin.relative_to(RACINE).with_suffix("").parts
    return ".".join(parties[:-1] if parties[-1] == "__init__" else parties)


@cache
def modules() -> dict[str, Path]:
    return {_module(p): p for paquet in PAQUETS for p in sorted((RACINE / paquet).rglob("*.py"))}


def _blocs_de_typage(arbre: ast.AST) -> set[int]:
    """Nodes under `if TYPE_CHECKING:`: arrows for the type checker only, never run."""
    dedans: set[int] = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.If) and ast.unparse(noeud.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            dedans.update(id(n) for corps in noeud.body for n in ast.walk(corps))
    return dedans


@cache
def imports_de(module: str, *, typage: bool = True) -> frozenset[str]:
    """Our modules imported by this one (`from a.b import c` is a.b.c when c is a module, else a.b).

    With ``typage=False``, imports under `if TYPE_CHECKING:` are left out (they never run)."""
    connus = modules()
    arbre = ast.parse(connus[module].read_text(encoding="utf-8"))
    exclus = set() if typage else _blocs_de_typage(arbre)
    trouves: set[str] = set()
    for noeud in ast.walk(arbre):
        if id(noeud) in exclus:
            continue
        if isinstance(noeud, ast.Import):
            noms = [a.name for a in noeud.names]
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms = [
                (f"{noeud.module}.{a.name}" if f"{noeud.module}.{a.name}" in connus else noeud.module)
                for a in noeud.names
            ]
        else:
            continue
        trouves.update(n for n in noms if n.split(".")[0] in PAQUETS)
    return frozenset(trouves)


def _piece(module: str) -> str:
    return max((p for p in PERMIS if module == p or module.startswith(p + ".")), key=len)


def _sous(module: str, prefixe: str) -> bool:
    return module == prefixe or module.startswith(prefixe + ".")


def test_les_fleches_pointent_vers_l_interieur() -> None:
    sortantes = []
    for module in modules():
        piece = _piece(module)
        for cible in imports_de(module):
            if _sous(cible, piece) or any(_sous(cible, p) for p in PERMIS[piece]):
                continue
            sortantes.append(f"{module} → {cible} (la pièce {piece} n'importe que {sorted(PERMIS[piece])})")
    assert not sortantes, "flèches vers l'extérieur :\n" + "\n".join(sortantes)


def test_aucun_cycle_d_imports() -> None:
    """No cycle among the imports that run (a guard module may name `Candidate` for the type checker)."""
    graphe = {m: sorted(c for c in imports_de(m, typage=False) if c in modules()) for m in modules()}
    # Tarjan's strongly connected components: any component of two or more modules is a cycle.
    index: dict[str, int] = {}
    bas: dict[str, int] = {}
    pile: list[str] = []
    sur_pile: set[str] = set()
    cycles: list[list[str]] = []

    def visiter(m: str) -> None:
        index[m] = bas[m] = len(index)
        pile.append(m)
        sur_pile.add(m)
        for c in graphe[m]:
            if c not in index:
                visiter(c)
                bas[m] = min(bas[m], bas[c])
            elif c in sur_pile:
                bas[m] = min(bas[m], index[c])
        if bas[m] == index[m]:
            composante = []
            while True:
                x = pile.pop()
                sur_pile.discard(x)
                composante.append(x)
                if x == m:
                    break
            if len(composante) > 1:
                cycles.append(sorted(composante))

    for m in graphe:
        if m not in index:
            visiter(m)
    assert not cycles, f"cycles d'imports : {cycles}"


def test_le_test_voit_une_fleche_sortante() -> None:
    """The check itself can fail: the projections' runner once imported the store (issue 8)."""
    assert _piece("projections.runner") == "projections"
    assert not _sous("adapters.stockage.registre", "domain")
    assert "adapters.stockage" not in PERMIS["projections"]


def test_chaque_piece_dit_ce_qui_y_vit() -> None:
    muettes = [p for p in PERMIS if not ast.get_docstring(ast.parse(modules()[p].read_text(encoding="utf-8")))]
    assert not muettes, f"paquets sans docstring : {muettes}"


def test_modules_de_taille_lisible() -> None:
    trop_longs = {
        m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > TAILLE_MAX
    }
    assert not trop_longs, f"modules de plus de {TAILLE_MAX} lignes : {trop_longs}"
