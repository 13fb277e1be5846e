"""What the frozen app leaves out, as named groups, so each exclusion can be measured on its own.

Loaded by `redemption-desk.spec` (by file path: `packaging/` is deliberately not a package, it would
shadow the `packaging` library) and by the tests. Nothing here imports PyInstaller.

A group drops files from the Analysis tables by their destination path. PyInstaller resolves the
shared-library dependencies of every collected file *during* Analysis, so dropping a Qt plugin
leaves the libraries only it needed behind; `orphaned_libraries` finds those so they go too.

Set REDEMPTION_DESK_KEEP to a comma-separated list of group names (or `all`) to keep them: that is
how `packaging/build_linux.sh --measure-trim` measures what each group saves.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

KEEP_VARIABLE = "REDEMPTION_DESK_KEEP"

# The Qt Python modules the app imports; every other PySide6 module is excluded from analysis
# (PySide6's own hooks would otherwise pull QtNetwork and QtDBus into a widgets-only app).
QT_MODULES_USED = frozenset({"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtSvgWidgets"})

# Standard-library parts a packaged desk never runs.
UNUSED_STDLIB = (
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "unittest",
    "doctest",
    "pydoc",
    "pydoc_data",
    "test",
    "lib2to3",
    "ensurepip",
    "venv",
    "xmlrpc",
    "distutils",
    "setuptools",
    "pkg_resources",
    "pip",
)

# httpx's command-line client (`httpx` in a shell) and what only it uses: httpx imports them at
# start whenever they are installed (~3 MB on disk, 4.5-7 MiB of memory), the desk never calls it.
HTTPX_CLI_EXTRAS = ("httpx._main", "click", "rich", "pygments", "markdown_it", "mdurl")

# Qt platform plugins the app needs on each system. "offscreen" everywhere: --self-test uses it.
# Native Wayland costs 2.8 MB on Linux, cheap enough to keep (with its wayland-* plugins).
PLATFORMS_NEEDED = {
    "linux": frozenset({"offscreen", "xcb", "wayland"}),
    "windows": frozenset({"offscreen", "windows"}),
    "darwin": frozenset({"offscreen", "cocoa"}),
}
# Image formats beyond those built into QtGui (PNG, BMP, PPM, XBM, XPM): the app's SVG icons, and
# ICO for the Windows window icon.
IMAGE_FORMATS_NEEDED = frozenset({"svg", "ico"})


@dataclass(frozen=True)
class TrimGroup:
    name: str
    why: str
    drops: Callable[[str, str], bool]  # (destination path with "/", system) -> drop it?


def plugin_kind_and_name(dest: str) -> tuple[str, str] | None:
    """('platforms', 'xcb') for '.../plugins/platforms/libqxcb.so'; None when not a Qt plugin."""
    parts = PurePosixPath(dest).parts
    if "plugins" not in parts[:-2] or not parts[0].startswith("PySide6"):
        return None
    kind = parts[parts.index("plugins") + 1]
    stem = parts[-1].split(".")[0]
    stem = stem.removeprefix("lib").removeprefix("q")
    return kind, stem


def _plugin_test(test: Callable[[str, str, str], bool]) -> Callable[[str, str], bool]:
    def drops(dest: str, system: str) -> bool:
        plugin = plugin_kind_and_name(dest)
        return plugin is not None and test(plugin[0], plugin[1], system)

    return drops


GROUPS: tuple[TrimGroup, ...] = (
    TrimGroup(
        "qt-translations",
        "Qt's own translations: the desk is in English only",
        lambda dest, system: dest.startswith("PySide6/") and dest.endswith(".qm"),
    ),
    TrimGroup(
        "qt-platforms",
        "platform plugins for framebuffers, VNC and EGL devices",
        _plugin_test(
            lambda kind, name, system: (
                kind == "platforms" and name not in PLATFORMS_NEEDED.get(system, frozenset())
            )
        ),
    ),
    TrimGroup(
        "qt-imageformats",
        "image formats the app never reads (GIF, JPEG, TIFF, WebP, ...)",
        _plugin_test(
            lambda kind, name, system: kind == "imageformats" and name not in IMAGE_FORMATS_NEEDED
        ),
    ),
    TrimGroup(
        "qt-devices",
        "evdev/TUIO input and EGL device integrations (only for eglfs/linuxfb)",
        _plugin_test(lambda kind, name, system: kind in ("generic", "egldeviceintegrations")),
    ),
    TrimGroup(
        "qt-gtk3-theme",
        "the GTK3 theme plugin and the GTK/cairo/pango stack it drags in",
        _plugin_test(lambda kind, name, system: kind == "platformthemes" and name == "gtk3"),
    ),
    TrimGroup(
        "qt-network-plugins",
        "TLS and network-information plugins: HTTP goes through httpx, not QtNetwork",
        _plugin_test(lambda kind, name, system: kind in ("tls", "networkinformation")),
    ),
    TrimGroup(
        "opengl-software",
        "Mesa's software OpenGL for Windows: the widgets never use OpenGL",
        lambda dest, system: PurePosixPath(dest).name.lower() == "opengl32sw.dll",
    ),
)

# Groups that are not file filters: the spec applies them itself.
SPEC_GROUPS = {
    "unused-qt-modules": "PySide6 modules the app never imports (QtNetwork, QtDBus, QtQml, ...)",
    "unused-stdlib": "tkinter, unittest, pydoc, test, lib2to3 and friends",
    "httpx-cli": "httpx's command-line extras: click, rich, pygments (imported if present)",
    "strip": "debug symbols of the bundled libraries (Linux only)",
    "icu-data": "ICU's 32 MB locale data (Linux only): see packaging/linux/empty_icu_data.c",
}

ICU_DATA_LIBRARY = re.compile(r"libicudata\.so\.(\d+)$")


def kept_groups(environ: dict[str, str] | None = None) -> frozenset[str]:
    value = (environ if environ is not None else os.environ).get(KEEP_VARIABLE, "")
    names = {name.strip() for name in value.split(",") if name.strip()}
    if "all" in names:
        return frozenset(group.name for group in GROUPS) | frozenset(SPEC_GROUPS)
    unknown = names - {group.name for group in GROUPS} - set(SPEC_GROUPS)
    if unknown:
        raise ValueError(f"{KEEP_VARIABLE} names unknown groups: {', '.join(sorted(unknown))}")
    return frozenset(names)


def excluded_modules(pyside_dir: str, keep: frozenset[str]) -> list[str]:
    """Module names for Analysis(excludes=...), given the installed PySide6 folder."""
    excludes: list[str] = []
    if "unused-qt-modules" not in keep:
        stub_names = (name for name in os.listdir(pyside_dir) if name.endswith(".pyi"))
        qt_modules = {name[: -len(".pyi")] for name in stub_names if name.startswith("Qt")}
        excludes += sorted(f"PySide6.{name}" for name in qt_modules - QT_MODULES_USED)
    if "unused-stdlib" not in keep:
        excludes += UNUSED_STDLIB
    if "httpx-cli" not in keep:
        excludes += HTTPX_CLI_EXTRAS
    return excludes


def dropping_group(dest: str, system: str, keep: frozenset[str]) -> str | None:
    """The name of the group that drops this destination path, or None to keep it."""
    normalised = dest.replace("\\", "/")
    for group in GROUPS:
        if group.name not in keep and group.drops(normalised, system):
            return group.name
    return None


Entry = tuple  # PyInstaller's TOC entry: (dest_name, src_name, typecode)


def split_by_group(
    toc: Iterable[Entry], system: str, keep: frozenset[str]
) -> tuple[list[Entry], dict[str, list[Entry]]]:
    kept: list[Entry] = []
    dropped: dict[str, list[Entry]] = {}
    for entry in toc:
        group = dropping_group(entry[0], system, keep)
        if group is None:
            kept.append(entry)
        else:
            dropped.setdefault(group, []).append(entry)
    return kept, dropped


def _library_key(name: str) -> str:
    return re.split(r"[\\/]", name)[-1].lower()


def orphaned_libraries(
    kept: list[Entry],
    dropped: Iterable[Entry],
    imports_of: Callable[[str], Iterable[str]],
) -> set[str]:
    """Destination names of kept shared libraries that only dropped files needed.

    `imports_of(src_path)` lists the library names a binary links against. Libraries are matched
    by file name, which errs on the side of keeping.
    """
    by_key: dict[str, list[Entry]] = {}
    for entry in kept:
        if entry[2] == "BINARY":
            by_key.setdefault(_library_key(entry[0]), []).append(entry)

    def needed_from(roots: Iterable[Entry]) -> set[str]:
        seen: set[str] = set()
        queue = [entry[1] for entry in roots]
        while queue:
            for name in imports_of(queue.pop()):
                key = _library_key(name)
                if key in seen:
                    continue
                seen.add(key)
                queue += [entry[1] for entry in by_key.get(key, ())]
        return seen

    wanted_by_dropped = needed_from(dropped)
    candidates = {
        key
        for key, entries in by_key.items()
        if key in wanted_by_dropped and not any(plugin_kind_and_name(e[0]) for e in entries)
    }
    roots = [
        entry
        for entry in kept
        if entry[2] in ("BINARY", "EXTENSION", "EXECUTABLE")
        and _library_key(entry[0]) not in candidates
    ]
    orphans = candidates - needed_from(roots)
    return {entry[0] for key in orphans for entry in by_key[key]}


def without_orphans(
    binaries: list[Entry], datas: list[Entry], orphan_names: set[str]
) -> tuple[list[Entry], list[Entry]]:
    """The tables less the orphaned libraries, the rest of any framework an orphan was the
    binary of (macOS: its Resources, Info.plist and links), and every link left dangling."""
    frameworks = tuple(
        name.split(".framework/")[0] + ".framework/"
        for name in orphan_names
        if ".framework/" in name
    )

    def kept(entry: Entry) -> bool:
        dest = entry[0].replace("\\", "/")
        return entry[0] not in orphan_names and not dest.startswith(frameworks)

    binaries = [entry for entry in binaries if kept(entry)]
    datas = [entry for entry in datas if kept(entry)]
    dangling = dangling_symlinks(binaries + datas)
    return (
        [entry for entry in binaries if entry[0] not in dangling],
        [entry for entry in datas if entry[0] not in dangling],
    )


MAX_LINK_HOPS = 40


def dangling_symlinks(toc: Iterable[Entry]) -> set[str]:
    """Destination names of SYMLINK entries that lead to nothing left in the bundle.

    A link may lead to a file, to a folder holding files (macOS frameworks: `Versions/Current ->
    A`), or through other links (`QtCore -> Versions/Current/QtCore`); targets are relative to
    the link's folder. Links that loop or lead outside the bundle count as dangling.
    """
    entries = list(toc)
    files: set[PurePosixPath] = set()
    links: dict[PurePosixPath, str] = {}
    for dest, source, typecode in entries:
        path = PurePosixPath(dest.replace("\\", "/"))
        if typecode == "SYMLINK":
            links[path] = source.replace("\\", "/")
        else:
            files.add(path)
    folders = {parent for path in files for parent in path.parents}

    def resolved(path: PurePosixPath) -> PurePosixPath | None:
        for _ in range(MAX_LINK_HOPS):
            for depth in range(1, len(path.parts) + 1):
                prefix = PurePosixPath(*path.parts[:depth])
                if prefix in links:
                    target = posixpath.normpath(str(prefix.parent / links[prefix]))
                    if target.startswith("../") or target == "..":
                        return None
                    path = PurePosixPath(target, *path.parts[depth:])
                    break
            else:
                return path
        return None  # a loop

    dangling = set()
    for dest, _, typecode in entries:
        if typecode == "SYMLINK":
            target = resolved(PurePosixPath(dest.replace("\\", "/")))
            if target is None or (target not in files and target not in folders):
                dangling.add(dest)
    return dangling
