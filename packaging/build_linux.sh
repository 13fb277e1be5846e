#!/usr/bin/env bash
# Build the Linux onedir from packaging/redemption-desk.spec, print its size and compressed size,
# and run the frozen app's --self-test. This is the frozen build .ci/run proves on every change.
#
#   packaging/build_linux.sh                 build, measure, self-test
#   packaging/build_linux.sh --measure-trim  also rebuild once per trim group kept, and print what
#                                            each exclusion saves (about a minute per build)
#
# PYTHON picks the interpreter (default: .venv/bin/python, else python3); the build extra
# (PyInstaller) is installed into it, beside the app's own dependencies. MAX_ONEDIR_MB (default 120) fails the build when exceeded.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
MAX_ONEDIR_MB=${MAX_ONEDIR_MB:-120}
DIST=dist
WORK=build/pyinstaller
ONEDIR=$DIST/redemption-desk

# Only the build extra's requirements: reinstalling the project itself is not needed (the spec
# reads the source tree) and would briefly unimport it for anything else using this environment.
mapfile -t build_requirements < <("$PYTHON" -c '
import tomllib
with open("pyproject.toml", "rb") as project:
    print("\n".join(tomllib.load(project)["project"]["optional-dependencies"]["build"]))')
"$PYTHON" -m pip install --quiet "${build_requirements[@]}"
# The spec compiles a 15 kB stand-in for ICU's 32 MB data library (packaging/linux/).
if ! command -v "${CC:-cc}" >/dev/null; then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gcc libc6-dev
fi
VERSION=$("$PYTHON" -c 'import desktop_app; print(desktop_app.__version__)')
ARCHIVE=$DIST/redemption-desk-$VERSION-linux-$(uname -m).tar.gz

# build DIST WORK: one PyInstaller run of the spec (REDEMPTION_DESK_KEEP passes through).
build() {
    "$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$1" --workpath "$2" \
        packaging/redemption-desk.spec
}

megabytes() {
    echo "$(du -sb "$1" | cut -f1)" | awk '{printf "%.1f", $1 / 1000000}'
}

measure_trim() {
    local groups=(qt-translations qt-platforms qt-imageformats qt-devices qt-gtk3-theme
        qt-network-plugins unused-qt-modules unused-stdlib httpx-cli strip icu-data)
    local trimmed
    trimmed=$(megabytes "$ONEDIR")
    echo
    echo "What each exclusion saves (onedir size with that one group kept, minus the trimmed size):"
    printf '  %-20s %10s %8s\n' group "kept (MB)" "saves"
    for group in "${groups[@]}" all; do
        REDEMPTION_DESK_KEEP=$group build build/measure/dist build/measure/work >/dev/null 2>&1
        local size
        size=$(megabytes build/measure/dist/redemption-desk)
        printf '  %-20s %10s %8s\n' "$group" "$size" "$(awk -v a="$size" -v b="$trimmed" 'BEGIN {printf "%.1f", a - b}')"
    done
    rm -rf build/measure
}

started=$(date +%s)
build "$DIST" "$WORK"
build_seconds=$(( $(date +%s) - started ))

tar -czf "$ARCHIVE" -C "$DIST" redemption-desk
onedir_mb=$(megabytes "$ONEDIR")
echo
echo "Build took ${build_seconds}s."
echo "onedir  $ONEDIR: ${onedir_mb} MB ($(du -sh "$ONEDIR" | cut -f1) on disk, $(find "$ONEDIR" -type f | wc -l) files)"
echo "tar.gz  $ARCHIVE: $(megabytes "$ARCHIVE") MB"

if [ "${1:-}" = "--measure-trim" ]; then
    measure_trim
fi

echo
echo "Frozen self-test:"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} timeout 300 "$ONEDIR/redemption-desk" --self-test

if awk -v size="$onedir_mb" -v limit="$MAX_ONEDIR_MB" 'BEGIN {exit !(size > limit)}'; then
    echo "The onedir is ${onedir_mb} MB, over the ${MAX_ONEDIR_MB} MB target: see packaging/bundle_trim.py." >&2
    exit 1
fi
