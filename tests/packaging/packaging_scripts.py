"""Loads a module of packaging/ by its file path: packaging/ is deliberately not a package (it
would shadow the `packaging` library), so it cannot be imported by name."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load(file_name: str) -> ModuleType:
    name = f"redemption_desk_{Path(file_name).stem}_under_test"
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / file_name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
