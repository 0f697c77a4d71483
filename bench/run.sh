#!/usr/bin/env bash
# Gateway overhead benchmark (issue #10): direct calls, a bare YARP proxy, nginx and the three BFF hosts, measured
# in one run, interleaved. Installs wrk, nginx, redis-server and python3 with apt-get when missing, builds Release,
# starts everything on 127.0.0.1 (free ports), stops everything it started on exit.
#
#   bench/run.sh              the published run: 3 rounds × 10 s, bodies ~200 B and ~8 KB, 32 and 128 connections;
#                             writes bench/results/<date>.{md,svg,json} and the README's Benchmarks table
#   bench/run.sh --quick      development: 1 round × 2 s, 1 s warm-up, results under bench/results/quick/
#   options: --rounds N --duration S --warmup S --no-build --no-readme --keep (keep the temp folder and logs)
#            --only a,b --bodies small,large --connections 32,128 --out DIR (development: a subset, elsewhere)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
ROUNDS=3 DURATION=10 WARMUP=3 QUICK=0 BUILD=1 README=1 KEEP=0 ONLY="" BODIES="small,large" CONNECTIONS="32,128" OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ROUNDS=1 DURATION=2 WARMUP=1 README=0 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --no-readme) README=0 ;;
    --keep) KEEP=1 ;;
    --only) ONLY="$2" README=0; shift ;;
    --bodies) BODIES="$2" README=0; shift ;;
    --connections) CONNECTIONS="$2" README=0; shift ;;
    --out) OUT="$2" README=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools ------------------------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v python3 >/dev/null || missing+=(python3)
command -v curl >/dev/null || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]} with apt-get"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not found)" >&2; exit 1; }

# --- build ------------------------------------------------------------------------------------------------------
PROJECTS=(src/Bff.Partner/Bff.Partner.csproj src/Bff.Web/Bff.Web.csproj src/Bff.Mobile/Bff.Mobile.csproj
          bench/TinyBackend/TinyBackend.csproj bench/YarpBaseline/YarpBaseline.csproj)
if [[ $BUILD -eq 1 ]]; then
  for project in "${PROJECTS[@]}"; do
    log "dotnet build -c Release $project"
    dotnet build "$ROOT/$project" -c Release -nologo -v q >/dev/null
  done
fi
bin() { echo "$ROOT/$1/bin/Release/net10.0"; }

# --- processes --------------------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/bffs-bench.XXXXXX")"
PIDS=()
MEASURE=""
cleanup() {
  local status=$?
  if [[ -n "$MEASURE" ]]; then pkill -TERM -P "$MEASURE" 2>/dev/null || true; kill "$MEASURE" 2>/dev/null || true; fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP -eq 1 || $status -ne 0 ]]; then log "logs kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Distinct free loopback ports, all taken at once so they differ from each other.
read -r P_BACKEND P_YARP P_NGINX P_PARTNER P_PARTNERQ P_WEB P_MOBILE P_REDIS < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

# start NAME DIR COMMAND…: run COMMAND in DIR in the background, output to $TMP/NAME.log, remember its pid.
start() {
  local name="$1" dir="$2"; shift 2
  (cd "$dir" && exec "$@") >"$TMP/$name.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${name^^}=$!"
}
wait_http() {
  local url="$1" name="$2"
  for _ in $(seq 1 150); do
    if curl -s -o /dev/null "$url"; then return 0; fi
    sleep 0.2
  done
  echo "$name did not answer at $url; its log:" >&2; tail -30 "$TMP/$name.log" >&2; exit 1
}

log "temp folder $TMP; ports backend $P_BACKEND yarp $P_YARP nginx $P_NGINX partner $P_PARTNER/$P_PARTNERQ web $P_WEB mobile $P_MOBILE redis $P_REDIS"

start redis "$TMP" redis-server --port "$P_REDIS" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP"
start backend "$(bin bench/TinyBackend)" env ASPNETCORE_ENVIRONMENT=Production \
  dotnet TinyBackend.dll --urls "http://127.0.0.1:$P_BACKEND"
start yarp "$(bin bench/YarpBaseline)" env ASPNETCORE_ENVIRONMENT=Production \
  dotnet YarpBaseline.dll --urls "http://127.0.0.1:$P_YARP" \
  "--ReverseProxy:Clusters:backend:Destinations:d1:Address=http://127.0.0.1:$P_BACKEND/"

sed -e "s|@TMP@|$TMP|g" -e "s|@BACKEND_PORT@|$P_BACKEND|g" -e "s|@NGINX_PORT@|$P_NGINX|g" \
  "$BENCH/config/nginx.conf" >"$TMP/nginx.conf"
start nginx "$TMP" "$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log"

# The BFF hosts as a user runs them in production: Production environment, their own appsettings.json (console
# logging at Information, request log on), a pepper, a SQLite key store, Redis; route files made for the bench.
for bff in partner web mobile; do
  sed -e "s|\"@BACKEND_PORT@\"|$P_BACKEND|g" "$BENCH/config/$bff.ocelot.json" >"$TMP/$bff.ocelot.json"
