#!/usr/bin/env bash
# Build "dist/Redemption Desk.app" from packaging/redemption-desk.spec, sign it inside-out with a
# Developer ID and the hardened runtime, run its --self-test, wrap it in a DMG, sign that, and
# notarize the DMG (one submission: Apple's ticket covers the app inside it too), then staple
# the DMG and the app. Signing and notarizing happen only when their credentials are in the
# environment; without them the app keeps PyInstaller's ad-hoc signature.
#
# Environment:
#   PYTHON                  interpreter with the app and the build extra installed (default python3)
#   ALREADY_BUILT=1         use the .app already in dist/ (the release workflow builds it first)
#   MACOS_SIGNING_IDENTITY  "Developer ID Application: Name (TEAMID)", or its SHA-1 hash
#   MACOS_KEYCHAIN          keychain holding that identity (default: the search list)
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD       notarize with an app-specific password, or
#   APPLE_API_KEY_PATH, APPLE_API_KEY_ID, APPLE_API_ISSUER  with an App Store Connect API key
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
APP_NAME="Redemption Desk"
APP="dist/$APP_NAME.app"
EXECUTABLE="$APP/Contents/MacOS/redemption-desk"
ENTITLEMENTS=packaging/macos/entitlements.plist
VERSION=$("$PYTHON" -c 'import desktop_app; print(desktop_app.__version__)')
DMG="dist/redemption-desk-$VERSION-macos-$(uname -m).dmg"
IDENTITY=${MACOS_SIGNING_IDENTITY:-}

notary_args=()
if [ -n "${APPLE_API_KEY_PATH:-}" ] && [ -n "${APPLE_API_KEY_ID:-}" ] && [ -n "${APPLE_API_ISSUER:-}" ]; then
    notary_args=(--key "$APPLE_API_KEY_PATH" --key-id "$APPLE_API_KEY_ID" --issuer "$APPLE_API_ISSUER")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    notary_args=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi

# sign [codesign options] PATH: a Developer ID signature with a secure timestamp.
sign() {
    local args=(--force --timestamp --sign "$IDENTITY")
    if [ -n "${MACOS_KEYCHAIN:-}" ]; then args+=(--keychain "$MACOS_KEYCHAIN"); fi
    codesign "${args[@]}" "$@"
}

# Paths below a folder, deepest first, one per line (names may contain spaces).
deepest_first() {
    find "$1" "${@:2}" | awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-
}

sign_inside_out() {
    echo "Signing inside-out as $IDENTITY"
    # 1. Every nested Mach-O file (dylibs, Python extensions, framework binaries).
    while IFS= read -r file; do
        if [ "$file" != "$EXECUTABLE" ] && file -b "$file" | grep -q 'Mach-O'; then
            sign --options runtime "$file"
        fi
    done < <(deepest_first "$APP/Contents" -type f)
    # 2. Nested bundles, which seal their resources.
    while IFS= read -r bundle; do
        sign --options runtime "$bundle"
    done < <(deepest_first "$APP/Contents" -type d \( -name '*.framework' -o -name '*.app' \))
    # 3. The app itself: its executable is the only code that gets entitlements.
    sign --options runtime --entitlements "$ENTITLEMENTS" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
}

# json_field NAME: the field NAME of the JSON object on stdin, or nothing.
json_field() {
    "$PYTHON" -c 'import json, sys
try:
    print(json.load(sys.stdin).get(sys.argv[1], ""))
except ValueError:
    pass' "$1"
}

# notarize FILE: submit, wait, and fail with Apple's log unless it was accepted. notarytool
# exits non-zero for a rejected submission: the log is fetched before failing all the same.
notarize() {
    local result status id
    result=$(xcrun notarytool submit "$1" "${notary_args[@]}" --wait --output-format json) || true
    echo "$result"
    status=$(echo "$result" | json_field status)
    if [ "$status" != "Accepted" ]; then
        id=$(echo "$result" | json_field id)
        if [ -n "$id" ]; then
            xcrun notarytool log "$id" "${notary_args[@]}" || echo "(could not fetch the log of $id)" >&2
        fi
        echo "Notarization of $1 ended as '${status:-no answer}'." >&2
        return 1
    fi
}

make_dmg() {
    local staging=build/dmg
    rm -rf "$staging" "$DMG"
    mkdir -p "$staging"
    ditto "$APP" "$staging/$APP_NAME.app"
    ln -s /Applications "$staging/Applications"
    # hdiutil now and then fails with "Resource busy" on CI machines: try a few times.
    for attempt in 1 2 3; do
        if hdiutil create -volname "$APP_NAME $VERSION" -srcfolder "$staging" -fs HFS+ \
            -format UDZO -ov "$DMG"; then
            return 0
        fi
        echo "hdiutil failed (attempt $attempt); retrying" >&2
        sleep 5
    done
    return 1
}

if [ "${ALREADY_BUILT:-}" != 1 ]; then
    "$PYTHON" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller \
        packaging/redemption-desk.spec
fi

if [ -n "$IDENTITY" ]; then
    sign_inside_out
else
    echo "MACOS_SIGNING_IDENTITY is not set: the app keeps its ad-hoc signature (not for release)."
fi

echo "Frozen self-test:"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$EXECUTABLE" --self-test

make_dmg
if [ -n "$IDENTITY" ]; then
    sign "$DMG"
    if [ ${#notary_args[@]} -gt 0 ]; then
        notarize "$DMG"
        xcrun stapler staple "$DMG"
        xcrun stapler staple "$APP"
        spctl --assess --type execute --verbose=2 "$APP"
    else
        echo "Notary credentials are not set: nothing is notarized (Gatekeeper will refuse it)."
    fi
fi

echo "app  $APP: $(du -sh "$APP" | cut -f1)"
echo "dmg  $DMG: $(du -sh "$DMG" | cut -f1)"
