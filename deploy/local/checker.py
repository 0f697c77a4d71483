#!/usr/bin/env python3
"""The soak's checker (deploy/local/cluster.sh): every answer it gets is recorded, none is sampled.

Subcommands (all print JSON on stdout; cluster.sh calls them):
  ports N                      N free TCP ports on 127.0.0.1
  wait URL [--timeout S]       until URL answers 200
  api METHOD URL [--header H:V]... [--json BODY]   one call, prints {"status", "body"}
  login-web URL USER PASS | login-mobile URL USER PASS   a session cookie / bearer token
  load --out FILE --scenario S --target NAME URL [--header H:V]... [--rate R] [--stop-file F] [--max S]
                               paced GETs until the stop file exists; one CSV line per request
  hammer --out FILE --scenario S --url URL --header H:V --threads N --seconds S
                               as fast as N connections can, one CSV line per request
  route-edit --file F KEY TOKEN ... --probe NAME URL H:V ...   edits the shared route files and probes
                               every replica directly until each sends X-Soak-Edit: TOKEN
  revoke --admin URL ADMINKEY --key-id ID --key KEY --probe NAME URL ...
                               revokes on one replica, probes every replica until each answers 401
  redis-watch ...              (failover) sentinel promotion and the replicas' readiness
  haproxy-stat SOCKET          per-server counters (retries, redispatches, errors, status)
  report DIR [--json] [--short]   the table / JSON object of the run; exit 1 when a goal is missed
"""
import argparse
import csv
import http.client
import json
import os
import socket
import sys
import threading
import time
import urllib.parse

CSV_FIELDS = ["scenario", "target", "t", "latency_ms", "status", "server", "error"]


def parse_header(text):
    name, _, value = text.partition(":")
    return name.strip(), value.strip()


def split_url(url):
    u = urllib.parse.urlsplit(url)
    path = u.path or "/"
    if u.query:
        path += "?" + u.query
    return u.hostname, u.port or 80, path


class Client:
    """One keep-alive HTTP/1.1 connection; a failed request is answered with status 0 and the error's name."""

    def __init__(self, host, port, timeout=10.0):
        self.host, self.port, self.timeout, self.conn = host, port, timeout, None

    def request(self, method, path, headers=None, body=None):
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers or {})
            r = self.conn.getresponse()
            data = r.read()
            if (r.getheader("Connection") or "").lower() == "close":
                self.close()
            return r.status, r, data, ""
        except Exception as e:  # every failure is an answer of its own: status 0
            self.close()
            return 0, None, b"", type(e).__name__

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None


