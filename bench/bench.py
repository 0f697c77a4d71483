#!/usr/bin/env python3
"""Measure and report for bench/run.sh (Python 3 standard library only).

measure  runs wrk against every target, interleaved (for each round, for each body and connection count, every
         target once in order), and records per run: req/s, p50/p90/p99 latency, CPU time of every server process
         (utime+stime from /proc/<pid>/stat) and its peak resident set (VmRSS sampled every 0.2 s).
report   turns those runs into medians and per-round paired ratios: a Markdown table and an SVG chart.
readme   replaces the block between the bench markers in README.md with the latest table and chart.
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------------------------
# measure

def stat_fields(pid):
    """Fields of /proc/<pid>/stat after the command name (field 3 onwards), or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def children(pid):
    """Direct children of pid (nginx workers of the master)."""
    return [int(e) for e in os.listdir("/proc")
            if e.isdigit() and (fields := stat_fields(e)) is not None and int(fields[1]) == pid]


def cpu_ticks(pids):
    """utime + stime (fields 14 and 15 of stat) summed over pids, in clock ticks."""
    return sum(int(f[11]) + int(f[12]) for f in map(stat_fields, pids) if f is not None)


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


class RssSampler(threading.Thread):
    def __init__(self, processes):
        super().__init__(daemon=True)
        self.processes = processes
        self.peak = {name: rss_kib(pids) for name, pids in processes.items()}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.2):
            for name, pids in self.processes.items():
                self.peak[name] = max(self.peak[name], rss_kib(pids))


def preflight(target, size):
    """One request through the target: it must answer 200 (a cached route is asked twice, the second must HIT)."""
    url = target["url"].format(size=size)
    headers = dict(line.split(": ", 1) for line in target.get("headers", "").splitlines() if line)
    last = None
    for _ in range(2 if target.get("expect_cache_hit") else 1):
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            last = (response.status, response.headers.get("X-Cache"), len(body))
    status, cache, length = last
    if status != 200 or (target.get("expect_cache_hit") and cache != "HIT"):
        raise SystemExit(f"preflight failed for {target['name']} {url}: status {status}, X-Cache {cache}")
    return length


def run_wrk(target, size, connections, seconds, lua, processes):
    url = target["url"].format(size=size)
    env = dict(os.environ, BENCH_HEADERS=target.get("headers", ""))
    threads = min(2, connections)
    before = {name: cpu_ticks(p) for name, p in processes.items()}
    sampler = RssSampler(processes)
    sampler.start()
    started = time.monotonic()
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s", "-s", lua, url],
        env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    after = {name: cpu_ticks(p) for name, p in processes.items()}
    line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed for {target['name']}: {out.stderr or out.stdout}")
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    requests = max(result["requests"], 1)
    result["cpu_us_per_req"] = {name: (after[name] - before[name]) * 1e6 / CLK_TCK / requests for name in processes}
    result["peak_rss_kib"] = sampler.peak
    result["wall_s"] = elapsed
    return result


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": os.uname().release,
            "mem_gib": round(mem_kib / 1024 / 1024, 1)}


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def measure(args):
    with open(args.targets) as f:
        spec = json.load(f)
    targets = spec["targets"]
    if args.only:
        wanted = args.only.split(",")
        targets = [t for t in targets if t["name"] in wanted]
    processes = {}
    for name, pid in spec["processes"].items():
        processes[name] = [pid] + (children(pid) if name == "nginx" else [])
    bodies = args.bodies.split(",")
    connections = [int(c) for c in args.connections.split(",")]

    for target in targets:
        for size in bodies:
            preflight(target, size)
    print(f"preflight: {len(targets)} targets answer 200", flush=True)

    if args.warmup > 0:
        for target in targets:
            for size in bodies:
                run_wrk(target, size, max(connections), args.warmup, args.lua, processes)
        print(f"warm-up done ({args.warmup} s per target and body)", flush=True)

    runs = []
    started = datetime.datetime.now(datetime.timezone.utc)
    loads = [load_average()]
    for round_no in range(1, args.rounds + 1):
        for size in bodies:
            for conns in connections:
                for target in targets:
                    result = run_wrk(target, size, conns, args.duration, args.lua, processes)
                    result.update(round=round_no, target=target["name"], body=size, connections=conns)
                    runs.append(result)
                    errors = result["err_status"] + result["err_connect"] + result["err_read"] + \
                        result["err_write"] + result["err_timeout"]
                    print(f"round {round_no} {size:5} c{conns:<3} {target['name']:22} {result['rps']:9.0f} req/s "
                          f"p50 {result['p50_us'] / 1000:6.2f} ms p99 {result['p99_us'] / 1000:6.2f} ms"
                          f"{'  ERRORS ' + str(errors) if errors else ''}", flush=True)
                    time.sleep(args.pause)
        loads.append(load_average())
    finished = datetime.datetime.now(datetime.timezone.utc)

    output = {
        "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
        "machine": machine(), "load_averages": loads, "versions": spec.get("versions", {}),
        "settings": {"rounds": args.rounds, "duration_s": args.duration, "warmup_s": args.warmup,
                     "bodies": bodies, "connections": connections, "quick": args.quick},
        "targets": [{k: v for k, v in t.items() if k != "headers"} for t in targets],
        "roles": spec.get("roles", {}),
        "runs": runs,
    }
    with open(args.out, "w") as f:
        json.dump(output, f, indent=1)


