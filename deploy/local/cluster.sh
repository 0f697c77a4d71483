#!/usr/bin/env bash
# A replica soak you can run (issue #21, requirement 4).
#
#   bash deploy/local/cluster.sh [--short] [--json] [--bin DIR] [--logs DIR]
#
# Starts, on 127.0.0.1 and free ports, in a temp folder deleted at the end:
#   - 3 replicas of each BFF (Bff.Web, Bff.Mobile, Bff.Partner) behind haproxy (checks /health/ready every 500 ms,
#     fall 1, rise 1; redispatch + retry-on conn-failure/empty-response), each with Gateway:DrainDelay 2 s;
#   - Redis Sentinel: one redis-server master, two replicas, three redis-sentinel processes (service "mymaster");
#   - PostgreSQL (the key store, KeyStore:Provider=Postgres; migrated once with the partner's `migrate` command);
#   - the demo backends (samples/Backends, all three services in one process);
#   - one shared copy of each BFF's route files (Gateway:ConfigPath of all its replicas), hot-reloaded.
# Then, each under load (wrk, paced, counting every status; plus deploy/local/checker.py recording every answer:
# scenario, target, time, latency, status, replica), it runs:
#   1 kill      kill -9 of one replica of each BFF, restarted afterwards
#   2 rolling   SIGTERM each replica in turn, wait for its exit, start it, wait until haproxy has it UP
#   3 failover  SENTINEL FAILOVER mymaster
#   4 route_edit  a header added to one route in each shared route file; every replica probed directly
#   5 revoke    a key revoked through one replica's admin API; every replica probed directly until 401
#   6 over_admission  one client with a 50 per 10 s plan hammered through haproxy across the replicas
# and prints a table (or, with --json, one JSON object). Exit code 1 when a goal is missed (the failed goals are
# listed), 2 when the cluster could not be started.
#
#   --short     Bff.Partner's 3 replicas only (the BFF every scenario needs) and a few seconds per scenario
#   --json      the result as one JSON object on standard output (progress goes to standard error)
#   --bin DIR   use built hosts: DIR/web/Bff.Web.dll, DIR/mobile/Bff.Mobile.dll, DIR/partner/Bff.Partner.dll,
#               DIR/backends/Backends.dll (e.g. `dotnet publish -c Release -o DIR/partner`, or links to bin/Debug
#               folders); without it the four projects are published (Release) into the temp folder
#   --logs DIR  copy the processes' logs and the raw results there before the temp folder is deleted
#
# Needs: dotnet, haproxy, redis-server, redis-sentinel, PostgreSQL's binaries (/usr/lib/postgresql/*/bin), wrk, python3.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
short=0 json=0 bin="" logs_out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) short=1 ;;
    --json) json=1 ;;
    --bin) bin="$(cd "$2" && pwd)"; shift ;;
    --logs) logs_out="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if (( short )); then
  warm=1.5 after=2 failover_s=6 hammer_s=5 bffs=(partner)
else
  warm=10 after=20 failover_s=30 hammer_s=25 bffs=(web mobile partner)
fi
declare -A dll=([web]=Bff.Web [mobile]=Bff.Mobile [partner]=Bff.Partner [backends]=Backends)
declare -A project=([web]=src/Bff.Web [mobile]=src/Bff.Mobile [partner]=src/Bff.Partner [backends]=samples/Backends)

log() { printf '[soak %6.1fs] %s\n' "$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN{print n-s}')" "$*" >&2; }
die() { log "FAILED: $*"; exit 2; }
now() { date +%s.%N; }
rel() { awk -v e="$epoch" -v n="$(now)" 'BEGIN{printf "%.4f", n-e}'; }
checker() { python3 "$here/checker.py" "$@"; }

start="$(now)"
epoch="$start"
tmp="$(mktemp -d /tmp/bffs-soak.XXXXXX)"
chmod 755 "$tmp"   # PostgreSQL runs as the postgres user and must reach its folder
mkdir -p "$tmp/logs" "$tmp/results" "$tmp/routes"
declare -A pid=()