def write_records(path, records):
    new = not os.path.exists(path)
    with open(path, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(CSV_FIELDS)
        w.writerows(records)


# ---------------------------------------------------------------- small commands

def cmd_ports(a):
    socks, ports = [], []
    for _ in range(a.n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    print(" ".join(map(str, ports)))


def cmd_wait(a):
    host, port, path = split_url(a.url)
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        c = Client(host, port, timeout=2)
        status, _, _, _ = c.request("GET", path)
        c.close()
        if status == 200:
            return 0
        time.sleep(0.1)
    print(f"{a.url} did not answer 200 within {a.timeout} s", file=sys.stderr)
    return 1


def cmd_api(a):
    host, port, path = split_url(a.url)
    headers = dict(parse_header(h) for h in a.header)
    body = None
    if a.json is not None:
        body = a.json.encode()
        headers["Content-Type"] = "application/json"
    c = Client(host, port, timeout=15)
    status, _, data, err = c.request(a.method, path, headers, body)
    c.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = data.decode(errors="replace")
    print(json.dumps({"status": status, "error": err, "body": parsed}))
    return 0 if 200 <= status < 300 else 1


def cmd_login(a, web):
    host, port, _ = split_url(a.url)
    c = Client(host, port, timeout=15)
    body = json.dumps({"username": a.user, "password": a.password}).encode()
    headers = {"Content-Type": "application/json"}
    if web:
        headers["X-CSRF"] = "1"
    status, r, data, err = c.request("POST", "/bff/login" if web else "/auth/token", headers, body)
    c.close()
    if status != 200:
        print(f"sign-in failed: {status} {err} {data[:300]!r}", file=sys.stderr)
        return 1
    if web:
        cookies = [v.split(";", 1)[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
        print("Cookie: " + "; ".join(cookies))
    else:
        print("Authorization: Bearer " + json.loads(data)["access_token"])
    return 0


# ---------------------------------------------------------------- load

def cmd_load(a):
    """Paced GETs from several connections per target until the stop file appears; every answer is recorded."""
    start = time.time()
    records, lock = [], threading.Lock()
    targets = []
    for spec in a.target:
        name, url, *headers = spec
        targets.append((name, url, dict(parse_header(h) for h in headers)))
    interval = a.connections / a.rate if a.rate > 0 else 0

    def stopped():
        return os.path.exists(a.stop_file) or time.time() - start > a.max

    def worker(name, url, headers, offset):
        host, port, path = split_url(url)
        c = Client(host, port, timeout=a.timeout)
        local = []
        next_at = time.time() + offset
        n = 0
        while True:
            n += 1
            if n % 8 == 0 and stopped():
                break
            now = time.time()
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            t0 = time.time()
            status, r, _, err = c.request("GET", path, headers)
            t1 = time.time()
            server = r.getheader("X-Soak-Server", "") if r is not None else ""
            local.append((a.scenario, name, round(t0 - a.epoch, 4), round((t1 - t0) * 1000, 2), status, server, err))
        c.close()
        with lock:
            records.extend(local)

    threads = []
    for name, url, headers in targets:
        for i in range(a.connections):
            t = threading.Thread(target=worker, args=(name, url, headers, i * interval / max(a.connections, 1)))
            t.start()
            threads.append(t)
    for t in threads:
        t.join()
    records.sort(key=lambda r: r[2])
    write_records(a.out, records)
    print(json.dumps({"scenario": a.scenario, "requests": len(records)}))


def cmd_hammer(a):
    """As fast as the connections allow, through the balancer, with one key: counts what the rate limit admits."""
    host, port, path = split_url(a.url)
    headers = dict(parse_header(h) for h in a.header)
    records, lock = [], threading.Lock()
    stop_at = time.time() + a.seconds

    def worker():
        c = Client(host, port, timeout=10)
        local = []
        while time.time() < stop_at:
            t0 = time.time()
            status, r, _, err = c.request("GET", path, headers)
            t1 = time.time()
            server = r.getheader("X-Soak-Server", "") if r is not None else ""
            local.append((a.scenario, "hammer", round(t0 - a.epoch, 4), round((t1 - t0) * 1000, 2), status, server, err))
        c.close()
        with lock:
            records.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records.sort(key=lambda r: r[2])
    write_records(a.out, records)
    print(json.dumps({"requests": len(records)}))


# ---------------------------------------------------------------- propagation probes

def probe_until(probes, done, deadline_s, t0):
    """Round-robin over the replicas (one connection each) until done(status, response) holds for every one.
    Returns {name: seconds from t0 or None}, the number of probes and answers that went back (flaps) after success."""
    clients = {name: Client(*split_url(url)[:2], timeout=5) for name, url, _ in probes}
    paths = {name: split_url(url)[2] for name, url, _ in probes}
    reached, counts, flaps = {}, {name: 0 for name, _, _ in probes}, []
    confirm = {name: 0 for name, _, _ in probes}
    while time.time() - t0 < deadline_s:
        pending = [p for p in probes if confirm[p[0]] < 5]
        if not pending:
            break
        for name, _, headers in pending:
            status, r, _, err = clients[name].request("GET", paths[name], headers)
            counts[name] += 1
            ok = done(status, r)
            if ok and name not in reached:
                reached[name] = round(time.time() - t0, 4)
            if name in reached:
                if ok:
                    confirm[name] += 1
                else:
                    flaps.append({"replica": name, "status": status, "error": err, "t": round(time.time() - t0, 4)})
    for c in clients.values():
        c.close()
    return {name: reached.get(name) for name, _, _ in probes}, counts, flaps


def probe_specs(items):
    out = []
    for spec in items:
        name, url, *headers = spec
        out.append((name, url, dict(parse_header(h) for h in headers)))
    return out


def cmd_route_edit(a):
    """Adds DownstreamHeaderTransform X-Soak-Edit: TOKEN to one route of each shared route file, all at once, and
    measures, replica by replica (probed directly, not through the balancer), when the new header is served."""
    edits = []
    for path, key, token in a.file:
        with open(path) as f:
            doc = json.load(f)
        route = next(r for r in doc["Routes"] if r.get("Key") == key)
        route.setdefault("DownstreamHeaderTransform", {})["X-Soak-Edit"] = token
        edits.append((path, json.dumps(doc, indent=2)))
    tokens = {t for _, _, t in a.file}
    probes = probe_specs(a.probe)
    t0 = time.time()
    for path, text in edits:  # one write each, as an editor saving the file
        with open(path, "w") as f:
            f.write(text)
    times, counts, flaps = probe_until(
        probes, lambda s, r: r is not None and s == 200 and r.getheader("X-Soak-Edit") in tokens, a.deadline, t0)
    print(json.dumps({"edited_at": round(t0 - a.epoch, 4), "per_replica_s": times, "probes": counts, "flaps": flaps,
                      "max_s": None if None in times.values() else max(times.values())}))


def cmd_revoke(a):
    """Revokes a key through one replica's admin API; every replica is probed directly until it answers 401."""
    probes = [(name, url, {"X-Api-Key": a.key}) for name, url in a.probe]
    before = {}
    for name, url, headers in probes:  # every replica has the key cached (it answered 200) before the revocation
        host, port, path = split_url(url)
        c = Client(host, port)
        before[name] = c.request("GET", path, headers)[0]
        c.close()
    host, port, _ = split_url(a.admin)
    c = Client(host, port, timeout=15)
    t0 = time.time()
    status, _, data, err = c.request("POST", f"/admin/keys/{a.key_id}/revoke", {"X-Api-Key": a.admin_key})
    t_answer = time.time() - t0
    c.close()
    times, counts, flaps = probe_until(probes, lambda s, r: s == 401, a.deadline, t0)
    print(json.dumps({"revoked_at": round(t0 - a.epoch, 4), "admin_status": status, "admin_error": err,
                      "admin_answer_s": round(t_answer, 4), "before": before, "per_replica_s": times,
                      "probes": counts, "flaps": flaps,
                      "max_s": None if None in times.values() else max(times.values())}))


def redis_cmd(port, *args):
    """A minimal RESP client (redis-cli would do, but this keeps the polling loop in one process)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(x.encode()), x) for x in args)).encode())
        f = s.makefile("rb")
        return read_resp(f)
    finally:
        s.close()


def read_resp(f):
    line = f.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind in (b"+", b"-"):
        return rest.decode()
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode(errors="replace")
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [read_resp(f) for _ in range(n)]
    raise ValueError(line)


def cmd_failover(a):
    """SENTINEL FAILOVER, then: when the sentinels name a new master, when the new master first runs the replicas'
    commands, and every replica's readiness (all checks, each replica polled by its own thread) meanwhile."""
    sentinels = a.sentinel
    old = redis_cmd(sentinels[0], "SENTINEL", "get-master-addr-by-name", "mymaster")
    health = [(n, u) for n, u in a.health]
    unhealthy, lock = [], threading.Lock()
    last_unhealthy = [None]
    t0 = time.time()
    stop_at = t0 + a.seconds

    def watch(name, url):
        host, port, path = split_url(url)
        c = Client(host, port, timeout=5)
        while time.time() < stop_at:
            ts = time.time()
            status, _, data, err = c.request("GET", path)
            took = time.time() - ts
            bad = None
            if status != 200:
                bad = f"status {status} {err}"
            else:
                try:
                    doc = json.loads(data)
                    entries = doc.get("entries") or doc.get("checks") or {}
                    if isinstance(entries, dict):
                        bad = ",".join(f"{k}={v.get('status')}" for k, v in entries.items()
                                       if isinstance(v, dict) and v.get("status") != "Healthy") or None
                    if bad is None and doc.get("status") not in (None, "Healthy"):
                        bad = str(doc.get("status"))
                except ValueError:
                    bad = "unreadable"
            if took > 1.0:
                bad = (bad + "; " if bad else "") + f"readiness took {took:.1f} s"
            if bad:
                with lock:
                    last_unhealthy[0] = round(time.time() - t0, 3)
                    if len(unhealthy) < 300:
                        unhealthy.append({"t": round(ts - t0, 3), "took_s": round(took, 3), "replica": name, "checks": bad})
            time.sleep(0.1)
        c.close()

    threads = [threading.Thread(target=watch, args=h) for h in health]
    answer = redis_cmd(sentinels[0], "SENTINEL", "FAILOVER", "mymaster")
    for t in threads:
        t.start()
    promoted_at, new, first_writes_at, baseline = None, None, None, None
    while time.time() < stop_at:
        now = time.time() - t0
        try:
            if promoted_at is None:
                addr = redis_cmd(sentinels[0], "SENTINEL", "get-master-addr-by-name", "mymaster")
                if addr != old:
                    promoted_at, new = now, addr
                    baseline = int(info(int(new[1]))["total_commands_processed"])
            elif first_writes_at is None:
                stats = info(int(new[1]))
                # the hosts' own traffic (sessions, rate limits, cache, backplane) lands on the new master
                if int(stats["total_commands_processed"]) - baseline > 100 and int(stats.get("connected_clients", 0)) > 9:
                    first_writes_at = now
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    for t in threads:
        t.join()
    final = {}
    if new:
        st = info(int(new[1]))
        final = {"connected_clients": st.get("connected_clients"), "role": st.get("role"),
                 "commands_since_promotion": int(st["total_commands_processed"]) - baseline}
    print(json.dumps({"failover_at": round(t0 - a.epoch, 4), "sentinel_answer": answer, "old_master": old, "new_master": new,
                      "promoted_s": None if promoted_at is None else round(promoted_at, 3),
                      "new_master_serving_s": None if first_writes_at is None else round(first_writes_at, 3),
                      "new_master_at_end": final,
                      "last_unhealthy_s": last_unhealthy[0], "unhealthy_count": len(unhealthy),
                      "unhealthy": sorted(unhealthy, key=lambda u: u["t"])}))


def info(port):
    text = redis_cmd(port, "INFO", "all")
    out = {}
    cmds = []
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, _, v = line.partition(":")
            out[k] = v
            if k.startswith("cmdstat_"):
                cmds.append(k)
    out["_cmds"] = " ".join(cmds)
    return out


def haproxy_stat(sock_path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path)
    s.sendall(b"show stat\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = {}
    for line in lines[1:]:
        if not line:
            continue
        row = dict(zip(header, line.split(",")))
        if row["svname"] in ("FRONTEND", "BACKEND"):
            continue
        rows[f'{row["pxname"]}/{row["svname"]}'] = {
            "status": row["status"], "retries": int(row["wretr"] or 0), "redispatches": int(row["wredis"] or 0),
            "conn_errors": int(row["econ"] or 0), "resp_errors": int(row["eresp"] or 0),
            "hrsp_5xx": int(row["hrsp_5xx"] or 0), "sessions": int(row["stot"] or 0)}
    return rows


def cmd_haproxy_stat(a):
    if a.wait_up:
        deadline = time.time() + a.timeout
        while time.time() < deadline:
            rows = haproxy_stat(a.socket)
            if all(rows.get(s, {}).get("status") == "UP" for s in a.wait_up):
                print(json.dumps({"up_after_s": round(a.timeout - (deadline - time.time()), 3)}))
                return 0
            time.sleep(0.05)
        print(f"not UP within {a.timeout} s: {a.wait_up}", file=sys.stderr)
        return 1
    print(json.dumps(haproxy_stat(a.socket)))
    return 0


# ---------------------------------------------------------------- report

def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summarize(rows):
    status = {}
    for r in rows:
        status[r["status"]] = status.get(r["status"], 0) + 1
    answered = sum(v for k, v in status.items() if k != "0")
    lat = [float(r["latency_ms"]) for r in rows]
    return {
        "sent": len(rows), "answered": answered, "status": dict(sorted(status.items())),
        "ok_2xx": sum(v for k, v in status.items() if k.startswith("2")),
        "non_2xx": sum(v for k, v in status.items() if not k.startswith("2")),
        "http_5xx": sum(v for k, v in status.items() if k.startswith("5")),
        "failed_no_answer": status.get("0", 0),
        "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": max(lat) if lat else None,
    }


def stat_delta(before, after):
    if not before or not after:
        return None
    out = {}
    for k, v in after.items():
        b = before.get(k, {})
        d = {m: v[m] - b.get(m, 0) for m in ("retries", "redispatches", "conn_errors", "resp_errors", "hrsp_5xx")}
        if any(d.values()):
            out[k] = d
    return out


def wrk_summary(path):
    w = load_json(path)
    if not w:
        return None
    return w


def cmd_report(a):
    d = a.dir
    meta = load_json(os.path.join(d, "meta.json")) or {}
    scen_names = ["kill", "rolling", "failover", "route_edit", "revoke", "over_admission"]
    result = {"mode": "short" if a.short else "full", "scenarios": {}, "goals": []}
    goals = result["goals"]

    def goal(name, ok, detail):
        goals.append({"goal": name, "ok": bool(ok), "detail": detail})

    for s in scen_names:
        rows = read_csv(os.path.join(d, f"{s}.csv"))
        entry = summarize(rows)
        by_target = {}
        for r in rows:
            by_target.setdefault(r["target"], []).append(r)
        entry["by_target"] = {t: summarize(v) for t, v in sorted(by_target.items())}
        wrk = {}
        for bff in ("web", "mobile", "partner"):
            w = wrk_summary(os.path.join(d, f"{s}.wrk.{bff}.json"))
            if w:
                wrk[bff] = w
        entry["wrk"] = wrk
        entry["wrk_sent"] = sum(w.get("requests", 0) for w in wrk.values())
        entry["wrk_non_2xx"] = sum(w.get("non_2xx", 0) for w in wrk.values())
        entry["wrk_5xx"] = sum(w.get("http_5xx", 0) for w in wrk.values())
        entry["wrk_socket_errors"] = sum(w.get("socket_errors", 0) for w in wrk.values())
        entry["haproxy"] = stat_delta(load_json(os.path.join(d, f"{s}.haproxy.before.json")),
                                      load_json(os.path.join(d, f"{s}.haproxy.after.json")))
        extra = load_json(os.path.join(d, f"{s}.extra.json"))
        if extra is not None:
            entry["details"] = extra
        failures = [r for r in rows if r["status"] == "0" or r["status"].startswith("5")]
        entry["failures"] = [{k: r[k] for k in ("target", "t", "status", "server", "error", "latency_ms")} for r in failures[:50]]
        result["scenarios"][s] = entry

    sc = result["scenarios"]
    for s in scen_names:
        goal(f"{s}: requests sent", sc[s]["sent"] > 0, f'{sc[s]["sent"]} checker requests, {sc[s]["wrk_sent"]} wrk requests')

    # 1. kill -9: failures only for requests in flight at the kill or sent before the balancer noticed it
    kill = sc["kill"]
    k = kill.get("details") or {}
    window_end = (k.get("killed_at") or 0) + meta.get("check_interval_s", 0.5) + 1.0
    late = [f for f in kill["failures"] if float(f["t"]) > window_end or float(f["t"]) + float(f["latency_ms"]) / 1000 < (k.get("killed_at") or 0)]
    kill["failures_outside_kill_window"] = len(late)
    goal("kill: 5xx only for the killed replica's in-flight requests", len(late) == 0,
         f'{kill["http_5xx"]} 5xx and {kill["failed_no_answer"]} unanswered of {kill["sent"]} (checker), '
         f'{kill["wrk_5xx"]} 5xx of {kill["wrk_sent"]} (wrk); {len(late)} outside the window')

    r = sc["rolling"]
    goal("rolling restart: 0 non-2xx, 0 5xx", r["non_2xx"] == 0 and r["wrk_non_2xx"] == 0 and r["wrk_socket_errors"] == 0,
         f'checker {r["non_2xx"]} non-2xx ({r["http_5xx"]} 5xx, {r["failed_no_answer"]} unanswered); '
         f'wrk {r["wrk_non_2xx"]} non-2xx, {r["wrk_socket_errors"]} socket errors')

    f = sc["failover"]
    fd = f.get("details") or {}
    result["failover_promoted_s"] = fd.get("promoted_s")
    # recovery: the new master is in use by the replicas, and no replica reports a degraded check any longer
    rec = [x for x in (fd.get("new_master_serving_s"), fd.get("last_unhealthy_s")) if x is not None]
    result["failover_recovery_s"] = max(rec) if rec else None
    goal("failover: 0 5xx", f["http_5xx"] == 0 and f["failed_no_answer"] == 0 and f["wrk_5xx"] == 0 and f["wrk_socket_errors"] == 0,
         f'checker {f["http_5xx"]} 5xx, {f["failed_no_answer"]} unanswered, {f["non_2xx"]} non-2xx; wrk {f["wrk_5xx"]} 5xx')
    goal("failover: the sentinels promoted a new master and the replicas use it", fd.get("promoted_s") is not None and fd.get("new_master_serving_s") is not None,
         f'promoted after {fd.get("promoted_s")} s, new master serving the replicas after {fd.get("new_master_serving_s")} s')

    e = sc["route_edit"]
    ed = e.get("details") or {}
    result["route_propagation_s"] = ed.get("max_s")
    goal("route edit: every replica within 1 s", ed.get("max_s") is not None and ed["max_s"] <= 1.0 and not ed.get("flaps"),
         f'slowest replica {ed.get("max_s")} s; flaps {len(ed.get("flaps") or [])}')
    goal("route edit: 0 5xx", e["http_5xx"] == 0 and e["failed_no_answer"] == 0 and e["wrk_5xx"] == 0,
         f'checker {e["http_5xx"]} 5xx, {e["failed_no_answer"]} unanswered; wrk {e["wrk_5xx"]} 5xx')

    v = sc["revoke"]
    vd = v.get("details") or {}
    result["revocation_s"] = vd.get("max_s")
    goal("revocation: every replica refuses within 1 s",
         vd.get("admin_status") == 204 and vd.get("max_s") is not None and vd["max_s"] <= 1.0 and not vd.get("flaps")
         and all(s == 200 for s in (vd.get("before") or {"-": 0}).values()),
         f'admin answer {vd.get("admin_status")}, key before {vd.get("before")}, slowest replica {vd.get("max_s")} s, flaps {len(vd.get("flaps") or [])}')
    goal("revocation: 0 5xx", v["http_5xx"] == 0 and v["failed_no_answer"] == 0, f'{v["http_5xx"]} 5xx')

    o = sc["over_admission"]
    od = o.get("details") or {}
    hammer = read_csv(os.path.join(d, "over_admission.hammer.csv"))
    hs = summarize(hammer)
    limit, period = od.get("limit", 0), od.get("period_s", 1)
    if hammer:
        span = float(hammer[-1]["t"]) - float(hammer[0]["t"])
        windows = int(span // period) + 1
    else:
        span, windows = 0, 0
    allowed = limit * windows
    admitted = hs["ok_2xx"]
    result["over_admission"] = max(0, admitted - allowed)
    o["hammer"] = {**hs, "span_s": round(span, 3), "windows": windows, "limit": limit, "period_s": period,
                   "allowed": allowed, "admitted": admitted, "over_admission": result["over_admission"],
                   "by_replica": {srv: sum(1 for h in hammer if h["server"] == srv and h["status"].startswith("2"))
                                  for srv in sorted({h["server"] for h in hammer})}}
    goal("over-admission: admitted <= limit across replicas", hammer and admitted > 0 and admitted <= allowed,
         f'{admitted} admitted of {hs["sent"]} in {span:.1f} s ({windows} window(s) of {limit}/{period} s => at most {allowed}); '
         f'{hs["status"]}')
    goal("over-admission: 0 5xx", hs["http_5xx"] == 0 and hs["failed_no_answer"] == 0 and o["http_5xx"] == 0, f'{hs["http_5xx"]} 5xx')

    total = {"sent": 0, "answered": 0, "status": {}}
    for s in scen_names:
        for src in (sc[s], o["hammer"]) if s == "over_admission" else (sc[s],):
            total["sent"] += src["sent"]
            total["answered"] += src["answered"]
            for code, n in src["status"].items():
                total["status"][code] = total["status"].get(code, 0) + n
        total["sent"] += sc[s]["wrk_sent"]
        total["answered"] += sc[s]["wrk_sent"] - sc[s]["wrk_socket_errors"]
    result["totals"] = total
    result["meta"] = meta
    result["ok"] = all(g["ok"] for g in goals)
    result["failed_goals"] = [g["goal"] for g in goals if not g["ok"]]

    if a.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0 if result["ok"] else 1


def print_table(res):
    sc = res["scenarios"]
    print(f'\nSoak ({res["mode"]}): {res["meta"].get("replicas", 3)} replicas per BFF behind haproxy, Redis Sentinel, PostgreSQL\n')
    head = ["scenario", "checker sent", "answered", "2xx", "non-2xx", "5xx", "no answer", "p99 ms", "max ms", "wrk sent", "wrk non-2xx", "wrk 5xx"]
    rows = []
    for s, e in sc.items():
        rows.append([s, e["sent"], e["answered"], e["ok_2xx"], e["non_2xx"], e["http_5xx"], e["failed_no_answer"],
                     e["p99_ms"], e["max_ms"], e["wrk_sent"], e["wrk_non_2xx"], e["wrk_5xx"]])
    h = sc["over_admission"]["hammer"]
    rows.append(["  (hammer)", h["sent"], h["answered"], h["ok_2xx"], h["non_2xx"], h["http_5xx"], h["failed_no_answer"], h["p99_ms"], h["max_ms"], "", "", ""])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    print("| " + " | ".join(str(x).ljust(w) for x, w in zip(head, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |")
    fd = sc["failover"].get("details") or {}
    print()
    print(f'route edit propagation (slowest replica): {res.get("route_propagation_s")} s')
    print(f'revocation (slowest replica):             {res.get("revocation_s")} s')
    print(f'failover: promoted {fd.get("promoted_s")} s, new master serving {fd.get("new_master_serving_s")} s, '
          f'last degraded readiness {fd.get("last_unhealthy_s")} s => recovery {res.get("failover_recovery_s")} s')
    print(f'over-admission: {h["admitted"]} admitted, at most {h["allowed"]} allowed ({h["windows"]} x {h["limit"]}/{h["period_s"]} s) '
          f'=> over-admission {res["over_admission"]}; by replica {h["by_replica"]}')
    k = sc["kill"]
    print(f'kill -9: {k["http_5xx"]} 5xx + {k["failed_no_answer"]} unanswered seen by the checker, {k["wrk_5xx"]} 5xx by wrk; '
          f'haproxy hid {k.get("haproxy")}')
    print(f'totals: {res["totals"]["sent"]} sent, {res["totals"]["answered"]} answered')
    print()
    for g in res["goals"]:
        print(f'{"PASS" if g["ok"] else "FAIL"}  {g["goal"]}: {g["detail"]}')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    x = sub.add_parser("ports"); x.add_argument("n", type=int)
    x = sub.add_parser("wait"); x.add_argument("url"); x.add_argument("--timeout", type=float, default=60)
    x = sub.add_parser("api"); x.add_argument("method"); x.add_argument("url")
    x.add_argument("--header", action="append", default=[]); x.add_argument("--json")
    for name in ("login-web", "login-mobile"):
        x = sub.add_parser(name); x.add_argument("url"); x.add_argument("user"); x.add_argument("password")
    x = sub.add_parser("load")
    x.add_argument("--out", required=True); x.add_argument("--scenario", required=True)
    x.add_argument("--target", nargs="+", action="append", required=True, help="NAME URL [H:V ...]")
    x.add_argument("--rate", type=float, default=40, help="requests per second per target")
    x.add_argument("--connections", type=int, default=2, help="connections per target")
    x.add_argument("--stop-file", required=True); x.add_argument("--max", type=float, default=600)
    x.add_argument("--timeout", type=float, default=10); x.add_argument("--epoch", type=float, required=True)
    x = sub.add_parser("hammer")
    x.add_argument("--out", required=True); x.add_argument("--scenario", required=True); x.add_argument("--url", required=True)
    x.add_argument("--header", action="append", default=[]); x.add_argument("--threads", type=int, default=8)
    x.add_argument("--seconds", type=float, required=True); x.add_argument("--epoch", type=float, required=True)
    x = sub.add_parser("route-edit")
    x.add_argument("--file", nargs=3, action="append", required=True, metavar=("FILE", "ROUTEKEY", "TOKEN"))
    x.add_argument("--probe", nargs="+", action="append", required=True, help="NAME URL [H:V ...]")
    x.add_argument("--deadline", type=float, default=15); x.add_argument("--epoch", type=float, required=True)
    x = sub.add_parser("revoke")
    x.add_argument("--admin", nargs=2, required=True, metavar=("URL", "ADMINKEY")); x.add_argument("--key-id", required=True)
    x.add_argument("--key", required=True); x.add_argument("--probe", nargs=2, action="append", required=True, metavar=("NAME", "URL"))
    x.add_argument("--deadline", type=float, default=15); x.add_argument("--epoch", type=float, required=True)
    x = sub.add_parser("failover")
    x.add_argument("--sentinel", type=int, action="append", required=True)
    x.add_argument("--health", nargs=2, action="append", required=True, metavar=("NAME", "URL"))
    x.add_argument("--seconds", type=float, required=True); x.add_argument("--epoch", type=float, required=True)
    x = sub.add_parser("haproxy-stat"); x.add_argument("socket")
    x.add_argument("--wait-up", nargs="+"); x.add_argument("--timeout", type=float, default=60)
    x = sub.add_parser("report"); x.add_argument("dir"); x.add_argument("--json", action="store_true"); x.add_argument("--short", action="store_true")
    a = p.parse_args()
    if a.cmd == "revoke":
        a.admin, a.admin_key = a.admin
    handlers = {"ports": cmd_ports, "wait": cmd_wait, "api": cmd_api, "load": cmd_load, "hammer": cmd_hammer,
                "route-edit": cmd_route_edit, "revoke": cmd_revoke, "failover": cmd_failover,
                "haproxy-stat": cmd_haproxy_stat, "report": cmd_report,
                "login-web": lambda a: cmd_login(a, True), "login-mobile": lambda a: cmd_login(a, False)}
    sys.exit(handlers[a.cmd](a) or 0)


if __name__ == "__main__":
    main()