# ---------------------------------------------------------------------------------------------------------------
# report

BODY_LABEL = {"small": "~200 B", "large": "~8 KB"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def analyse(data):
    """{(target, body, conns): figures} with medians over rounds and medians of per-round paired ratios."""
    runs = {}
    for run in data["runs"]:
        runs[(run["target"], run["body"], run["connections"], run["round"])] = run
    rounds = sorted({r["round"] for r in data["runs"]})
    figures = {}
    for target in data["targets"]:
        name = target["name"]
        for body in data["settings"]["bodies"]:
            for conns in data["settings"]["connections"]:
                own = [runs[(name, body, conns, r)] for r in rounds if (name, body, conns, r) in runs]
                if not own:
                    continue

                def paired(reference, key, own=own, body=body, conns=conns):
                    ratios = []
                    for run in own:
                        other = runs.get((reference, body, conns, run["round"]))
                        if other and other[key]:
                            ratios.append(run[key] / other[key])
                    return median(ratios)

                gateway = target.get("gateway")
                roles = target.get("measure", [])
                figures[(name, body, conns)] = {
                    "rps": median([r["rps"] for r in own]),
                    "p50_ms": median([r["p50_us"] / 1000 for r in own]),
                    "p99_ms": median([r["p99_us"] / 1000 for r in own]),
                    "vs_direct": paired(target.get("direct", "direct"), "rps"),
                    "vs_yarp": paired("yarp", "rps") if target.get("compare_yarp", True) else None,
                    "p99_vs_yarp": paired("yarp", "p99_us") if target.get("compare_yarp", True) else None,
                    "vs_compare": paired(target["compare_to"], "rps") if target.get("compare_to") else None,
                    "cpu": {role: median([r["cpu_us_per_req"][role] for r in own]) for role in roles},
                    "rss_mib": max(r["peak_rss_kib"][gateway] for r in own) / 1024 if gateway else None,
                    "errors": sum(r["err_status"] + r["err_connect"] + r["err_read"] + r["err_write"]
                                  + r["err_timeout"] for r in own),
                    "rounds": len(own),
                }
    return figures


def fmt(value, pattern="{:.2f}", none="–"):
    return none if value is None else pattern.format(value)


def targets_verdict(data, figures):
    """The issue's targets, one line each, with every case's number so a miss is visible where it happens."""
    cases = [(b, c) for b in data["settings"]["bodies"] for c in data["settings"]["connections"]]
    names = {t["name"] for t in data["targets"]}
    rss_of = {t["name"]: t.get("gateway") for t in data["targets"]}
    lines = []

    def check(label, target, key, limit, better):
        if target not in names:
            return
        values = [(b, c, figures[(target, b, c)][key]) for b, c in cases if (target, b, c) in figures]
        ok = all(v is not None and (v >= limit if better == "high" else v <= limit) for _, _, v in values)
        detail = ", ".join(f"{BODY_LABEL.get(b, b)}/c{c}: {fmt(v)}" for b, c, v in values)
        lines.append(f"| {label} | {'met' if ok else '**missed**'} | {detail} |")

    check("plain proxied route ≥ 0.90 × bare YARP req/s", "bff-plain", "vs_yarp", 0.90, "high")
    check("plain proxied route p99 ≤ 1.2 × bare YARP", "bff-plain", "p99_vs_yarp", 1.2, "low")
    check("(for comparison) plain route with a log line per request ≥ 0.90 × bare YARP req/s", "bff-plain-reqlog",
          "vs_yarp", 0.90, "high")
    check("ServiceName route ≥ 0.95 × the same route by DownstreamHostAndPorts req/s (the same within noise)",
          "bff-discovered", "vs_compare", 0.95, "high")
    check("API key + Redis rate limit + metrics ≥ 0.75 × bare YARP req/s", "bff-apikey-ratelimit", "vs_yarp", 0.75,
          "high")
    check("cached hit ≥ 1.0 × direct backend req/s", "bff-cached", "vs_direct", 1.0, "high")
    check("aggregate of 3 parts (20 ms backends): p50 ≤ 22 ms", "bff-aggregate", "p50_ms", 22.0, "low")
    yarp_rss = max((figures[("yarp", b, c)]["rss_mib"] for b, c in cases if ("yarp", b, c) in figures), default=None)
    if yarp_rss:
        for target in ("bff-plain", "bff-plain-reqlog", "web-session", "mobile-jwt"):
            if target not in names:
                continue
            peak = max(figures[(target, b, c)]["rss_mib"] for b, c in cases if (target, b, c) in figures)
            process = rss_of[target]
            ratio = peak / yarp_rss
            shared = sorted({t["name"] for t in data["targets"] if t.get("gateway") == process} - {target})
            note = f" (this process also served {', '.join(shared)})" if shared else " (this process served only this route)"
            lines.append(f"| RSS under load ≤ 1.2 × bare YARP's: `{target}` | {'met' if ratio <= 1.2 else '**missed**'} "
                         f"| peak {peak:.0f} MiB vs {yarp_rss:.0f} MiB = {ratio:.2f}×{note} |")
    return lines


def markdown(data, figures, svg_name):
    m = data["machine"]
    s = data["settings"]
    out = []
    out.append(f"# Gateway overhead benchmark, {data['started'][:10]}")
    out.append("")
    if s["quick"] or s["rounds"] < 3 or s["duration_s"] < 10:
        out.append(f"**Reduced run** ({s['rounds']} round(s) of {s['duration_s']} s): not the published "
                   "specification (≥ 3 rounds of 10 s).")
        out.append("")
    out.append(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB, Linux {m['kernel']}; "
               "shared with other work while measured, so absolute numbers are not comparable between runs — "
               "read the paired ratios.")
    out.append(f"- Load averages (1/5/15 min) before the first round and after each round: "
               + "; ".join(data["load_averages"]) + ".")
    versions = data.get("versions", {})
    if versions:
        out.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".")
    out.append(f"- {s['rounds']} rounds × {len(s['bodies'])} bodies × {len(s['connections'])} connection counts × "
               f"{len(data['targets'])} targets, {s['duration_s']} s per run (after a {s['warmup_s']} s warm-up per "
               f"target and body), interleaved: in each round every target runs once per case, in order. "
               f"Started {data['started']}, finished {data['finished']}.")
    out.append("- Figures are medians over the rounds; `× direct` and `× YARP` are medians of the per-round paired "
               "ratios (the target's run divided by the reference's run of the same round and case). CPU is "
               "µs of CPU time (user + system, from /proc) per request for each process involved; peak RSS is the "
               "largest VmRSS of the target's proxy process sampled every 0.2 s during its runs.")
    out.append("")
    out.append("| target | what it is |")
    out.append("|---|---|")
    for t in data["targets"]:
        out.append(f"| `{t['name']}` | {t['label']} |")
    out.append("")
    out.append("## Targets of issue #10")
    out.append("")
    out.append("| target | result | per case (body / connections) |")
    out.append("|---|---|---|")
    out.extend(targets_verdict(data, figures))
    out.append("")
    roles = data.get("roles", {})
    for body in s["bodies"]:
        for conns in s["connections"]:
            out.append(f"## Body {BODY_LABEL.get(body, body)}, {conns} connections")
            out.append("")
            out.append("| target | req/s | × direct | × YARP | p50 ms | p99 ms | p99 × YARP | CPU µs/req | "
                       "peak RSS MiB | errors |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
            for t in data["targets"]:
                f = figures.get((t["name"], body, conns))
                if not f:
                    continue
                cpu = ", ".join(f"{roles.get(role, role)} {fmt(v, '{:.0f}')}" for role, v in f["cpu"].items())
                out.append(f"| `{t['name']}` | {f['rps']:.0f} | {fmt(f['vs_direct'])} | {fmt(f['vs_yarp'])} | "
                           f"{f['p50_ms']:.2f} | {f['p99_ms']:.2f} | {fmt(f['p99_vs_yarp'])} | {cpu} | "
                           f"{fmt(f['rss_mib'], '{:.0f}')} | {f['errors']} |")
            out.append("")
    if data.get("logs"):
        out.append("## What the BFF hosts logged during the run")
        out.append("")
        out.append("| host | count | line (numbers folded to #) |")
        out.append("|---|---:|---|")
        for host, counts in data["logs"].items():
            for line, count in list(counts.items())[:8]:
                out.append(f"| {host} | {count} | `{line.replace('|', '/')[:160]}` |")
        out.append("")
    out.append(f"![req/s relative to bare YARP]({svg_name})")
    out.append("")
    return "\n".join(out)


def svg_chart(data, figures):
    """Grouped bars: median paired req/s ratio to bare YARP per target, one bar per body/connections case."""
    cases = [(b, c) for b in data["settings"]["bodies"] for c in data["settings"]["connections"]]
    targets = [t for t in data["targets"] if t.get("compare_yarp", True)]
    colours = ["#4e79a7", "#a0cbe8", "#f28e2b", "#ffbe7d", "#59a14f", "#8cd17d"]
    values = [[(figures.get((t["name"], b, c)) or {}).get("vs_yarp") for b, c in cases] for t in targets]
    top = max([v for row in values for v in row if v is not None] + [1.2])
    top = (int(top * 4) + 1) / 4  # round up to a quarter
    left, right, plot_top, plot_bottom = 60, 20, 70, 330
    group = 16 * len(cases) + 24
    width = left + right + group * len(targets)
    height = 420
    scale = (plot_bottom - plot_top) / top
    m = data["machine"]
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="20" font-size="14" font-weight="bold">Bffs gateway overhead — req/s relative to '
             f'bare YARP (median of paired per-round ratios), {esc(data["started"][:10])}</text>',
             f'<text x="{left}" y="38">{esc(str(m["nproc"]))} CPUs, {esc(m["cpu"])}, Linux {esc(m["kernel"])}; '
             f'{data["settings"]["rounds"]} rounds × {data["settings"]["duration_s"]} s; shared, noisy machine '
             f'(load {esc(data["load_averages"][0])})</text>']
    for i, (b, c) in enumerate(cases):
        x = left + i * 130
        parts.append(f'<rect x="{x}" y="48" width="10" height="10" fill="{colours[i % len(colours)]}"/>')
        parts.append(f'<text x="{x + 14}" y="57">{esc(BODY_LABEL.get(b, b))}, {c} conns</text>')
    tick = 0.0
    while tick <= top + 1e-9:
        y = plot_bottom - tick * scale
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:.2f}</text>')
        tick += 0.25
    for ref, colour in ((1.0, "#333"), (0.9, "#c00"), (0.75, "#c60")):
        y = plot_bottom - ref * scale
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                     f'stroke-dasharray="{"none" if ref == 1.0 else "4,3"}"/>')
    for ti, t in enumerate(targets):
        gx = left + ti * group + 12
        for ci, value in enumerate(values[ti]):
            if value is None:
                continue
            h = value * scale
            parts.append(f'<rect x="{gx + ci * 16}" y="{plot_bottom - h:.1f}" width="14" height="{h:.1f}" '
                         f'fill="{colours[ci % len(colours)]}"><title>{esc(t["name"])}: {value:.2f}</title></rect>')
        cx = gx + 8 * len(cases)
        parts.append(f'<text x="{cx}" y="{plot_bottom + 14}" text-anchor="end" '
                     f'transform="rotate(-30 {cx} {plot_bottom + 14})">{esc(t["name"])}</text>')
    parts.append(f'<text x="{left}" y="{height - 8}">Dashed lines: 0.90 (plain route target), 0.75 (API key + rate '
                 f'limit target). Generated by bench/run.sh; table in bench/results/{esc(data["started"][:10])}.md'
                 f'</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def report(args):
    with open(args.raw) as f:
        data = json.load(f)
    figures = analyse(data)
    with open(args.svg, "w") as f:
        f.write(svg_chart(data, figures))
    with open(args.md, "w") as f:
        f.write(markdown(data, figures, os.path.basename(args.svg)))
    print(f"wrote {args.md} and {args.svg}")


def logs(args):
    """Count what each host logged during the run: request lines, and warnings/errors by category and message shape
    (numbers and ids folded), so a fallback or a flood of warnings under load shows in the results."""
    with open(args.raw) as f:
        data = json.load(f)
    data["logs"] = {}
    for host in args.hosts.split(","):
        counts = {}
        header = None
        path = os.path.join(args.folder, host + ".log")
        if not os.path.exists(path):
            continue
        with open(path, errors="replace") as f:
            for line in f:
                if header is not None:
                    message = re.sub(r"\b[0-9a-f]{16,}\b|\b(cl|usr)_\w+|\d+\.\d+", "#", line.strip())
                    key = f"{header} {message}"
                    counts[key] = counts.get(key, 0) + 1
                    header = None
                elif line.startswith(("warn: ", "fail: ", "crit: ")):
                    header = line.strip()
                elif line.startswith(("info: Bff.Shared.Routing.GatewayRoutingMiddleware[800]",
                                      "dbug: Bff.Shared.Routing.GatewayRoutingMiddleware[800]")):
                    counts["request lines (event 800)"] = counts.get("request lines (event 800)", 0) + 1
        data["logs"][host] = dict(sorted(counts.items(), key=lambda kv: -kv[1]))
    with open(args.raw, "w") as f:
        json.dump(data, f, indent=1)


def readme(args):
    """Replace the generated block of README.md (between the bench markers) with the report, links re-rooted."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    with open(args.readme) as f:
        text = f.read()
    if begin not in text or end not in text:
        raise SystemExit(f"{args.readme}: markers {begin} / {end} not found")
    with open(args.md) as f:
        body = f.read()
    folder = os.path.relpath(os.path.dirname(os.path.abspath(args.md)), os.path.dirname(os.path.abspath(args.readme)))
    body = re.sub(r"^# .*\n", "", body)                       # the README section has its own title
    marker = "## What the BFF hosts logged"
    if marker in body:  # the log counts stay in the results file; the chart comes after them
        body = body.split(marker)[0] + "\n".join(l for l in body.splitlines() if l.startswith("!["))
    body = re.sub(r"^## ", "#### ", body, flags=re.M)
    body = re.sub(r"!\[([^\]]*)\]\(([^)/]+)\)", lambda mt: f"![{mt.group(1)}]({folder}/{mt.group(2)})", body)
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.readme, "w") as f:
        f.write(head + begin + "\n" + body.strip() + "\n" + end + tail)
    print(f"updated {args.readme}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--targets", required=True)
    m.add_argument("--lua", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--rounds", type=int, default=3)
    m.add_argument("--duration", type=int, default=10)
    m.add_argument("--warmup", type=int, default=3)
    m.add_argument("--pause", type=float, default=1.0)
    m.add_argument("--bodies", default="small,large")
    m.add_argument("--connections", default="32,128")
    m.add_argument("--only", help="comma-separated target names (development)")
    m.add_argument("--quick", action="store_true")
    m.set_defaults(func=measure)
    r = sub.add_parser("report")
    r.add_argument("raw")
    r.add_argument("--md", required=True)
    r.add_argument("--svg", required=True)
    r.set_defaults(func=report)
    g = sub.add_parser("logs")
    g.add_argument("raw")
    g.add_argument("--folder", required=True)
    g.add_argument("--hosts", required=True)
    g.set_defaults(func=logs)
    d = sub.add_parser("readme")
    d.add_argument("--md", required=True)
    d.add_argument("--readme", required=True)
    d.set_defaults(func=readme)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())