done
export ASPNETCORE_ENVIRONMENT=Production
ApiKeys__Pepper="bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ApiKeys__Pepper
export ConnectionStrings__KeyStore="Data Source=$TMP/keystore.db"
export ConnectionStrings__Redis="127.0.0.1:$P_REDIS"
export Jwt__AccessTokenLifetime="01:00:00"   # the longest allowed; the full run takes about half an hour

for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$P_REDIS") 2>/dev/null && break; sleep 0.1; done
PARTNER_DLL="$(bin src/Bff.Partner)/Bff.Partner.dll"
WEB_DLL="$(bin src/Bff.Web)/Bff.Web.dll"
log "key store: migrate, an API key, a user"
dotnet "$PARTNER_DLL" migrate >"$TMP/migrate.log" 2>&1
API_KEY="$(dotnet "$PARTNER_DLL" keys create --client bench --create-client --scopes bench --json 2>>"$TMP/cli.log" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | dotnet "$WEB_DLL" users create --username bench --password-stdin --json \
  >>"$TMP/cli.log" 2>&1

# Route "discovered" names ServiceName bench-backend: the Configuration provider finds it in Services:*.
start partner "$(bin src/Bff.Partner)" dotnet Bff.Partner.dll --urls "http://127.0.0.1:$P_PARTNER" \
  "--Gateway:ConfigPath=$TMP/partner.ocelot.json" "--Services:bench-backend:http:0=http://127.0.0.1:$P_BACKEND"
# The same host and routes with a console line for every request (the request log's Debug lines switched on):
# what an access log costs.
start partnerq "$(bin src/Bff.Partner)" dotnet Bff.Partner.dll --urls "http://127.0.0.1:$P_PARTNERQ" \
  "--Gateway:ConfigPath=$TMP/partner.ocelot.json" "--Services:bench-backend:http:0=http://127.0.0.1:$P_BACKEND" --Logging:LogLevel:Bff.Shared.Routing.GatewayRoutingMiddleware=Debug
start web "$(bin src/Bff.Web)" dotnet Bff.Web.dll --urls "http://127.0.0.1:$P_WEB" \
  "--Gateway:ConfigPath=$TMP/web.ocelot.json"
start mobile "$(bin src/Bff.Mobile)" dotnet Bff.Mobile.dll --urls "http://127.0.0.1:$P_MOBILE" \
  "--Gateway:ConfigPath=$TMP/mobile.ocelot.json"

wait_http "http://127.0.0.1:$P_BACKEND/body/small" backend
wait_http "http://127.0.0.1:$P_YARP/body/small" yarp
wait_http "http://127.0.0.1:$P_NGINX/body/small" nginx
wait_http "http://127.0.0.1:$P_PARTNER/health/live" partner
wait_http "http://127.0.0.1:$P_PARTNERQ/health/live" partnerq
wait_http "http://127.0.0.1:$P_WEB/health/live" web
wait_http "http://127.0.0.1:$P_MOBILE/health/live" mobile

log "signing in: a web session and a mobile token"
credentials="{\"username\":\"bench\",\"password\":\"$PASSWORD\"}"
SESSION_COOKIE="$(curl -s -D - -o /dev/null -H 'X-CSRF: 1' -H 'Content-Type: application/json' -d "$credentials" \
  "http://127.0.0.1:$P_WEB/bff/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -1)"
[[ -n "$SESSION_COOKIE" ]] || { echo "web login failed" >&2; tail -20 "$TMP/web.log" >&2; exit 1; }
ACCESS_TOKEN="$(curl -s -H 'Content-Type: application/json' -d "$credentials" "http://127.0.0.1:$P_MOBILE/auth/token" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"

# --- targets ----------------------------------------------------------------------------------------------------
export P_BACKEND P_YARP P_NGINX P_PARTNER P_PARTNERQ P_WEB P_MOBILE API_KEY SESSION_COOKIE ACCESS_TOKEN
export PID_BACKEND PID_YARP PID_NGINX PID_PARTNER PID_PARTNERQ PID_WEB PID_MOBILE PID_REDIS
export V_DOTNET="$(dotnet --version)" V_NGINX="$("$NGINX" -v 2>&1 | sed 's|.*/||')" \
  V_REDIS="$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')" V_WRK="$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
