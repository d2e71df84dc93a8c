#!/usr/bin/env bash
# The production topology of deploy/ on this machine, checked end to end through nginx:
#
#   scripts/prod-smoke.sh
#
# nginx (deploy/nginx/mille-cafes.conf, over TLS with a throwaway certificate) in front of the
# pages (gunicorn) and websockets (uvicorn) units' own commands, the task worker, production
# settings, PostgreSQL, Redis, Meilisearch and an SMTP sink (aiosmtpd). Then: pages, static
# files sent by nginx, media rules, a private file through X-Accel-Redirect, the chat between
# two members over websockets, an e-mail sent by the worker; members' journeys in Chromium
# (scripts/prod_journey.py: sign in, a forum topic whose follower gets the e-mail, the chat
# between two browsers, a booking, search); then faults, each checked for "nothing lost": an
# SMTP outage, Meilisearch down, Redis restarted, the worker killed mid-task, a gunicorn
# worker killed. Needs nginx and openssl (scripts/provision.sh --system), PostgreSQL on
# 127.0.0.1 (CI has it); Redis runs here on a port of its own so that it can be restarted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

HTTPS_PORT=${SMOKE_HTTPS_PORT:-18443}
HTTP_PORT=${SMOKE_HTTP_PORT:-18080}
PAGES_PORT=${SMOKE_PAGES_PORT:-18000}
WS_PORT=${SMOKE_WS_PORT:-18001}
SMTP_PORT=${SMOKE_SMTP_PORT:-18025}
REDIS_PORT=${SMOKE_REDIS_PORT:-18379}
DB=mille_cafes_smoke
SITE=https://localhost:$HTTPS_PORT
MEMBER=smoke.membre@example.org   # an elected member: e-mails, chat, an invoice refused
MANAGER=smoke.gerant@example.org  # the café's manager: its invoice, chat
PASSWORD=Un-cafe-pour-tous-2026

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
    [[ -f $RUN/redis.pid ]] && kill "$(cat "$RUN/redis.pid")" 2>/dev/null || true
    scripts/meilisearch.sh stop >/dev/null 2>&1 || true
    for pid in "${PIDS[@]}" $SMTP_PID; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

command -v nginx >/dev/null || fail "nginx is missing: run scripts/provision.sh --system"
command -v openssl >/dev/null || fail "openssl is missing: run scripts/provision.sh --system"
# Meilisearch and Redis of its own, on ports of their own: the faults below stop them.
export MEILISEARCH_PORT=${SMOKE_MEILISEARCH_PORT:-17700} MEILISEARCH_HOME=$RUN/meilisearch
export MEILISEARCH_API_KEY=mille-cafes-smoke-master-key
scripts/meilisearch.sh start --strict >/dev/null
start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --daemonize yes \
        --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
}
start_redis

# --- the production environment (deploy/env.example, with local services) ------------------
export DJANGO_SETTINGS_MODULE=community.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export ALLOWED_HOSTS=localhost
export CSRF_TRUSTED_ORIGINS=$SITE
export WAGTAILADMIN_BASE_URL=$SITE
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export MEILISEARCH_URL=http://127.0.0.1:$MEILISEARCH_PORT
export MEILISEARCH_INDEX_PREFIX=smoke
export EMAIL_HOST=127.0.0.1 EMAIL_PORT=$SMTP_PORT EMAIL_USE_TLS=false
export DEFAULT_FROM_EMAIL="Réseau 1000 cafés <contact@localhost>"
export SECURITY_CONTACT_EMAIL=securite@localhost
export MEDIA_ROOT=$RUN/media PRIVATE_MEDIA_ROOT=$RUN/private-media
export PRIVATE_MEDIA_ACCEL_PREFIX=/_private/
# Retries and lost tasks come back within seconds here, not the production half-minute and
# quarter of an hour: the faults below wait for them.
export TASK_RETRY_BASE_DELAY=5 TASK_STALLED_AFTER=15
# Production settings require the search key, which manage.py search_create_key makes below.
export MEILISEARCH_SEARCH_KEY=not-made-yet
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$RUN"/mail/{tmp,new,cur} "$RUN"/{tmp,var}
chmod 777 "$RUN/tmp"