cleanup() {
  local rc=$?
  set +e
  for name in "${!pid[@]}"; do kill -9 "${pid[$name]}" 2>/dev/null; done
  if [[ -f "$tmp/pg/data/postmaster.pid" ]]; then kill -9 "$(head -1 "$tmp/pg/data/postmaster.pid")" 2>/dev/null; fi
  wait 2>/dev/null
  if [[ -n "$logs_out" ]]; then mkdir -p "$logs_out" && cp -r "$tmp/logs" "$tmp/results" "$logs_out/" 2>/dev/null; fi
  rm -rf "$tmp"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in dotnet haproxy redis-server redis-sentinel wrk python3 runuser; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$pgbin/postgres" ]] || die "PostgreSQL's binaries are not in /usr/lib/postgresql/*/bin"

# ---------------------------------------------------------------- binaries
if [[ -z "$bin" ]]; then
  bin="$tmp/bin"
  for h in web mobile partner backends; do
    log "dotnet publish ${project[$h]} -c Release"
    dotnet publish "$repo/${project[$h]}" -c Release -o "$bin/$h" -v q -nologo >"$tmp/logs/publish-$h.log" 2>&1 \
      || { tail -20 "$tmp/logs/publish-$h.log" >&2; die "publish of ${project[$h]} failed"; }
  done
fi
for h in web mobile partner backends; do
  [[ -f "$bin/$h/${dll[$h]}.dll" ]] || die "$bin/$h/${dll[$h]}.dll not found (--bin DIR needs DIR/{web,mobile,partner,backends})"
done

# ---------------------------------------------------------------- ports
read -r -a p <<<"$(checker ports 20)"
pg_port=${p[0]} redis_master=${p[1]} redis_r1=${p[2]} redis_r2=${p[3]} s1=${p[4]} s2=${p[5]} s3=${p[6]}
backend_port=${p[7]}
declare -A front=([web]=${p[8]} [mobile]=${p[9]} [partner]=${p[10]})
declare -A rport=()
i=11
for b in web mobile partner; do for n in 1 2 3; do rport[$b$n]=${p[$i]}; i=$((i+1)); done; done

# ---------------------------------------------------------------- PostgreSQL
log "PostgreSQL on $pg_port"
pg_password="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$tmp/pg"
printf '%s' "$pg_password" >"$tmp/pg/pw"
as_pg=()
if [[ "$(id -u)" == 0 ]]; then chown -R postgres "$tmp/pg"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U bffs --auth=scram-sha-256 --pwfile "$tmp/pg/pw" -E UTF8 --no-sync \
  --locale=C >"$tmp/logs/initdb.log" 2>&1 || { cat "$tmp/logs/initdb.log" >&2; die "initdb failed"; }
"${as_pg[@]}" "$pgbin/postgres" -D "$tmp/pg/data" -p "$pg_port" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$tmp/pg" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c max_connections=300 >"$tmp/logs/postgres.log" 2>&1 &
pid[postgres]=$!

# ---------------------------------------------------------------- Redis Sentinel
log "Redis master $redis_master, replicas $redis_r1 $redis_r2, sentinels $s1 $s2 $s3"
redis_args=(--bind 127.0.0.1 --save '' --appendonly no --dir "$tmp")
redis-server --port "$redis_master" "${redis_args[@]}" --dbfilename m.rdb >"$tmp/logs/redis-master.log" 2>&1 &
pid[redis_master]=$!
for r in "$redis_r1" "$redis_r2"; do
  redis-server --port "$r" "${redis_args[@]}" --dbfilename "r$r.rdb" --replicaof 127.0.0.1 "$redis_master" \
    >"$tmp/logs/redis-$r.log" 2>&1 &
  pid[redis_$r]=$!
done
for s in "$s1" "$s2" "$s3"; do
  cat >"$tmp/sentinel-$s.conf" <<EOF
port $s
bind 127.0.0.1
dir $tmp
sentinel monitor mymaster 127.0.0.1 $redis_master 2
sentinel down-after-milliseconds mymaster 1000
sentinel failover-timeout mymaster 10000
sentinel parallel-syncs mymaster 1
EOF
  redis-sentinel "$tmp/sentinel-$s.conf" >"$tmp/logs/sentinel-$s.log" 2>&1 &
  pid[sentinel_$s]=$!
done
redis="127.0.0.1:$s1,127.0.0.1:$s2,127.0.0.1:$s3,serviceName=mymaster,abortConnect=false"

for _ in $(seq 100); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
"$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" || { cat "$tmp/logs/postgres.log" >&2; die "PostgreSQL did not start"; }

# ---------------------------------------------------------------- settings shared by every replica and command
pepper="soak-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
common_env=(
  ASPNETCORE_ENVIRONMENT=Production
  DOTNET_NOLOGO=1
  ApiKeys__Pepper="$pepper"
  KeyStore__Provider=Postgres
  "ConnectionStrings__KeyStore=Host=127.0.0.1;Port=$pg_port;Username=bffs;Password=$pg_password;Database=postgres"
  ConnectionStrings__Redis="$redis"
  Services__users__http__0="http://127.0.0.1:$backend_port"
  Services__orders__http__0="http://127.0.0.1:$backend_port"
  Services__payments__http__0="http://127.0.0.1:$backend_port"
  Gateway__DrainDelay=00:00:02
  Gateway__ShutdownTimeout=00:00:10
  RateLimiting__Replicas=3
  Admin__Enabled=true
  Observer__PublicHealthDetails=true
  Logging__Console__TimestampFormat='HH:mm:ss.fff '
)
# a host command (migrate, clients create, …), run like the replicas: from its folder, with the same settings
host_cmd() {
  local h="$1"; shift
  (cd "$bin/$h" && env "${common_env[@]}" dotnet "${dll[$h]}.dll" "$@")
}

log "migrate (key store on PostgreSQL)"
host_cmd partner migrate >"$tmp/logs/migrate.log" 2>&1 || { cat "$tmp/logs/migrate.log" >&2; die "migrate failed"; }
user_password="soak-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
host_cmd partner keys create --client soak-ops --create-client --scopes admin --json >"$tmp/admin-key.json" 2>"$tmp/logs/cmd-admin.log" &
c1=$!
host_cmd partner clients create --name soak-load --json >"$tmp/load-client.json" 2>"$tmp/logs/cmd-client.log" &
c2=$!
printf '%s\n' "$user_password" | host_cmd partner users create --username soak --password-stdin --claim customer_id=1 --json \
  >"$tmp/user.json" 2>"$tmp/logs/cmd-user.log" &
c3=$!
log "creating the soak's admin key, load client and user"
wait $c1 && wait $c2 && wait $c3 || { cat "$tmp"/logs/cmd-*.log >&2; die "creating the soak's key, client or user failed"; }
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d[sys.argv[2]])' "$@"; }
admin_key="$(jget "$tmp/admin-key.json" key)"
load_client_id="$(jget "$tmp/load-client.json" id)"

