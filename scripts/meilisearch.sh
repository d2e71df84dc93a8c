#!/usr/bin/env bash
# Local Meilisearch for development and tests (the vendored binary from scripts/provision.sh).
#
#   scripts/meilisearch.sh start [--strict]   start it, or reuse one already answering
#   scripts/meilisearch.sh stop               stop the server this script started
#   scripts/meilisearch.sh status             exit 0 when a usable server answers
#   scripts/meilisearch.sh env                print `export MEILISEARCH_URL=… MEILISEARCH_API_KEY=…`
#                                             when a usable server answers (for eval), else exit 1
#
# Without a usable server, `start` prints the fallback message and exits 0 (search then uses
# the database), or exits 1 with --strict (CI must not go green without Meilisearch).
#
# Environment: MEILISEARCH_PORT (7700), MEILISEARCH_HOME (its data, log and pid: var/meilisearch),
# MEILISEARCH_API_KEY (the master key; a development
# key by default), MEILISEARCH_START_TIMEOUT (seconds to wait for health, 30),
# MEILISEARCH_INDEXING_THREADS (every CPU by default: Meilisearch's own default is half of
# them, one thread on a two-CPU machine, which halves `search_reindex`; searches still get
# CPU time while it indexes, they share it with the indexer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BINARY="$ROOT/var/vendor/meilisearch/meilisearch"
HOME_DIR="${MEILISEARCH_HOME:-$ROOT/var/meilisearch}"
DATA_DIR="$HOME_DIR/data"
LOG_FILE="$HOME_DIR/log"
PID_FILE="$HOME_DIR/pid"

PORT="${MEILISEARCH_PORT:-7700}"
KEY="${MEILISEARCH_API_KEY:-mille-cafes-development-master-key}"
URL="http://127.0.0.1:$PORT"
TIMEOUT="${MEILISEARCH_START_TIMEOUT:-30}"
INDEXING_THREADS="${MEILISEARCH_INDEXING_THREADS:-$(nproc)}"
FALLBACK="Meilisearch indisponible : la recherche utilisera la base de données"

say() { printf 'meilisearch: %s\n' "$*"; }

# http_code PATH [auth]: the HTTP status of GET URL/PATH, 000 when nothing answers.
http_code() {
    local args=(-s -o /dev/null -w '%{http_code}' --max-time 2)
    [[ "${2:-}" == auth ]] && args+=(-H "Authorization: Bearer $KEY")
    curl "${args[@]}" "$URL$1" 2>/dev/null || true
}

healthy() { [[ "$(http_code /health)" == 200 ]]; }
key_accepted() { [[ "$(http_code /version auth)" == 200 ]]; }

our_pid() {  # the pid of the server this script started, if it still runs
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

unavailable() {  # unavailable STRICT REASON
    say "$2"
    if [[ "$1" == 1 ]]; then
        say "Meilisearch est requis (--strict) : arrêt."
        exit 1
    fi
    say "$FALLBACK"
    exit 0
}

start() {
    local strict=0
    for arg in "$@"; do
        case "$arg" in
            --strict) strict=1 ;;
            *) echo "meilisearch: unknown option $arg" >&2; exit 2 ;;
        esac
    done
    if healthy; then
        if key_accepted; then
            say "Meilisearch démarré sur $URL (serveur déjà en marche, réutilisé)"
            exit 0
        fi
        unavailable "$strict" "a server answers on $URL but refuses MEILISEARCH_API_KEY"
    fi
    if [[ ! -x "$BINARY" ]]; then
        unavailable "$strict" "no binary at ${BINARY#"$ROOT"/} (run scripts/provision.sh)"
    fi
    mkdir -p "$DATA_DIR"
    # Its own session and no terminal: it outlives this script and holds none of its pipes.
    (
        cd "$HOME_DIR"
        exec setsid "$BINARY" \
            --http-addr "127.0.0.1:$PORT" \
            --master-key "$KEY" \
            --db-path "$DATA_DIR" \
            --env development \
            --no-analytics \
            --max-indexing-threads "$INDEXING_THREADS" \
            </dev/null >>"$LOG_FILE" 2>&1
    ) &
    local pid=$!
    echo "$pid" >"$PID_FILE"
    local waited=0
    while ! healthy; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            tail -n 5 "$LOG_FILE" >&2 || true
            unavailable "$strict" "the server stopped at start-up (log: ${LOG_FILE#"$ROOT"/})"
        fi
        if ((waited >= TIMEOUT * 5)); then
            kill "$pid" 2>/dev/null || true
            rm -f "$PID_FILE"
            unavailable "$strict" "no answer on $URL after ${TIMEOUT}s (log: ${LOG_FILE#"$ROOT"/})"
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    if ! key_accepted; then
        unavailable "$strict" "the server on $URL refuses MEILISEARCH_API_KEY"
    fi
    say "Meilisearch démarré sur $URL (pid $pid, log ${LOG_FILE#"$ROOT"/})"
}

stop() {
    local pid
    if ! pid="$(our_pid)"; then
        rm -f "$PID_FILE"
        say "no Meilisearch started by this script is running"
        return 0
    fi
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    say "Meilisearch arrêté (pid $pid)"
}

status() {
    if healthy && key_accepted; then
        say "Meilisearch en marche sur $URL"
        return 0
    fi
    if healthy; then
        say "a server answers on $URL but refuses MEILISEARCH_API_KEY"
    else
        say "no Meilisearch on $URL"
    fi
    return 1
}

env_lines() {
    healthy && key_accepted || return 1
    printf 'export MEILISEARCH_URL=%q\n' "$URL"
    printf 'export MEILISEARCH_API_KEY=%q\n' "$KEY"
}

command="${1:-}"
shift || true
case "$command" in
    start) start "$@" ;;
    stop) stop ;;
    status) status ;;
    env) env_lines ;;
    *) echo "usage: scripts/meilisearch.sh start [--strict] | stop | status | env" >&2; exit 2 ;;
esac
