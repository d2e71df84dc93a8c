#!/usr/bin/env bash
# The production topology of deploy/ on this machine, checked end to end through nginx:
#
#   scripts/prod-smoke.sh
#
# nginx (deploy/nginx/mille-cafes.conf, over TLS with a throwaway certificate) in front of the
# pages (gunicorn) and websockets (uvicorn) units' own commands, the task worker, production
# settings, PostgreSQL, Redis, Meilisearch and an SMTP sink (aiosmtpd). Then: pages, static
# files, media rules, the websocket route, an e-mail sent by the worker, an e-mail that waits
# out an SMTP outage, and a gunicorn worker killed under requests. Needs nginx and openssl
# (scripts/provision.sh --system), PostgreSQL and Redis on 127.0.0.1 (CI has them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

HTTPS_PORT=${SMOKE_HTTPS_PORT:-18443}
HTTP_PORT=${SMOKE_HTTP_PORT:-18080}
PAGES_PORT=${SMOKE_PAGES_PORT:-18000}
WS_PORT=${SMOKE_WS_PORT:-18001}
SMTP_PORT=${SMOKE_SMTP_PORT:-18025}
DB=mille_cafes_smoke
SITE=https://localhost:$HTTPS_PORT
MEMBER=smoke.membre@example.org

RUN=$(mktemp -d /tmp/mille-cafes-smoke.XXXXXX)
chmod 755 "$RUN"  # nginx's workers (nobody) read the media folder
PIDS=()
SMTP_PID=""

