"""The icons live at the top of the source tree (resources/) and reach the app however it is
installed: from the checkout (editable install), inside the wheel, inside the frozen app."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import setuptools

import desktop_app

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
SHIPPED = sorted(
    path.relative_to(RESOURCES).as_posix() for path in RESOURCES.rglob("*") if path.is_file()
)


def test_the_source_tree_keeps_the_icons_at_its_top():
    assert "app-icon.svg" in SHIPPED
    assert "icons/search.svg" in SHIPPED and "icons/app.ico" in SHIPPED
    assert not (ROOT / "desktop_app" / "resources").exists()


def test_a_checkout_or_editable_install_finds_them_there():
    assert desktop_app.resources_dir() == RESOURCES


def test_the_frozen_app_gets_them_inside_its_package():
    spec = (ROOT / "packaging" / "redemption-desk.spec").read_text(encoding="utf-8")
    assert 'RESOURCES = ROOT / "resources"' in spec
    assert re.search(r'datas=\[\(str\(RESOURCES\), "desktop_app/resources"\)\]', spec)


def test_the_package_list_names_every_package_of_the_source_tree():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set(setuptools.find_packages(str(ROOT), include=["desktop_app*"]))
    assert listed == found | {"desktop_app.resources"}


def test_the_wheel_carries_them_inside_the_package(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("desktop_app", "resources"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("redemption_desk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"desktop_app/resources/{name}" for name in SHIPPED} <= names
    assert not any(name.startswith("resources/") for name in names)
