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
CI = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
SHARED_STEPS = ROOT / ".github" / "actions" / "test-and-freeze" / "action.yml"
ACTION = SHARED_STEPS.read_text(encoding="utf-8")
BUILD_APP = (ROOT / "packaging" / "macos" / "build_app.sh").read_text(encoding="utf-8")
BASH_SCRIPTS = [
    "packaging/build_linux.sh",
    "packaging/macos/build_app.sh",
    ".ci/run",
    ".ci/real_keyring",
]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ICONS = ROOT / "resources" / "icons"
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


def test_a_pre_release_version_reaches_inno_setup_as_four_numbers():
    # VersionInfoVersion refuses 0.2.0rc1: the workflow passes packaging/versions.py's mapping.
    assert "#ifndef AppVersionNumeric" in ISS
    assert re.search(r"^VersionInfoVersion=\{#AppVersionNumeric\}$", iss_section("Setup"), re.M)
    assert "python packaging/versions.py windows $env:APP_VERSION" in WORKFLOW
    assert '"${define}AppVersionNumeric=$numeric"' in WORKFLOW


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
        "actions/upload-artifact@v4",
        "actions/download-artifact@v4",
    ):
        assert f"uses: {action}" in WORKFLOW
    assert "--self-test" in WORKFLOW  # the installed copy, beside the shared steps' built one
    assert "sha256sum" in WORKFLOW and "SHA256SUMS" in WORKFLOW


def test_every_push_runs_the_same_steps_as_the_release_on_all_three_systems():
    assert re.search(r"^on:\n  push:\n(    .*\n)*  pull_request:", CI, re.M)
    assert "os: [ubuntu-latest, windows-latest, macos-14]" in CI
    # One definition of the steps, used by both workflows.
    for workflow in (CI, WORKFLOW):
        assert workflow.count("uses: ./.github/actions/test-and-freeze") == 1
    assert "uses: actions/setup-python@v5" in ACTION
    assert "run: python -m pytest" in ACTION
    assert "python -m PyInstaller" in ACTION and "packaging/redemption-desk.spec" in ACTION
    assert ACTION.count("--self-test") >= 2  # the windowed Windows exe, and macOS / Linux
    assert "REDEMPTION_DESK_SELF_TEST_REPORT" in ACTION and "REDEMPTION_DESK_OUTPUT" in ACTION
    assert "QT_QPA_PLATFORM: offscreen" in CI


def test_windows_signing_covers_every_exe_dll_and_pyd():
    assert "-Include *.exe, *.dll, *.pyd" in WORKFLOW
    assert "still unsigned" in WORKFLOW  # and proves nothing was left out


def test_a_partial_set_of_signing_secrets_builds_unsigned_with_a_warning():
    assert "only some of its secrets are set" in WORKFLOW and "::warning::" in WORKFLOW
    for step_condition in ("env.SIGN_WINDOWS == 'true'", "env.SIGN_MACOS == 'true'"):
        assert step_condition in WORKFLOW
    assert "env.NOTARIZE_MACOS == 'true' && secrets.APPLE_ID" in WORKFLOW


def test_macos_notarizes_once_and_fetches_apples_log_when_refused():
    calls = re.findall(r"^\s+notarize (\S+)$", BUILD_APP, re.M)
    assert calls == ['"$DMG"']  # the DMG carries the app: one submission, one queue
    assert "--output-format json) || true" in BUILD_APP  # a rejection still reaches the log
    assert 'xcrun notarytool log "$id"' in BUILD_APP
    assert 'xcrun stapler staple "$APP"' in BUILD_APP and 'xcrun stapler staple "$DMG"' in BUILD_APP


def test_every_secret_the_workflow_reads_is_documented_in_releasing():
    releasing = README.split("## Releasing", 1)[1]
    used = set(re.findall(r"secrets\.([A-Z0-9_]+)", WORKFLOW))
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", releasing, re.M))
    assert used == documented


def git_mode(path: str) -> str:
    # The index, not the file system: Windows reports execute bits only for .exe/.bat/.cmd/.com.
    staged = subprocess.run(
        ["git", "ls-files", "--stage", "--", path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert staged, f"{path} is not in git"
    return staged.split()[0]


@pytest.mark.parametrize("script", BASH_SCRIPTS)
def test_bash_scripts_are_executable_and_checked_out_with_lf(script):
    assert git_mode(script) == "100755"
    # .gitattributes pins LF, so a Windows checkout with core.autocrlf still runs under bash.
    assert b"\r" not in (ROOT / script).read_bytes()


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="`bash` on Windows may be WSL's, which cannot see this checkout's paths; the POSIX "
    "legs parse the same files",
)
@pytest.mark.parametrize("script", BASH_SCRIPTS)
def test_bash_scripts_parse(script):
    result = subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gitattributes_pins_lf_for_scripts_and_workflows():
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    for pattern in ("*.sh", ".ci/run", ".ci/real_keyring", "*.yml", "*.cjs"):
        assert f"{pattern} text eol=lf" in attributes


SPEC = (ROOT / "packaging" / "redemption-desk.spec").read_text(encoding="utf-8")


def test_the_mac_app_requires_macos_13_and_carries_numeric_bundle_versions():
    # Qt 6.8+ needs macOS 13: an older Mac must refuse to open the app, not crash at launch.
    assert re.search(r'^MINIMUM_MACOS = "13\.0"$', SPEC, re.M)
    assert '"LSMinimumSystemVersion": newest_version(qt_minimum_macos(), MINIMUM_MACOS)' in SPEC
    assert '"CFBundleVersion": versions.macos(VERSION)' in SPEC
    assert '"CFBundleShortVersionString": versions.short(VERSION)' in SPEC
    assert "numbers = versions.parts(VERSION)" in SPEC  # Windows' VERSIONINFO


def test_the_windowed_app_never_holds_a_traceback_dialog_open():
    assert "disable_windowed_traceback=True" in SPEC
    assert "disable_windowed_traceback=False" not in SPEC


def test_the_batch_command_is_a_console_executable_only_when_its_module_exists():
    assert 'BATCH_MODULE = PACKAGE / "batch" / "__main__.py"' in SPEC
    assert "HAS_BATCH = BATCH_MODULE.is_file()" in SPEC
    assert 'executable("redemption-desk-batch", BATCH_LAUNCHER, True,' in SPEC
    launcher = (ROOT / "packaging" / "redemption_desk_batch.py").read_text(encoding="utf-8")
    assert "from desktop_app.batch.__main__ import main" in launcher
    assert "#if FileExists(AddBackslash(SourceDir) + BatchExeName)" in ISS
