"""`sandbox validate`: every file under the given paths, every finding, one report."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.core.scenario.diagnostics import Diagnostic, id_position, make
from sandbox.core.scenario.loading import SHIPPED_GUIDELINES, load_guidelines, load_scenario

UNREADABLE = {"SCN009", "GDL009"}


@dataclass
class ValidationReport:
    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(d.severity == severity for d in self.diagnostics)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def unreadable(self) -> bool:
        return any(d.code in UNREADABLE for d in self.diagnostics)

    def exit_code(self, strict: bool = False) -> int:
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def is_guidelines_file(path: Path) -> bool:
    return path.parent.name == "guidelines"


def collect_files(paths) -> tuple[list[Path], list[Diagnostic]]:
    files, findings = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.parts)
            )
            files += found
        else:
            files.append(path)
    return files, findings


def validate_paths(
    paths, *, shipped_guidelines: str | os.PathLike = SHIPPED_GUIDELINES
) -> ValidationReport:
    report = ValidationReport()
    files, report.diagnostics = collect_files(paths)
    cache: dict = {}
    ids: dict[str, str] = {}
    seen: set = set()

    def keep(findings) -> None:
        for diag in findings:
            identity = (diag.path, diag.line, diag.column, diag.code, diag.message)
            if identity not in seen:
                seen.add(identity)
                report.diagnostics.append(diag)

    for path in dict.fromkeys(files):
        report.files.append(str(path))
        if is_guidelines_file(path):
            key = str(path)
            loaded = cache.get(key) or load_guidelines(path)
            cache[key] = loaded
            keep(loaded.diagnostics)
            if loaded.text is not None:
                report.sources[key] = loaded.text
            continue
        loaded = load_scenario(path, shipped_guidelines=shipped_guidelines, guidelines_cache=cache)
        keep(loaded.diagnostics)
        report.sources.update(loaded.sources)
        scenario = loaded.scenario
        if scenario is not None:
            if scenario.id in ids:
                text = loaded.sources.get(str(path), "")
                keep(
                    [
                        make(
                            "SCN216",
                            str(path),
                            id_position(text),
                            f'the scenario id "{scenario.id}" is also used by {ids[scenario.id]}',
                            "scenario ids must be unique: rename one of them",
                        )
                    ]
                )
            else:
                ids[scenario.id] = str(path)
    report.diagnostics.sort(key=Diagnostic.sort_key)
    return report