python3 - >"$TMP/targets.json" <<'EOF'
import json, os
e = os.environ
def url(port, path): return f"http://127.0.0.1:{e[port]}{path}"
key = f"X-Api-Key: {e['API_KEY']}"
T = [
  dict(name="direct", label="wrk → tiny backend (the physical limit)", url=url("P_BACKEND", "/body/{size}"),
       gateway="backend", measure=["backend"]),
  dict(name="yarp", label="bare YARP proxy (bench/YarpBaseline, routes from appsettings.json)",
       url=url("P_YARP", "/body/{size}"), gateway="yarp", measure=["yarp", "backend"]),
  dict(name="nginx", label="nginx reverse proxy, upstream keepalive, access log off",
       url=url("P_NGINX", "/body/{size}"), gateway="nginx", measure=["nginx", "backend"]),
  dict(name="bff-plain", label="Bff.Partner, anonymous proxied route", url=url("P_PARTNER", "/plain/{size}"),
       gateway="partner", measure=["partner", "backend", "redis"]),
  dict(name="bff-plain-reqlog", label="Bff.Partner, anonymous proxied route, a console log line for every request "
       "(`Logging:LogLevel:Bff.Shared.Routing.GatewayRoutingMiddleware=Debug`)", url=url("P_PARTNERQ", "/plain/{size}"), gateway="partnerq",
       measure=["partnerq", "backend", "redis"]),
  dict(name="bff-discovered", label="Bff.Partner, the same route by `ServiceName` (service discovery, Configuration provider)",
       url=url("P_PARTNER", "/discovered/{size}"), gateway="partner", measure=["partner", "backend", "redis"],
       compare_to="bff-plain"),
  dict(name="bff-apikey", label="Bff.Partner, API-key route (X-Api-Key, scope check)",
       url=url("P_PARTNER", "/apikey/{size}"), headers=key, gateway="partner", measure=["partner", "backend", "redis"]),
  dict(name="bff-apikey-ratelimit", label="Bff.Partner, API key + Redis rate limit (limit never reached)",
       url=url("P_PARTNER", "/apikey-ratelimit/{size}"), headers=key, gateway="partner",
       measure=["partner", "backend", "redis"]),
  dict(name="bff-cached", label="Bff.Partner, cached route, every request a hit (anonymous)",
       url=url("P_PARTNER", "/cached/{size}"), expect_cache_hit=True, gateway="partner",
       measure=["partner", "backend", "redis"]),
  dict(name="direct-20ms", label="wrk → tiny backend's 20 ms endpoint (reference for the aggregate)",
       url=url("P_BACKEND", "/delay/{size}"), gateway="backend", measure=["backend"], compare_yarp=False),
  dict(name="bff-aggregate", label="Bff.Partner, aggregate of 3 parts, each a 20 ms backend call",
       url=url("P_PARTNER", "/aggregate/{size}"), gateway="partner", measure=["partner", "backend"],
       direct="direct-20ms", compare_yarp=False),
  dict(name="web-session", label="Bff.Web, session route (cookie + X-CSRF, sessions in Redis)",
       url=url("P_WEB", "/session/{size}"), headers=f"Cookie: {e['SESSION_COOKIE']}\nX-CSRF: 1", gateway="web",
       measure=["web", "backend", "redis"]),
  dict(name="mobile-jwt", label="Bff.Mobile, JWT route (Authorization: Bearer, ES256)",
       url=url("P_MOBILE", "/jwt/{size}"), headers=f"Authorization: Bearer {e['ACCESS_TOKEN']}", gateway="mobile",
       measure=["mobile", "backend", "redis"]),
]
processes = {name: int(e[f"PID_{name.upper()}"]) for name in
             ("backend", "yarp", "nginx", "partner", "partnerq", "web", "mobile", "redis")}
roles = {"backend": "backend", "yarp": "yarp", "nginx": "nginx", "partner": "bff", "partnerq": "bff", "web": "bff", "mobile": "bff",
         "redis": "redis"}
versions = {".NET SDK": e["V_DOTNET"], "nginx": e["V_NGINX"], "redis": e["V_REDIS"], "wrk": e["V_WRK"]}
print(json.dumps(dict(targets=T, processes=processes, roles=roles, versions=versions), indent=1))
EOF

# --- measure and report -----------------------------------------------------------------------------------------
DATE="$(date -u +%Y-%m-%d)"
if [[ -z "$OUT" ]]; then OUT="$BENCH/results"; [[ $QUICK -eq 1 ]] && OUT="$BENCH/results/quick"; fi
mkdir -p "$OUT"
quick_flag=(); [[ $QUICK -eq 1 ]] && quick_flag=(--quick)
[[ -n "$ONLY" ]] && quick_flag+=(--only "$ONLY")
log "measuring: $ROUNDS round(s) × $DURATION s, results in $OUT/$DATE.md"
# In the background with `wait`, so that a TERM stops the run at once (bash runs traps only between commands).
python3 "$BENCH/bench.py" measure --targets "$TMP/targets.json" --lua "$BENCH/wrk/bench.lua" \
  --out "$OUT/$DATE.json" --rounds "$ROUNDS" --duration "$DURATION" --warmup "$WARMUP" \
  --bodies "$BODIES" --connections "$CONNECTIONS" "${quick_flag[@]}" &
MEASURE=$!
wait "$MEASURE"
MEASURE=""
# What the hosts logged besides their request lines (warnings and errors, counted), for the results file.
python3 "$BENCH/bench.py" logs "$OUT/$DATE.json" --folder "$TMP" --hosts partner,partnerq,web,mobile
python3 "$BENCH/bench.py" report "$OUT/$DATE.json" --md "$OUT/$DATE.md" --svg "$OUT/$DATE.svg"
if [[ $README -eq 1 ]]; then
  python3 "$BENCH/bench.py" readme --md "$OUT/$DATE.md" --readme "$ROOT/README.md"
fi
log "done: $OUT/$DATE.md"
