"""The packages import in one direction (ARCHITECTURE.md): the contracts in pyproject.toml hold."""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    pytest.importorskip("importlinter", reason="import-linter is a dev dependency (requirements-dev.lock)")
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
