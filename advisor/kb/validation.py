"""Everything ``advisor kb validate`` checks in a knowledge-base folder, in one list.

The entries (``advisor.kb.loader``), the rule files (``advisor.kb.rule_files``) and the folder
itself: it holds vendors and the three rule files, and no data the loader would not read (a
stray or misnamed file, such as ``vendors/acme.yml`` or an assessment file beside the rule
files, is a problem, not silently skipped). Notes such as a ``README.md`` at the top are not
data and may stay. Each problem is ``file:line: field: message``, line 1 for a whole file.
"""

from __future__ import annotations

from pathlib import Path

from advisor.errors import Problem
from advisor.kb.loader import FOLDERS, LIST_FILES, load_knowledge_base_result
from advisor.kb.market_rules import MARKET
from advisor.kb.rule_files import RULE_FILES, rule_files_result

TOP_FILES = frozenset({f"{kind}.yaml" for kind in LIST_FILES} | set(RULE_FILES) | {MARKET})
"""The files a knowledge-base folder may hold at its top."""
DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
"""Files with these endings are data: at the top of the folder, only ``TOP_FILES`` may be."""


def _expected() -> str:
    folders = ", ".join(f"{kind}/" for kind in FOLDERS)
    return f"{folders}, {', '.join(RULE_FILES)} and list files such as barriers.yaml"


def _stray_file(path: Path, known: frozenset[str] | None) -> Problem:
    """A file that is not knowledge-base data (``known``: the names allowed; None: any id)."""
    wanted = f"{path.stem}.yaml"
    if path.suffix.lower() in (".yml", ".yaml") and (known is None or wanted in known):
        return Problem(
            str(path),
            1,
            "(file)",
            f"misnamed: knowledge-base files end in .yaml; rename to {wanted}",
        )
    if known is None:
        where = path.parent.name
        return Problem(
            str(path), 1, "(file)", f"not an entry file: {where}/ holds only <id>.yaml files"
        )
    return Problem(
        str(path), 1, "(file)", f"not a knowledge-base file: a knowledge base holds {_expected()}"
    )


def folder_problems(root: Path | str) -> list[Problem]:
    """What the folder holds: vendors, the rule files, and no stray or misnamed files.

    Hidden files (``.gitkeep``, ``.DS_Store``) and notes at the top (``README.md``) are not
    knowledge-base data and are left alone. A missing rule file is reported by
    ``rule_files_result``, not here.
    """
    root = Path(root)
    present = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    if not present:
        return [Problem(str(root), 1, "(folder)", f"empty: a knowledge base holds {_expected()}")]
    problems: list[Problem] = []
    for path in present:
        if path.is_dir():
            if path.name not in FOLDERS:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        "(folder)",
                        f"not a knowledge-base folder: a knowledge base holds {_expected()}",
                    )
                )
                continue
            for inner in sorted(path.iterdir()):
                if inner.name.startswith(".") or (inner.suffix == ".yaml" and inner.is_file()):
                    continue
                if inner.is_dir():
                    problems.append(
                        Problem(
                            str(inner),
                            1,
                            "(folder)",
                            f"not an entry file: {path.name}/ holds only <id>.yaml files",
                        )
                    )
                else:
                    problems.append(_stray_file(inner, None))
        elif path.name not in TOP_FILES and path.suffix.lower() in DATA_SUFFIXES:
            problems.append(_stray_file(path, TOP_FILES))
    vendors = root / "vendors"
    if not vendors.is_dir() or not any(vendors.glob("*.yaml")):
        problems.append(
            Problem(
                str(vendors),
                1,
                "(folder)",
                "no vendors: a knowledge base has at least one vendors/<id>.yaml",
            )
        )
    return problems


def validate_folder(root: Path | str) -> list[Problem]:
    """Every problem of a knowledge-base folder: its shape, its entries and its rule files.

    Raises ``InputError`` when the folder does not exist (bad input, not a problem list).
    """
    root = Path(root)
    entries = load_knowledge_base_result(root)  # raises when the folder is not there
    shape = folder_problems(root)
    if len(shape) == 1 and shape[0].field == "(folder)" and shape[0].file == str(root):
        return shape  # an empty folder: one problem says it all
    _, rules = rule_files_result(root)
    problems = [*entries.problems, *shape, *rules]
    problems.sort(key=lambda p: (p.file, p.line or 0, p.field))
    return problems
