"""The installer scripts, icons and release workflow say what IT and the README rely on.

None of these can run here (Inno Setup, codesign and GitHub's runners are elsewhere), so the
checks read them: each assertion is a promise made in README "Installing" or "Releasing".
"""

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app import APP_ID

ROOT = Path(__file__).resolve().parents[2]
ISS = (ROOT / "packaging" / "windows" / "redemption-desk.iss").read_text(encoding="utf-8")
WORKFLOW = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
ICONS = ROOT / "desktop_app" / "resources" / "icons"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def iss_section(name: str) -> str:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", ISS, re.S | re.M)
    assert match, f"no [{name}] section"
    return match.group(1)


def test_packaging_folder_never_shadows_the_packaging_library():
    assert not (ROOT / "packaging" / "__init__.py").exists()
    # Python puts the current folder first on sys.path: run from the repository root.
    result = subprocess.run(
        [sys.executable, "-c", "import packaging.version, packaging; print(packaging.__file__)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not Path(result.stdout.strip()).is_relative_to(ROOT / "packaging")


def test_installer_offers_per_user_and_per_machine_installs():
    setup = iss_section("Setup")
    assert re.search(r"^PrivilegesRequired=lowest$", setup, re.M)
    assert re.search(r"^PrivilegesRequiredOverridesAllowed=dialog commandline$", setup, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}", setup, re.M)


def test_a_silent_install_never_starts_the_app():
    run_entries = [line for line in iss_section("Run").splitlines() if line.startswith("Filename:")]
    assert run_entries
    for entry in run_entries:
        assert "skipifsilent" in entry and "postinstall" in entry
    assert re.search(r"^RestartApplications=no$", iss_section("Setup"), re.M)


def test_start_menu_shortcut():
    assert re.search(r'^Name: "\{autoprograms\}\\', iss_section("Icons"), re.M)


def test_version_comes_from_the_command_line_not_the_script():
    assert "#ifndef AppVersion" in ISS and "#error" in ISS
    assert re.search(r"^AppVersion=\{#AppVersion\}$", iss_section("Setup"), re.M)
    assert '"${define}AppVersion=$env:APP_VERSION"' in WORKFLOW


def test_uninstall_keeps_history_unless_asked():
    code = iss_section("Code")
    # It deletes only the app's own data folder, the one platformdirs gives the app id on Windows.
    assert re.search(rf'^#define DataFolderName "{APP_ID}"$', ISS, re.M)
    assert "ExpandConstant('{localappdata}\\{#DataFolderName}')" in code
    assert "/PURGE" in code and "usPostUninstall" in code
    # The question defaults to No, and a silent uninstall never asks (so it keeps the data).
    assert "MB_DEFBUTTON2" in code and "IDNO" in code
    assert "if not Purge and not UninstallSilent() then" in code
    assert code.count("DelTree(") == 1 and "if Purge then" in code


def icon_directory(data: bytes) -> list[tuple[int, bytes]]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    images = []
    for index in range(count):
        width, _, _, _, _, _, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        images.append((width or 256, data[offset : offset + size]))
    return images


def png_side(png: bytes) -> int:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack_from(">II", png, 16)
    assert width == height
    return width


def test_windows_icon_holds_every_size_the_shell_asks_for():
    images = icon_directory((ICONS / "app.ico").read_bytes())
    assert {16, 24, 32, 48, 256} <= {side for side, _ in images}
    for side, png in images:
        assert png_side(png) == side


def test_macos_icon_holds_retina_sizes_up_to_1024():
    data = (ICONS / "app.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    elements, offset = {}, 8
    while offset < len(data):
        kind, length = data[offset : offset + 4], struct.unpack_from(">I", data, offset + 4)[0]
        elements[kind] = data[offset + 8 : offset + length]
        offset += length
    assert png_side(elements[b"ic10"]) == 1024  # 512@2x
    assert png_side(elements[b"ic07"]) == 128
    assert png_side(elements[b"icp4"]) == 16


def test_release_runs_on_version_tags_for_windows_and_both_mac_architectures():
    assert re.search(r'^  push:\n    tags: \["v\*"\]$', WORKFLOW, re.M)
    for runner in ("windows-latest", "macos-14", "macos-15-intel"):
        assert f"- os: {runner}" in WORKFLOW
    for action in (
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
    ):
        assert f"uses: {action}" in WORKFLOW
    assert WORKFLOW.count("--self-test") >= 2  # the built onedir, and the installed copy
    assert "sha256sum" in WORKFLOW and "SHA256SUMS" in WORKFLOW
    assert "python -m pytest" in WORKFLOW


def test_every_secret_the_workflow_reads_is_documented_in_releasing():
    releasing = README.split("## Releasing", 1)[1]
    used = set(re.findall(r"secrets\.([A-Z0-9_]+)", WORKFLOW))
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", releasing, re.M))
    assert used == documented


@pytest.mark.parametrize("script", ["packaging/build_linux.sh", "packaging/macos/build_app.sh"])
def test_build_scripts_are_executable_bash(script):
    path = ROOT / script
    assert path.stat().st_mode & 0o111
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