say "database $DB, migrations, static files, search key"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $DB" >/dev/null
"$PY" manage.py migrate --noinput -v0 > "$RUN/setup.log" 2>&1 || fail "migrate"
"$PY" manage.py collectstatic --noinput -v0 >> "$RUN/setup.log" 2>&1 || fail "collectstatic"
# STATIC_ROOT is the checkout's var/static; nginx's workers (nobody) read a copy under $RUN,
# where /srv/mille-cafes/var/static maps, whatever the checkout's own permissions.
cp -r var/static "$RUN/var/static"
MEILISEARCH_SEARCH_KEY=$("$PY" manage.py search_create_key 2>> "$RUN/setup.log") \
    || fail "search_create_key"
export MEILISEARCH_SEARCH_KEY
# Two members of one commune, its café with a booking, and a reimbursement whose invoice
# lies in the private storage; prints the reimbursement's id.
CLAIM=$("$PY" manage.py shell -v 0 -c "
from datetime import datetime, timedelta
from decimal import Decimal
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone
from community.accounts.models import User
from community.accounts.roles import sync_role_groups
from community.places.models import Cafe, Commune, Department, Region
from community.lib.demo import pdf
from events.models import AnimationKind, Fund, Funder, Reimbursement
from events.services import request_booking
from forum.services import follow_forum
from forum.tree import theme

region = Region.objects.create(code='76', name='Occitanie')
department = Department.objects.create(code='81', name='Tarn', region=region)
commune = Commune.objects.create(insee_code='81270', name='Saint-Antonin',
    department=department, population=850, postal_codes='81120')
cafe = Cafe.objects.create(name='Le Café du Village', commune=commune)

def member(email, role, name):
    user = User.objects.create_user(email=email, password='$PASSWORD', display_name=name,
        role=role, commune=commune, membership_status='approved')
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    sync_role_groups(user)
    return user

member('$MEMBER', 'elected', 'Élue Smoke')
manager = member('$MANAGER', 'manager', 'Gérant Smoke')
cafe.managers.add(manager)
follow_forum(manager, theme('Lien social'))
day = timezone.localdate() + timedelta(days=20)
booking = request_booking(by=manager, cafe=cafe,
    kind=AnimationKind.objects.get(slug='chess-workshop'),
    preferred_dates=[timezone.make_aware(datetime(day.year, day.month, day.day, 18))])
fund = Fund.objects.create(name='Fonds Smoke',
    funder=Funder.objects.get_or_create(name='KLESIA', defaults={'type': 'insurer'})[0],
    year=timezone.localdate().year, budget=Decimal('1000.00'))
claim = Reimbursement.objects.create(booking=booking, fund=fund, requested_amount=100,
    invoice=ContentFile(pdf('Facture - Atelier échecs'), name='facture.pdf'))
print(claim.pk)
" 2>> "$RUN/setup.log") || fail "creating the members, the café and the invoice"

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
    "$PY" scripts/smtp_sink.py "$SMTP_PORT" "$RUN/mail" "$RUN/smtp-hold" >> "$RUN/smtp.log" 2>&1 &
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
# status CURL-ARGS...: the answer's status code, 000 when nothing answered.
status() { curl -sk -o /dev/null -w '%{http_code}' "$@" || true; }

for _ in $(seq 60); do
    [[ $(status "$SITE/sante/") == 200 ]] && break
    sleep 1
done
[[ $(status "$SITE/sante/") == 200 ]] || fail "/sante/ is not healthy through nginx"
say "ok: /sante/ healthy (database, cache, channel layer, Meilisearch)"

home=$(curl -sk -D "$RUN/home.headers" "$SITE/") || fail "nginx does not answer on $SITE"
headers=$(cat "$RUN/home.headers")
grep -q '^HTTP/[0-9.]* 200' <<< "$headers" || fail "home page: $(head -1 <<< "$headers")"
grep -qi '^content-security-policy: default-src' <<< "$headers" || fail "home page has no CSP"
grep -qi '^strict-transport-security:' <<< "$headers" || fail "home page has no HSTS"
[[ $(status "http://localhost:$HTTP_PORT/") == 301 ]] || fail "http is not sent to https"
say "ok: home page 200 with its CSP and HSTS, http → https"

# The stylesheet the home page links to (by its hashed name), sent by nginx itself.
css=$(grep -o 'href="/static/[^"]*\.css"' <<< "$home" | head -1 | sed 's/^href="//; s/"$//' \
    || true)
[[ -n $css ]] || fail "the home page links to no stylesheet under /static/"
headers=$(curl -sk -D - -o /dev/null -H "Accept-Encoding: gzip" "$SITE$css") || fail "$css"
grep -q '^HTTP/[0-9.]* 200' <<< "$headers" || fail "$css: $(head -1 <<< "$headers")"
grep -qi '^content-type: text/css' <<< "$headers" || fail "$css is not sent as text/css"
grep -qi '^content-encoding: gzip' <<< "$headers" || fail "$css is not sent compressed"
grep -qi '^cache-control: .*immutable' <<< "$headers" || fail "$css is not cached for good"
grep -q '"GET /static/' "$RUN/pages.log" && fail "gunicorn answered for /static/: nginx should"
say "ok: $css sent by nginx (gzip, cached for good), never by gunicorn"

[[ $(status "$SITE/media/documents/etude.pdf") == 404 ]] || fail "/media/documents/ is served"
[[ $(status "$SITE/_private/animations/factures/x.pdf") == 404 ]] || fail "/_private/ is public"
say "ok: documents and the private folder have no public URL"

# post_form JAR URL FIELD=VALUE...: fill in the form at URL as a browser would (its CSRF
# cookie and token from the page, then the POST); prints the answer's status.
post_form() {
    local jar=$1 url=$2 token field
    shift 2
    token=$(curl -sk -c "$jar" -b "$jar" "$url" \
        | grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' | head -1 \
        | sed 's/.*value="//; s/"$//' || true)
    [[ -n $token ]] || fail "no CSRF token on $url"
    local data=(--data-urlencode "csrfmiddlewaretoken=$token")
    for field in "$@"; do data+=(--data-urlencode "$field"); done
    curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -H "Referer: $url" \
        "${data[@]}" "$url"
}
sign_in() {  # sign_in JAR EMAIL
    [[ $(post_form "$1" "$SITE/comptes/login/" "login=$2" "password=$PASSWORD") == 302 ]] \
        || fail "$2 could not sign in"
}
session_of() { awk '$6 == "sessionid" { print $7 }' "$1"; }

sign_in "$RUN/member.jar" "$MEMBER"
sign_in "$RUN/manager.jar" "$MANAGER"
invoice=$SITE/animations/fonds/remboursements/$CLAIM/facture/
code=$(status "$invoice")
[[ $code == 302 ]] || fail "the invoice answered $code to a visitor (expected the login page)"
code=$(status -b "$RUN/member.jar" "$invoice")
[[ $code == 403 ]] || fail "the invoice answered $code to a member not managing the café"
headers=$(curl -sk -b "$RUN/manager.jar" -D - -o "$RUN/invoice.pdf" "$invoice") \
    || fail "the invoice did not arrive"
grep -q '^HTTP/[0-9.]* 200' <<< "$headers" || fail "invoice: $(head -1 <<< "$headers")"
[[ $(head -c 5 "$RUN/invoice.pdf") == "%PDF-" ]] || fail "the invoice sent is not the PDF"
grep -qi '^content-type: application/pdf' <<< "$headers" || fail "the invoice is not a PDF"
grep -qi '^content-disposition: attachment' <<< "$headers" || fail "the invoice is shown inline"
grep -qi '^x-content-type-options: nosniff' <<< "$headers" || fail "the invoice lacks nosniff"
grep -qi '^content-security-policy: sandbox' <<< "$headers" || fail "the invoice is not sandboxed"
grep -qi '^x-accel-redirect' <<< "$headers" && fail "X-Accel-Redirect reached the browser"
say "ok: an invoice: a visitor must log in, a member not managing the café gets 403," \
    "its manager the PDF from nginx's internal location, inert headers kept"

upgrade=$(curl -sk --http1.1 --max-time 5 -i -o - \
    -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" \
    -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" -H "Origin: $SITE" \
    "$SITE/ws/chat/reseau/" 2>/dev/null | head -1 || true)
grep -q ' 403 ' <<< "$upgrade" || fail "a visitor's chat handshake answered: $upgrade"
# Two members in the network's room, each on a socket of their own (on either uvicorn
# worker): what one writes reaches the other through the channel layer (Redis).
"$PY" - "wss://localhost:$HTTPS_PORT/ws/chat/reseau/" "$SITE" \
    "$(session_of "$RUN/manager.jar")" "$(session_of "$RUN/member.jar")" \
    > "$RUN/chat.log" 2>&1 <<'PYTHON' || fail "chat over websockets: $(tail -1 "$RUN/chat.log")"
import asyncio
import json
import ssl
import sys

from websockets.asyncio.client import connect

url, origin, writer_session, reader_session = sys.argv[1:]
tls = ssl.create_default_context()
tls.check_hostname = False
tls.verify_mode = ssl.CERT_NONE
BODY = "Bonjour depuis le test de production"


async def join(session):
    socket = await connect(
        url, ssl=tls, origin=origin, additional_headers={"Cookie": f"sessionid={session}"}
    )
    frame = json.loads(await socket.recv())
    assert frame["type"] == "history", frame
    return socket


async def main():
    writer, reader = await join(writer_session), await join(reader_session)
    await writer.send(json.dumps({"type": "message", "body": BODY}))
    while (frame := json.loads(await reader.recv()))["type"] != "message":
        pass  # presence frames
    assert frame["body"] == BODY, frame


asyncio.run(asyncio.wait_for(main(), 15))
PYTHON
say "ok: /ws/ reaches uvicorn: a visitor is refused (403), one member's message reaches another"

# request_reset: ask for a password reset as a visitor would, through nginx.
request_reset() {
    local code
    code=$(post_form "$RUN/visitor.jar" "$SITE/comptes/password/reset/" "email=$MEMBER")
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
# The worker retries after TASK_RETRY_BASE_DELAY.
wait_for_mails 2 60
(( $(mails_to_member) == 2 )) || fail "the e-mail sent after the outage arrived twice"
say "ok: the e-mail written during the SMTP outage arrived once SMTP was back, once"

export SMOKE_SITE=$SITE SMOKE_MEMBER=$MEMBER SMOKE_MANAGER=$MANAGER SMOKE_PASSWORD=$PASSWORD
export SMOKE_MAILDIR=$RUN/mail SMOKE_REDIS_PORT=$REDIS_PORT SMOKE_RUN=$RUN
journey() {  # journey PHASE: scripts/prod_journey.py's phase, its lines shown as it goes
    "$PY" scripts/prod_journey.py "$1" 2>&1 | tee "$RUN/journey-$1.log" \
        || fail "journey $1: $(grep -m1 Error "$RUN/journey-$1.log")"
}
journey journey
journey search-outage
journey redis-restart

# The worker killed while it talks to SMTP: the sink holds the recipient, so the message
# is not accepted yet; a new worker (systemd restarts it) runs the task again, once.
touch "$RUN/smtp-hold"
request_reset
for _ in $(seq 60); do grep -q "holding $MEMBER" "$RUN/smtp.log" && break; sleep 0.5; done
grep -q "holding $MEMBER" "$RUN/smtp.log" || fail "the worker never reached SMTP"
kill -9 "${PIDS[2]}"
rm "$RUN/smtp-hold"
say "the worker killed in the middle of sending an e-mail"
# shellcheck disable=SC2046
start worker-2 $(unit_command worker)
wait_for_mails 3 90
sleep 10
(( $(mails_to_member) == 3 )) || fail "the e-mail of the killed worker's task arrived twice"
say "ok: the new worker ran the task again after TASK_STALLED_AFTER: the e-mail arrived once"

master=${PIDS[0]}
victim=$(pgrep -P "$master" | head -1 || true)
[[ -n $victim ]] || fail "no gunicorn worker found under $master"
kill -9 "$victim"
failures=0
for _ in $(seq 30); do
    [[ $(status "$SITE/") == 200 ]] || failures=$((failures + 1))
done
(( failures == 0 )) || fail "$failures of 30 pages failed after a gunicorn worker was killed"
say "ok: a gunicorn worker killed, 30 pages in a row answered 200"

say "all checks passed"

# --- load (bench/README.md): SMOKE_LOAD_USERS signed-in members for SMOKE_LOAD_SECONDS ------
LOAD_USERS=${SMOKE_LOAD_USERS:-0}
(( LOAD_USERS > 0 )) || exit 0
"$PY" -c "import locust, websocket" 2>/dev/null || "$PY" -m pip install -q -e '.[load]'
say "load: the demo content (toolkits, webinars, forum, catalogue)"
"$PY" manage.py seed_demo >> "$RUN/setup.log" 2>&1 || fail "seed_demo"
# Members of their own commune each, with a session (as after signing in), and a topic of
# the public area they all answer.
LOAD_TOPIC=$("$PY" manage.py shell -v 0 -c "
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic
from community.accounts.models import User
from community.accounts.roles import sync_role_groups
from community.places.models import Commune
from forum.tree import area

commune = Commune.objects.get(insee_code='81270')
password = make_password('$PASSWORD')
sessions = []
for n in range($LOAD_USERS):
    user = User.objects.create(email=f'charge{n}@example.org', password=password,
        display_name=f'Membre {n}', role='elected', commune=commune,
        membership_status='approved')
    sync_role_groups(user)
    client = Client()
    client.force_login(user)
    sessions.append(client.cookies['sessionid'].value)
open('$RUN/sessions', 'w').write(chr(10).join(sessions))
forum = area('public')
poster = User.objects.get(email='$MEMBER')
topic = Topic.objects.create(forum=forum, subject='Vos horaires d’hiver ?', poster=poster,
    approved=True, type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED)
Post.objects.create(topic=topic, poster=poster, subject=topic.subject,
    content='Ouvrez-vous le lundi en hiver ?', approved=True)
kwargs = {'forum_slug': forum.slug, 'forum_pk': forum.pk, 'topic_slug': topic.slug,
    'topic_pk': topic.pk}
print(reverse('forum_conversation:topic', kwargs={'forum_slug': forum.slug,
    'forum_pk': forum.pk, 'slug': topic.slug, 'pk': topic.pk}),
    reverse('forum_conversation:post_create', kwargs=kwargs))
" 2>> "$RUN/setup.log") || fail "creating $LOAD_USERS members for the load"
read -r topic reply <<< "$LOAD_TOPIC"
say "load: $LOAD_USERS signed-in members for ${SMOKE_LOAD_SECONDS:-120} s through nginx"
status=0
LOAD_SESSIONS=$RUN/sessions LOAD_TOPIC=$topic LOAD_REPLY=$reply \
    "$PY" -m locust -f bench/locustfile.py --headless --host "$SITE" \
    --users "$LOAD_USERS" --spawn-rate 10 --run-time "${SMOKE_LOAD_SECONDS:-120}s" \
    --stop-timeout 30 --csv "$RUN/load" --only-summary > "$RUN/locust.out" 2>&1 || status=$?
cat "$RUN/locust.out"
# Memory after the run, per process (capacity plan in bench/README.md).
say "load: resident memory (MiB) of each process after the run"
for pid in "${PIDS[@]}" $(pgrep -P "${PIDS[0]}") $(pgrep -P "${PIDS[1]}"); do
    ps -o rss=,args= -p "$pid" 2>/dev/null \
        | awk '{ printf "  %6.0f  %s %s %s %s\n", $1 / 1024, $2, $3, $4, $5 }' || true
done
cp "$RUN/load_stats.csv" "${SMOKE_LOAD_CSV:-var/load_stats.csv}"
if (( status != 0 )); then
    for log in pages websockets worker; do grep -h -A40 Traceback "$RUN/$log.log" | tail -60; done
    fail "the load run had failures (locust exit $status)"
fi
say "load: no failure; per-action figures in ${SMOKE_LOAD_CSV:-var/load_stats.csv}"
