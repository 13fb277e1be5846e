"""What the frozen app leaves out: the rules in packaging/bundle_trim.py, on real file names."""

import pytest

from tests.packaging.packaging_scripts import load

trim = load("bundle_trim.py")
NOTHING_KEPT = frozenset()


@pytest.mark.parametrize(
    ("dest", "system"),
    [
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "linux"),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", "linux"),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", "linux"),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", "linux"),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", "linux"),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", "linux"),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", "linux"),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", "linux"),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "windows"),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", "windows"),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", "windows"),
        ("PySide6\\plugins\\imageformats\\qico.dll", "windows"),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", "darwin"),
        ("PySide6/Qt/plugins/styles/libqmacstyle.dylib", "darwin"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "linux"),
        ("desktop_app/resources/icons/app.ico", "windows"),
    ],
)
def test_what_the_app_needs_is_kept(dest, system):
    assert trim.dropping_group(dest, system, NOTHING_KEPT) is None


@pytest.mark.parametrize(
    ("dest", "system", "group"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", "linux", "qt-translations"),
        ("PySide6\\translations\\qtbase_fr.qm", "windows", "qt-translations"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "linux", "qt-platforms"),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", "linux", "qt-platforms"),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", "linux", "qt-platforms"),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", "windows", "qt-platforms"),
        ("PySide6\\plugins\\platforms\\qminimal.dll", "windows", "qt-platforms"),
        ("PySide6/Qt/plugins/platforms/libqminimal.dylib", "darwin", "qt-platforms"),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", "linux", "qt-imageformats"),
        ("PySide6\\plugins\\imageformats\\qwebp.dll", "windows", "qt-imageformats"),
        ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", "linux", "qt-devices"),
        (
            "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-emu-integration.so",
            "linux",
            "qt-devices",
        ),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "linux", "qt-gtk3-theme"),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "linux", "qt-network-plugins"),
        ("PySide6\\opengl32sw.dll", "windows", "opengl-software"),
    ],
)
def test_what_the_app_never_uses_is_dropped_by_its_group(dest, system, group):
    assert trim.dropping_group(dest, system, NOTHING_KEPT) == group
    assert trim.dropping_group(dest, system, frozenset({group})) is None


def test_keep_variable_names_groups_or_all_and_rejects_typos():
    assert trim.kept_groups({}) == frozenset()
    assert trim.kept_groups({trim.KEEP_VARIABLE: "qt-translations, strip"}) == {
        "qt-translations",
        "strip",
    }
    everything = trim.kept_groups({trim.KEEP_VARIABLE: "all"})
    assert {group.name for group in trim.GROUPS} | set(trim.SPEC_GROUPS) == everything
    with pytest.raises(ValueError, match="qt-translation"):
        trim.kept_groups({trim.KEEP_VARIABLE: "qt-translation"})


def test_unused_qt_modules_and_stdlib_are_excluded_from_analysis(tmp_path):
    for stub in ("QtCore.pyi", "QtGui.pyi", "QtWidgets.pyi", "QtNetwork.pyi", "QtQml.pyi"):
        (tmp_path / stub).write_text("")

    excludes = trim.excluded_modules(str(tmp_path), NOTHING_KEPT)

    assert {"PySide6.QtNetwork", "PySide6.QtQml", "tkinter", "unittest"} <= set(excludes)
    # httpx imports its command-line client's libraries whenever they are installed.
    assert {"click", "rich", "pygments"} <= set(excludes)
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} & set(excludes)
    assert trim.excluded_modules(str(tmp_path), frozenset(trim.SPEC_GROUPS)) == []


def test_libraries_only_a_dropped_plugin_needed_go_with_it():
    needs = {
        "/src/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "/src/libqeglfs.so": ["libQt6EglFSDeviceIntegration.so.6", "libQt6Gui.so.6"],
        "/src/libQt6XcbQpa.so.6": ["libxcb.so.1", "libQt6Gui.so.6"],
        "/src/libQt6EglFSDeviceIntegration.so.6": ["libdrm.so.2", "libQt6Gui.so.6"],
        "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
    }
    kept = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6", "BINARY"),
        ("libxcb.so.1", "/src/libxcb.so.1", "BINARY"),
        (
            "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
            "/src/libQt6EglFSDeviceIntegration.so.6",
            "BINARY",
        ),
        ("libdrm.so.2", "/src/libdrm.so.2", "BINARY"),
    ]
    dropped = [("PySide6/Qt/plugins/platforms/libqeglfs.so", "/src/libqeglfs.so", "BINARY")]

    orphans = trim.orphaned_libraries(kept, dropped, lambda path: needs.get(path, []))

    assert orphans == {"PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "libdrm.so.2"}


def test_links_to_dropped_libraries_are_found():
    toc = [
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
    ]
    assert trim.dangling_symlinks(toc) == {"libQt6Network.so.6"}


def test_icu_data_library_is_recognised_with_its_version():
    found = trim.ICU_DATA_LIBRARY.search("PySide6/Qt/lib/libicudata.so.73")
    assert found and found.group(1) == "73"
    assert not trim.ICU_DATA_LIBRARY.search("PySide6/Qt/lib/libicuuc.so.73")


def framework(name: str, lib: str = "PySide6/Qt/lib") -> list[tuple[str, str, str]]:
    """A Qt framework as PyInstaller 6 lays it out in a macOS build: the binary and Info.plist
    under Versions/A, and the three links codesign expects."""
    root = f"{lib}/{name}.framework"
    return [
        (f"{root}/Versions/A/{name}", f"/src/{name}", "BINARY"),
        (f"{root}/Versions/A/Resources/Info.plist", f"/src/{name}.plist", "DATA"),
        (f"{root}/Versions/Current", "A", "SYMLINK"),
        (f"{root}/{name}", f"Versions/Current/{name}", "SYMLINK"),
        (f"{root}/Resources", "Versions/Current/Resources", "SYMLINK"),
    ]


def links_of(toc) -> set[str]:
    return {entry[0] for entry in toc if entry[2] == "SYMLINK"}


def test_kept_macos_frameworks_keep_their_links_and_orphaned_ones_lose_everything():
    core, network = framework("QtCore"), framework("QtNetwork")
    binaries = [entry for entry in core + network if entry[2] == "BINARY"]
    datas = [entry for entry in core + network if entry[2] != "BINARY"]
    orphan = "PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork"

    assert trim.dangling_symlinks(binaries + datas) == set()  # nothing dropped: all links hold

    kept_binaries, kept_datas = trim.without_orphans(binaries, datas, {orphan})

    assert links_of(kept_datas) == links_of(core)
    assert set(kept_binaries) | set(kept_datas) == set(core)


def test_links_that_loop_or_leave_the_bundle_are_dangling():
    toc = [
        ("lib/a", "b", "SYMLINK"),
        ("lib/b", "a", "SYMLINK"),
        ("lib/out", "../../etc/passwd", "SYMLINK"),
        ("lib/real.so", "/src/real.so", "BINARY"),
        ("lib/ok", "./real.so", "SYMLINK"),
    ]
    assert trim.dangling_symlinks(toc) == {"lib/a", "lib/b", "lib/out"}
