"""Composition root: command line, QApplication, the demo sandbox, and the main window.

Only this module wires `desktop_app.sandbox` (for --demo). Start-up stays light: httpx, keyring
and sqlite are loaded by the window in the background once it is on screen.
"""

from __future__ import annotations

import gc
import linecache
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from desktop_app import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    import argparse

COMMAND_LINE_PROFILE = "command line"
DEMO_PROFILE = "Demo (sandbox)"
SANDBOX_START_DELAY_MS = 100  # after the window's first paint


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description=f"{APP_NAME}: correct the bill metadata of Capillary points redemptions.",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the API base, e.g. https://eu.api.capillarytech.com (overrides the profile)",
    )
    parser.add_argument("--username", metavar="NAME", help="the till username")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=data_dir_path,
        help="keep all settings, history and logs in this folder",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in sandbox with demo data (no credentials needed)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installation without opening a window, then exit",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def data_dir_path(text: str) -> Path:
    """--data-dir's folder; refuses what would put the files somewhere unexpected."""
    import argparse

    if not text.strip():
        raise argparse.ArgumentTypeError(
            "needs a folder name: an empty one would put the desk's files in the current folder"
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise argparse.ArgumentTypeError(
            f"{text!r} contains a line break or another control character"
        )
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a folder")
    return path


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and the single-dash options left for Qt (e.g. -platform offscreen).

    `argv` may start with the program name, like sys.argv: the desk takes no positional
    argument, so a leading word that is not an option is taken to be it.
    """
    args = list(argv)
    if args and not args[0].startswith("-"):
        args = args[1:]
    options, qt_args = _parse_fully(args)
    problem = _options_problem(options)
    if problem:
        _parser().error(problem)
    return options, qt_args


def _options_problem(options: Any) -> str | None:
    if options.base_url is not None:
        from desktop_app.core.profiles import base_url_problem

        problem = base_url_problem(options.base_url)
        if problem:
            return f"--base-url {options.base_url!r}: {problem}"
    if options.base_url is not None and not options.username:
        return "--base-url needs --username (the till user to sign in as)"
    if options.demo and options.base_url:
        return "--demo runs against the built-in sandbox: leave out --base-url"
    return None


def _parse_fully(args: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = _parser()
    options, rest = parser.parse_known_args(args)
    qt_args, unknown = _split_qt_args(rest)
    if unknown:
        parser.error(f"unrecognised arguments: {' '.join(unknown)}")
    return options, qt_args


# Qt's own single-dash options that take a value (QGuiApplication / QApplication docs).
_QT_OPTIONS_WITH_VALUE = frozenset(
    {
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-style",
        "-stylesheet",
        "-qwindowgeometry",
        "-qwindowtitle",
        "-qwindowicon",
        "-session",
        "-display",
        "-geometry",
    }
)


def _split_qt_args(rest: list[str]) -> tuple[list[str], list[str]]:
    """Single-dash options (and the values of those that take one) go to Qt; the rest is wrong."""
    qt_args: list[str] = []
    unknown: list[str] = []
    index = 0
    while index < len(rest):
        arg = rest[index]
        if arg.startswith("-") and not arg.startswith("--"):
            takes_value = arg in _QT_OPTIONS_WITH_VALUE and index + 1 < len(rest)
            qt_args.extend(rest[index : index + (2 if takes_value else 1)])
            index += 2 if takes_value else 1
        else:
            unknown.append(arg)
            index += 1
    return qt_args, unknown


def build_window(argv: list[str]):
    """Parses `argv`, reuses or creates the QApplication, builds and shows the main window."""
    return _start(*parse_args(argv))


def _start(options: argparse.Namespace, qt_args: list[str]):
    # Start-up makes many long-lived objects (modules, classes, widgets) and next to no garbage:
    # no collection passes while building (~10 ms of them); on the app's own start the objects
    # made so far are also left out of later passes (gc.freeze), or the first one walks them all.
    first_start = _no_qt_application_yet()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_window(options, qt_args)
    finally:
        # PySide6's import hook read the source of every module imported after it into
        # linecache (~0.8 MB of text): nothing needs it until a traceback is printed.
        linecache.clearcache()
        if first_start:
            gc.freeze()
        if collecting:
            gc.enable()


def _refuse(message: str) -> NoReturn:
    """Stops start-up like a refused option: the reason on stderr, exit code 2, no traceback."""
    _parser().exit(2, f"{APP_ID}: error: {message}\n")


def _no_qt_application_yet() -> bool:
    widgets = sys.modules.get("PySide6.QtWidgets")  # not imported yet: surely no application
    return widgets is None or widgets.QApplication.instance() is None


def _build_window(options: argparse.Namespace, qt_args: list[str]):
    # Files first, then Qt: PySide6's import hook reads the source of every module imported
    # after it (looking for `__feature__`), so the pure-Python ones are cheaper before it.
    from desktop_app.core.paths import AppPaths, FolderRefused
    from desktop_app.core.profiles import ProfileStore

    paths = AppPaths.under(options.data_dir) if options.data_dir else AppPaths.default()
    try:
        paths.ensure()
    except FolderRefused as refused:
        if options.data_dir:
            _refuse(f"--data-dir {str(options.data_dir)!r}: {refused}")
        _refuse(f"{refused}. Start with --data-dir DIR to keep the desk's files elsewhere.")
    profile_store = ProfileStore(paths.profiles_file)
    # Read once, even with --demo or --base-url: a broken file is moved aside by this read, and
    # only this read's state carries the notice that says so.
    profiles = profile_store.load()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui import icons, theme

    app = QApplication.instance()
    created = app is None
    if app is None:
        app = QApplication([APP_ID, *theme.style_args(qt_args), *qt_args])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)

    from desktop_app.ui.main_window import MainWindow

    theme.apply(app, style_chosen=created)
    app.setWindowIcon(icons.app_icon())
    settings = QSettings(str(paths.settings_file), QSettings.Format.IniFormat)

    window = MainWindow(paths, _connection(options, profiles), settings)
    controller = _profiles_controller(window, profile_store, options)
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    # After show(): the first start's profile manager opens over the window, not before it.
    controller.start(open_when_empty=not (options.demo or options.base_url), state=profiles)
    if options.demo:
        _start_demo_sandbox(window)
    from desktop_app.ui.log_file import LogFile

    LogFile(paths.log_dir).open_later(window)
    return window


def _profiles_controller(window, store, options: argparse.Namespace):
    """The profile switcher in the connection bar and File → Profiles…, wired to the window."""
    from desktop_app.ui.profile_switcher import ProfilesController

    controller = ProfilesController(window, store)
    bar = window.connection_bar
    bar.layout().insertWidget(3, controller.switcher)  # after the logo, title and demo badge
    # The switcher names the profile; the demo has nothing to switch to, so its label does.
    controller.switcher.setVisible(not options.demo)
    bar.profile.setVisible(options.demo)
    if options.base_url:  # no saved profile is in use until the agent picks one
        controller.switcher.setPlaceholderText(COMMAND_LINE_PROFILE)
    # An answer belongs to the host it was asked of: no switching while one is on its way.
    window.busyChanged.connect(controller.switcher.setDisabled)
    return controller


def _connection(options: argparse.Namespace, profiles):
    """The connection to start with: the demo sandbox, --base-url, or the default profile."""
    from desktop_app.desk.session import Connection

    if options.demo:  # its sandbox starts once the window shows: _start_demo_sandbox
        return Connection.demo_starting(DEMO_PROFILE)
    if options.base_url:
        return Connection(COMMAND_LINE_PROFILE, options.base_url, options.username)
    profile = profiles.default
    if profile is None:
        return None
    return Connection(
        profile.name, profile.base_url, options.username or profile.username, team=profile.team
    )


def _start_demo_sandbox(window) -> None:
    """Starts the in-process sandbox on a worker once the window has painted (importing and
    seeding it would hold up the first paint): the connection bar says "starting sandbox…"
    meanwhile, and a lookup asked for before it is up waits for it. Stopped on shutdown."""
    from desktop_app.desk.session import Connection

    started = []

    def start():  # on a worker thread
        from desktop_app.sandbox import Sandbox

        sandbox = Sandbox()
        started.append(sandbox)  # stopped by the cleanup even if the window is gone by now
        return sandbox.start()

    def ready(sandbox) -> None:
        from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME

        window.set_connection(
            Connection(DEMO_PROFILE, sandbox.base_url, DEMO_USERNAME, DEMO_PASSWORD_MD5)
        )

    def failed(error: BaseException) -> None:
        window.set_connection(None)
        window.connection_bar.set_error("The demo sandbox did not start")
        window.notify(f"The demo sandbox did not start: {error}", 0)

    window.add_cleanup(lambda: [sandbox.stop() for sandbox in started])
    # Not at once: its imports (~100 ms) would take the GIL from the UI thread's last steps of
    # showing the window.
    window.after_first_paint(
        lambda: window.runner.run(start, ready, failed), SANDBOX_START_DELAY_MS
    )


# Where a windowed app (Windows' redemption-desk.exe) writes what would go to its console.
OUTPUT_FILE_VARIABLE = "REDEMPTION_DESK_OUTPUT"
OUTPUT_FILE_NAME = "redemption-desk-output.txt"
_signal_wakeup: list[Any] = []


def console_fallback() -> Path | None:
    """Without stdout or stderr (a windowed Windows app has neither: both are None), send both to
    a file, so --help, --version, argparse's errors and an uncaught exception's traceback land
    there and the process still exits with their code. Returns the file, or None when the
    console streams exist. The file: $REDEMPTION_DESK_OUTPUT, else redemption-desk-output.txt in
    the log folder, rewritten at each start."""
    if sys.stdout is not None and sys.stderr is not None:
        return None
    path = _output_file()
    stream = path.open("w", encoding="utf-8", errors="backslashreplace", buffering=1)
    if sys.stdout is None:
        sys.stdout = stream
    if sys.stderr is None:
        sys.stderr = stream
    return path


def _output_file() -> Path:
    """The output file, its folder made; the null device when neither candidate can be written
    (there is no console left to say so on)."""
    chosen = os.environ.get(OUTPUT_FILE_VARIABLE)
    candidates = [Path(chosen)] if chosen else []
    from desktop_app.core.paths import AppPaths

    candidates.append(AppPaths.default().log_dir / OUTPUT_FILE_NAME)
    for candidate in candidates:
        try:
            candidate.parent.mkdir(parents=True, exist_ok=True)
            candidate.touch()
        except OSError:
            continue
        return candidate
    return Path(os.devnull)


def quit_on_termination_signals(app) -> None:
    """SIGTERM and SIGINT (Ctrl+C, `kill`, a logout, a service manager) quit the event loop like
    File → Quit, so the window shuts down cleanly: requests in flight finish, the history is
    checkpointed and closed and its writer lock released. Python runs signal handlers only
    between bytecodes, never while Qt's loop waits, so the signal also wakes the loop through a
    socket (signal.set_wakeup_fd) that a QSocketNotifier watches."""
    import contextlib
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woken() -> None:
        with contextlib.suppress(OSError):  # drained: nothing more to read
            while reader.recv(64):
                pass

    notifier.activated.connect(woken)
    _signal_wakeup[:] = [reader, writer, notifier]  # alive as long as the process
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.quit())


def main(argv: list[str] | None = None) -> int:
    console_fallback()
    try:
        return _run(sys.argv[1:] if argv is None else list(argv))
    except Exception:
        # Printed here rather than left to escape: a windowed PyInstaller app would show the
        # escaped exception in a modal dialog (a CI run waits for it until its timeout).
        import traceback

        traceback.print_exc()
        return 1


def _run(argv: list[str]) -> int:
    options, qt_args = parse_args(argv)
    if options.self_test:
        from desktop_app.self_test import run_self_test

        return run_self_test(sys.modules[__name__])
    window = _start(options, qt_args)  # build_window without parsing the command line again
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    quit_on_termination_signals(app)
    code = app.exec()
    window.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
