"""Pre-release versions map to the all-numeric versions Windows and macOS installers require."""

import subprocess
import sys

import pytest

from desktop_app import __version__
from tests.packaging.packaging_scripts import ROOT, load

versions = load("versions.py")
IN_RELEASE_ORDER = [
    "0.2.0.dev1",
    "0.2.0a1",
    "0.2.0a2",
    "0.2.0b1",
    "0.2.0rc1",
    "0.2.0rc2",
    "0.2.0",
    "0.2.0.post1",
    "0.2.1rc1",
    "0.2.1",
    "0.10.0",
    "1.0",
]


@pytest.mark.parametrize(
    ("version", "windows", "macos", "short"),
    [
        ("0.2.0rc1", "0.2.0.30001", "0.2.30001", "0.2.0"),
        ("0.2.0", "0.2.0.40000", "0.2.40000", "0.2.0"),
        ("1.2.3b4", "1.2.3.20004", "1.2.320004", "1.2.3"),
        ("1.0", "1.0.0.40000", "1.0.40000", "1.0.0"),
    ],
)
def test_versions_become_numeric(version, windows, macos, short):
    assert versions.windows(version) == windows
    assert versions.macos(version) == macos
    assert versions.short(version) == short


def numeric(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_numeric_versions_sort_pre_releases_before_their_release():
    for form in (versions.windows, versions.macos):
        mapped = [numeric(form(version)) for version in IN_RELEASE_ORDER]
        assert mapped == sorted(mapped) and len(set(mapped)) == len(mapped), form.__name__


@pytest.mark.parametrize("version", ["1.0+local", "1!1.0", "1.2.3.4", "70000.0", "1.0rc10000"])
def test_versions_windows_cannot_hold_are_refused(version):
    with pytest.raises(ValueError):
        versions.parts(version)


def test_every_windows_part_fits_in_sixteen_bits():
    for version in IN_RELEASE_ORDER:
        assert all(0 <= part <= 65535 for part in versions.parts(version))


def test_the_command_line_prints_the_apps_version_in_each_form():
    for form in ("windows", "macos", "short"):
        result = subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "versions.py"), form],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert result.stdout.strip() == getattr(versions, form)(__version__)