# ---------------------------------------------------------------- the shared route files
for b in "${bffs[@]}"; do cp -r "$repo/ocelot/$b" "$tmp/routes/$b"; done
# The load's client may exceed the shipped 50/s and 1000/min route limits; the over-admission scenario uses another
# client. An environment overlay (merged key by key) keeps the shipped files as they are.
cat >"$tmp/routes/partner/ocelot.Production.json" <<EOF
{ "GlobalConfiguration": { "RateLimitOptions": { "ClientWhitelist": [ "$load_client_id" ] } } }
EOF

# ---------------------------------------------------------------- processes
start_backends() {
  (cd "$bin/backends" && exec env ASPNETCORE_ENVIRONMENT=Production dotnet Backends.dll --Service=all \
    --urls "http://127.0.0.1:$backend_port") >>"$tmp/logs/backends.log" 2>&1 &
  pid[backends]=$!
}
# start_replica web 2: Bff.Web on rport[web2]; must run in this shell (not in $(…)) so that `wait` can reap it
start_replica() {
  local b="$1" n="$2"
  (cd "$bin/$b" && exec env "${common_env[@]}" Urls="http://127.0.0.1:${rport[$b$n]}" \
    Gateway__ConfigPath="$tmp/routes/$b" dotnet "${dll[$b]}.dll") >>"$tmp/logs/$b$n.log" 2>&1 &
  pid[$b$n]=$!
}
ready_url() { echo "http://127.0.0.1:${rport[$1]}/health/ready"; }