say() { printf 'prod-smoke: %s\n' "$*"; }
fail() {
    echo "prod-smoke: FAILED: $*" >&2
    for log in "$RUN"/*.log; do
        echo "--- $(basename "$log") (last lines) ---" >&2
        tail -n 25 "$log" >&2 || true
    done
    exit 1
}
cleanup() {
    [[ -f $RUN/nginx.pid ]] && nginx -c "$RUN/nginx.conf" -s stop 2>/dev/null || true
    for pid in "${PIDS[@]}" $SMTP_PID; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

command -v nginx >/dev/null || fail "nginx is missing: run scripts/provision.sh --system"
command -v openssl >/dev/null || fail "openssl is missing: run scripts/provision.sh --system"
scripts/meilisearch.sh start >/dev/null

# --- the production environment (deploy/env.example, with local services) ------------------
export DJANGO_SETTINGS_MODULE=community.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export ALLOWED_HOSTS=localhost
export CSRF_TRUSTED_ORIGINS=$SITE
export WAGTAILADMIN_BASE_URL=$SITE
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/7
export MEILISEARCH_URL=${MEILISEARCH_URL:-http://127.0.0.1:7700}
export MEILISEARCH_API_KEY=${MEILISEARCH_API_KEY:-mille-cafes-development-master-key}
export MEILISEARCH_INDEX_PREFIX=smoke
export EMAIL_HOST=127.0.0.1 EMAIL_PORT=$SMTP_PORT EMAIL_USE_TLS=false
export DEFAULT_FROM_EMAIL="Réseau 1000 cafés <contact@localhost>"
export SECURITY_CONTACT_EMAIL=securite@localhost
export MEDIA_ROOT=$RUN/media PRIVATE_MEDIA_ROOT=$RUN/private-media
export PRIVATE_MEDIA_ACCEL_PREFIX=/_private/
# Production settings require the search key, which manage.py search_create_key makes below.
export MEILISEARCH_SEARCH_KEY=not-made-yet
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$RUN"/mail/{tmp,new,cur} "$RUN/tmp"
chmod 777 "$RUN/tmp"

say "database $DB, migrations, static files, search key"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $DB" >/dev/null
"$PY" manage.py migrate --noinput -v0 > "$RUN/setup.log" 2>&1 || fail "migrate"
"$PY" manage.py collectstatic --noinput -v0 >> "$RUN/setup.log" 2>&1 || fail "collectstatic"
MEILISEARCH_SEARCH_KEY=$("$PY" manage.py search_create_key 2>> "$RUN/setup.log")
export MEILISEARCH_SEARCH_KEY
"$PY" manage.py shell -c "
from allauth.account.models import EmailAddress
from community.accounts.models import User
user = User.objects.create_user(email='$MEMBER', password='Un-cafe-pour-tous-2026',
    display_name='Membre Smoke', role='elected', membership_status='approved')
EmailAddress.objects.create(user=user, email='$MEMBER', verified=True, primary=True)
" >> "$RUN/setup.log" 2>&1 || fail "creating the member"

# --- the processes, from deploy/'s units ------------------------------------------------
# unit_command NAME: the unit's ExecStart, with this checkout's paths and the smoke ports.
unit_command() {
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "deploy/mille-cafes-$1.service" \
        | sed -n 's/^ExecStart=//p' \
        | sed -e "s#/srv/mille-cafes#$ROOT#g" \
              -e "s#127.0.0.1:8000#127.0.0.1:$PAGES_PORT#" -e "s#--port 8001#--port $WS_PORT#" \
              -e "s#--workers [0-9]*#--workers 2#"
}
start() {  # start NAME COMMAND...
    local name=$1
    shift
    "$@" > "$RUN/$name.log" 2>&1 &
    PIDS+=($!)
}
start_smtp() {
    "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$RUN/mail" \
        >> "$RUN/smtp.log" 2>&1 &
    SMTP_PID=$!
}

say "starting the SMTP sink, gunicorn, uvicorn, the worker and nginx"
start_smtp
# shellcheck disable=SC2046  # the unit's command, split into words as systemd does
start pages $(unit_command pages)
# shellcheck disable=SC2046
start websockets $(unit_command websockets)
# shellcheck disable=SC2046
start worker $(unit_command worker)

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$RUN/key.pem" -out "$RUN/cert.pem" >/dev/null 2>&1
sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
    -e "s#server_name cafes.example.org;#server_name localhost;#" \
    -e "s#/etc/letsencrypt/live/cafes.example.org/fullchain.pem#$RUN/cert.pem#" \
    -e "s#/etc/letsencrypt/live/cafes.example.org/privkey.pem#$RUN/key.pem#" \
    -e "s#/srv/mille-cafes#$RUN#g" \
    -e "s#127.0.0.1:8000#127.0.0.1:$PAGES_PORT#g" -e "s#127.0.0.1:8001#127.0.0.1:$WS_PORT#g" \
    deploy/nginx/mille-cafes.conf > "$RUN/site.conf"
cat > "$RUN/nginx.conf" <<EOF
pid $RUN/nginx.pid;
error_log $RUN/nginx-error.log;
worker_processes 2;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $RUN/nginx-access.log;
    client_body_temp_path $RUN/tmp/body;
    proxy_temp_path $RUN/tmp/proxy;
    fastcgi_temp_path $RUN/tmp/fastcgi;
    uwsgi_temp_path $RUN/tmp/uwsgi;
    scgi_temp_path $RUN/tmp/scgi;
    include $RUN/site.conf;
}
EOF
nginx -t -c "$RUN/nginx.conf" > "$RUN/nginx-test.log" 2>&1 || fail "nginx -t refuses the site"
nginx -c "$RUN/nginx.conf" || fail "nginx did not start"

# --- checks ----------------------------------------------------------------------------
status() { curl -sk -o /dev/null -w '%{http_code}' "$@"; }

for _ in $(seq 60); do
    [[ $(status "$SITE/sante/") == 200 ]] && break
    sleep 1
done
[[ $(status "$SITE/sante/") == 200 ]] || fail "/sante/ is not healthy through nginx"
say "ok: /sante/ healthy (database, cache, channel layer, Meilisearch)"

headers=$(curl -sk -D - -o /dev/null "$SITE/")
grep -q '^HTTP/[0-9.]* 200' <<< "$headers" || fail "home page: $(head -1 <<< "$headers")"
grep -qi '^content-security-policy: default-src' <<< "$headers" || fail "home page has no CSP"
grep -qi '^strict-transport-security:' <<< "$headers" || fail "home page has no HSTS"
say "ok: home page 200 with its CSP and HSTS"

[[ $(status "http://localhost:$HTTP_PORT/") == 301 ]] || fail "http is not sent to https"
[[ $(status "$SITE/static/css/site.css") == 200 ]] || fail "static CSS not served"
[[ $(status "$SITE/media/documents/etude.pdf") == 404 ]] || fail "/media/documents/ is served"
[[ $(status "$SITE/_private/factures/x.pdf") == 404 ]] || fail "/_private/ is reachable"
say "ok: http → https, static files served, documents and private files not public"

upgrade=$(curl -sk --http1.1 --max-time 5 -i -o - \
    -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" \
    -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" -H "Origin: $SITE" \
    "$SITE/ws/chat/reseau/" 2>/dev/null | head -1 || true)
grep -Eq ' (101|403) ' <<< "$upgrade" || fail "/ws/ did not reach the websocket workers: $upgrade"
say "ok: /ws/ reaches uvicorn ($(tr -d '\r' <<< "$upgrade"))"

# request_reset: ask for a password reset as a visitor would, through nginx.
request_reset() {
    local jar=$RUN/cookies form token code
    form=$(curl -sk -c "$jar" -b "$jar" "$SITE/comptes/password/reset/")
    token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' <<< "$form" | head -1 \
        | sed 's/.*value="//; s/"$//')
    [[ -n $token ]] || fail "no CSRF token on the password reset page"
    code=$(curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
        -H "Referer: $SITE/comptes/password/reset/" \
        --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "email=$MEMBER" \
        "$SITE/comptes/password/reset/")
    [[ $code == 302 ]] || fail "password reset answered $code"
}
mails_to_member() { grep -rl "^To: $MEMBER" "$RUN/mail" 2>/dev/null | wc -l; }
wait_for_mails() {  # wait_for_mails COUNT SECONDS
    for _ in $(seq "$2"); do
        (( $(mails_to_member) >= $1 )) && return 0
        sleep 1
    done
    fail "expected $1 e-mail(s) to $MEMBER in the SMTP sink, found $(mails_to_member)"
}

request_reset
wait_for_mails 1 60
say "ok: the worker sent the password reset e-mail through SMTP"

kill "$SMTP_PID"
wait "$SMTP_PID" 2>/dev/null || true
request_reset
say "ok: with SMTP down the page still answered 302"
sleep 3
start_smtp
# The worker retries after TASK_RETRY's first delay (30 s, with jitter).
wait_for_mails 2 120
(( $(mails_to_member) == 2 )) || fail "the e-mail sent after the outage arrived twice"
say "ok: the e-mail written during the SMTP outage arrived once SMTP was back, once"

master=${PIDS[0]}
victim=$(pgrep -P "$master" | head -1)
[[ -n $victim ]] || fail "no gunicorn worker found under $master"
kill -9 "$victim"
failures=0
for _ in $(seq 30); do
    [[ $(status "$SITE/") == 200 ]] || failures=$((failures + 1))
done
(( failures == 0 )) || fail "$failures of 30 pages failed after a gunicorn worker was killed"
say "ok: a gunicorn worker killed, 30 pages in a row answered 200"

say "all checks passed"