log "starting the backends and ${#bffs[@]} x 3 replicas (${bffs[*]})"
start_backends
# One replica first: on an empty key store, replicas (of any BFF: they share it) starting together each create a JWT signing key and, until their
# key cache refreshes, refuse each other's tokens (reported on #21); one replica makes the key, the others load it.
first="${bffs[-1]}1"   # partner1
start_replica "${bffs[-1]}" 1
checker wait "$(ready_url "$first")" --timeout 90 || { tail -20 "$tmp/logs/$first.log" >&2; die "$first did not become ready"; }
for b in "${bffs[@]}"; do for n in 1 2 3; do [[ "$b$n" == "$first" ]] || start_replica "$b" "$n"; done; done
checker wait "http://127.0.0.1:$backend_port/health" --timeout 60 || die "the backends did not start"
for b in "${bffs[@]}"; do for n in 1 2 3; do
  checker wait "$(ready_url "$b$n")" --timeout 90 || { tail -20 "$tmp/logs/$b$n.log" >&2; die "$b$n did not become ready"; }
done; done
log "replicas ready"

servers() {
  [[ " ${bffs[*]} " == *" $1 "* ]] || return 0   # not started (--short): a backend without servers
  for n in 1 2 3; do printf '    server %s%s 127.0.0.1:%s\n' "$1" "$n" "${rport[$1$n]}"; done
}
sed -e "s|@@DIR@@|$tmp|" -e "s|@@WEB_PORT@@|${front[web]}|" -e "s|@@MOBILE_PORT@@|${front[mobile]}|" \
  -e "s|@@PARTNER_PORT@@|${front[partner]}|" "$here/haproxy.cfg.template" >"$tmp/haproxy.cfg.tmp"
python3 - "$tmp/haproxy.cfg.tmp" "$tmp/haproxy.cfg" "$(servers web)" "$(servers mobile)" "$(servers partner)" <<'EOF'
import sys
text = open(sys.argv[1]).read()
for name, lines in zip(("WEB", "MOBILE", "PARTNER"), sys.argv[3:6]):
    text = text.replace(f"@@{name}_SERVERS@@", lines)
open(sys.argv[2], "w").write(text)
EOF
haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/logs/haproxy.log" 2>&1 &
pid[haproxy]=$!
all_servers=()
for b in "${bffs[@]}"; do for n in 1 2 3; do all_servers+=("$b/$b$n"); done; done
for _ in $(seq 50); do [[ -S "$tmp/haproxy.sock" ]] && break; sleep 0.1; done
checker haproxy-stat "$tmp/haproxy.sock" --wait-up "${all_servers[@]}" --timeout 30 >/dev/null || die "haproxy does not see every replica UP"

# ---------------------------------------------------------------- identities for the load
admin="http://127.0.0.1:${rport[partner1]}"
api() { checker api "$1" "$admin$2" --header "X-Api-Key: $admin_key" ${3:+--json "$3"}; }
api PUT /admin/plans/soak-limited '{"rate":"50/10s"}' >/dev/null || die "PUT /admin/plans failed"
api POST /admin/clients '{"name":"soak-limited","plan":"soak-limited"}' >/dev/null || die "POST /admin/clients failed"
limited_key="$(api POST /admin/keys '{"client":"soak-limited","scopes":["orders:read"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["body"]["key"])')"
load_key="$(api POST /admin/keys '{"client":"soak-load","scopes":["orders:read"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["body"]["key"])')"
revokee="$(api POST /admin/keys '{"client":"soak-load","scopes":["orders:read"],"name":"revoked-in-soak"}')"
revokee_key="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["body"]["key"])' "$revokee")"
revokee_id="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["body"]["id"])' "$revokee")"
declare -A path=([web]=/api/me/orders [mobile]=/m/v1/orders [partner]=/partner/v1/orders)
declare -A auth=([partner]="X-Api-Key: $load_key")
if [[ " ${bffs[*]} " == *" web "* ]]; then
  auth[web]="$(checker login-web "http://127.0.0.1:${front[web]}" soak "$user_password")" || die "web sign-in failed"
fi
if [[ " ${bffs[*]} " == *" mobile "* ]]; then
  auth[mobile]="$(checker login-mobile "http://127.0.0.1:${front[mobile]}" soak "$user_password")" || die "mobile sign-in failed"
fi
for b in "${bffs[@]}"; do
  out="$(checker api GET "http://127.0.0.1:${front[$b]}${path[$b]}" --header "${auth[$b]}" --header "X-CSRF: 1")" \
    || die "$b ${path[$b]} through haproxy: $out"
done
log "cluster up ($(printf '%.1f' "$(awk -v s="$start" -v n="$(now)" 'BEGIN{print n-s}')") s)"

cat >"$tmp/results/meta.json" <<EOF
{"replicas": 3, "short": $short, "check_interval_s": 0.5, "drain_delay_s": 2, "startup_s": $(awk -v s="$start" -v n="$(now)" 'BEGIN{printf "%.1f", n-s}'),
 "redis": "sentinel: master + 2 replicas + 3 sentinels", "key_store": "PostgreSQL $(basename "$(dirname "$pgbin")")",
 "load": "checker: 2 connections x 30 req/s per BFF; wrk: 2 connections per BFF, 10 ms pause"}
EOF

# ---------------------------------------------------------------- load
load_pids=()
start_load() {
  local s="$1"
  rm -f "$tmp/stop"
  checker haproxy-stat "$tmp/haproxy.sock" >"$tmp/results/$s.haproxy.before.json"
  local targets=()
  for b in "${bffs[@]}"; do
    targets+=(--target "$b" "http://127.0.0.1:${front[$b]}${path[$b]}" "${auth[$b]}" "X-CSRF: 1")
  done
  checker load --out "$tmp/results/$s.csv" --scenario "$s" --epoch "$epoch" --stop-file "$tmp/stop" \
    --rate 30 --connections 2 "${targets[@]}" >/dev/null &
  load_pids=($!)
  for b in "${bffs[@]}"; do
    wrk -t1 -c2 -d600s --timeout 10s -s "$here/wrk-status.lua" -H "${auth[$b]}" -H "X-CSRF: 1" \
      "http://127.0.0.1:${front[$b]}${path[$b]}" -- 10 >"$tmp/results/$s.wrk.$b.out" 2>&1 &
    load_pids+=($!)
  done
}
stop_load() {
  local s="$1"
  touch "$tmp/stop"
  kill -INT "${load_pids[@]:1}" 2>/dev/null || true
  for p in "${load_pids[@]}"; do wait "$p" || true; done
  for b in "${bffs[@]}"; do
    sed -n 's/^SOAK-WRK //p' "$tmp/results/$s.wrk.$b.out" >"$tmp/results/$s.wrk.$b.json"
  done
  checker haproxy-stat "$tmp/haproxy.sock" >"$tmp/results/$s.haproxy.after.json"
}
wait_up() { checker haproxy-stat "$tmp/haproxy.sock" --wait-up "$@" --timeout 60 | python3 -c 'import json,sys; print(json.load(sys.stdin)["up_after_s"])'; }

# SOAK_ONLY="failover revoke" runs only those scenarios (to investigate one; the report then misses the others)
runs() { [[ -z "${SOAK_ONLY:-}" || " $SOAK_ONLY " == *" $1 "* ]]; }

# ---------------------------------------------------------------- 1. kill -9
if runs kill; then
victims=() up_names=()
for b in "${bffs[@]}"; do victims+=("$b"2); up_names+=("$b/$b"2); done
log "1/6 kill -9 of ${victims[*]}"
start_load kill
sleep "$warm"
killed_at="$(rel)"
for r in "${victims[@]}"; do kill -9 "${pid[$r]}"; done
for r in "${victims[@]}"; do wait "${pid[$r]}" 2>/dev/null || true; done
sleep "$after"
restart_at="$(rel)"
for b in "${bffs[@]}"; do start_replica "$b" 2; done
up_s="$(wait_up "${up_names[@]}")"
sleep 1
stop_load kill
echo "{\"killed_at\": $killed_at, \"killed\": \"${victims[*]}\", \"restarted_at\": $restart_at, \"restart_up_s\": $up_s}" \
  >"$tmp/results/kill.extra.json"

fi

# ---------------------------------------------------------------- 2. rolling restart
if runs rolling; then
log "2/6 rolling restart (${bffs[*]})"
start_load rolling
sleep "$warm"
rolled=()
for b in "${bffs[@]}"; do
  for n in 1 2 3; do
    r="$b$n"
    t0="$(now)"
    kill -TERM "${pid[$r]}"
    code=0
    wait "${pid[$r]}" || code=$?
    exit_s="$(awk -v s="$t0" -v n="$(now)" 'BEGIN{printf "%.2f", n-s}')"
    start_replica "$b" "$n"
    up="$(wait_up "$b/$r")"
    rolled+=("{\"replica\": \"$r\", \"exit_code\": $code, \"exit_after_s\": $exit_s, \"up_after_start_s\": $up}")
    log "   $r: exit $code after $exit_s s, UP again $up s after start"
  done
done
sleep 1
stop_load rolling
(IFS=,; echo "{\"replicas\": [${rolled[*]}]}") >"$tmp/results/rolling.extra.json"

fi

# ---------------------------------------------------------------- 3. Redis failover
if runs failover; then
log "3/6 Redis failover (SENTINEL FAILOVER mymaster)"
start_load failover
sleep "$warm"
health=()
for b in "${bffs[@]}"; do for n in 1 2 3; do health+=(--health "$b$n" "$(ready_url "$b$n")"); done; done
checker failover --sentinel "$s1" --sentinel "$s2" --sentinel "$s3" "${health[@]}" --seconds "$failover_s" --epoch "$epoch" \
  >"$tmp/results/failover.extra.json"
stop_load failover

fi

# ---------------------------------------------------------------- 4. route-file edit
if runs route_edit; then
log "4/6 route-file edit"
start_load route_edit
sleep "$warm"
token="soak-$RANDOM"
probes=()
for b in "${bffs[@]}"; do for n in 1 2 3; do
  probes+=(--probe "$b$n" "http://127.0.0.1:${rport[$b$n]}${path[$b]}" "${auth[$b]}" "X-CSRF: 1")
done; done
declare -A route_file=([web]=ocelot.orders.json [mobile]=ocelot.json [partner]=ocelot.orders.json)
declare -A route_key=([web]=web-me-orders [mobile]=mobile-orders [partner]=partner-orders)
edits=()
for b in "${bffs[@]}"; do edits+=(--file "$tmp/routes/$b/${route_file[$b]}" "${route_key[$b]}" "$token"); done
checker route-edit --epoch "$epoch" "${edits[@]}" "${probes[@]}" >"$tmp/results/route_edit.extra.json"
sleep "$after"
stop_load route_edit

fi

# ---------------------------------------------------------------- 5. revocation
if runs revoke; then
log "5/6 key revoked through partner1's admin API"
start_load revoke
sleep "$warm"
checker revoke --epoch "$epoch" --admin "$admin" "$admin_key" --key-id "$revokee_id" --key "$revokee_key" \
  --probe partner1 "http://127.0.0.1:${rport[partner1]}/partner/v1/orders" \
  --probe partner2 "http://127.0.0.1:${rport[partner2]}/partner/v1/orders" \
  --probe partner3 "http://127.0.0.1:${rport[partner3]}/partner/v1/orders" >"$tmp/results/revoke.extra.json"
sleep "$after"
stop_load revoke

fi

# ---------------------------------------------------------------- 6. over-admission
if runs over_admission; then
log "6/6 over-admission: plan 50 per 10 s, hammered for $hammer_s s through haproxy"
start_load over_admission
checker hammer --out "$tmp/results/over_admission.hammer.csv" --scenario over_admission --epoch "$epoch" \
  --url "http://127.0.0.1:${front[partner]}/partner/v1/orders" --header "X-Api-Key: $limited_key" \
  --threads 6 --seconds "$hammer_s" >/dev/null
stop_load over_admission
echo '{"limit": 50, "period_s": 10}' >"$tmp/results/over_admission.extra.json"

fi

# ---------------------------------------------------------------- report
errors=()
for b in "${bffs[@]}"; do for n in 1 2 3; do
  errors+=("\"$b$n\": $(grep -c -E '^(fail|crit):' "$tmp/logs/$b$n.log" || true)")
done; done
python3 - "$tmp/results/meta.json" "{$(IFS=,; echo "${errors[*]}")}" "$(awk -v s="$start" -v n="$(now)" 'BEGIN{printf "%.1f", n-s}')" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
meta["log_errors"] = json.loads(sys.argv[2])
meta["run_s"] = float(sys.argv[3])
json.dump(meta, open(sys.argv[1], "w"))
EOF
log "done; report"
report=(report "$tmp/results")
(( json )) && report+=(--json)
(( short )) && report+=(--short)
set +e
checker "${report[@]}"
rc=$?
set -e
exit $rc
