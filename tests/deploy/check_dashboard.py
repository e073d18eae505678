#!/usr/bin/env python3
"""The Grafana dashboard: the JSON parses, panels are well formed and laid out
without overlap, every query is valid PromQL (promtool parses them as rules,
Grafana variables filled in), every metric it queries is in the service
contract or recorded by the alert rules, the panels our alerts point to are
there (SLO ratios, calls between services, intake progress, build info), and
the Helm chart ships the same file.

Usage: check_dashboard.py
"""
import json
import os
import re
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

problems = []

# Values Grafana substitutes before a query reaches Prometheus.
GRAFANA_VARS = {
    "$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h",
    "${__rate_interval}": "5m", "${__interval}": "1m",
}


def substitute(expr):
    for k, v in GRAFANA_VARS.items():
        expr = expr.replace(k, v)
    # Dashboard variables appear in label matchers (namespace=~"$namespace").
    return re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", ".*", expr)


def main():
    try:
        dash = json.load(open(c.DASHBOARD_FILE))
    except ValueError as e:
        print(f"FAIL {c.DASHBOARD_FILE}: not JSON: {e}")
        return 1
    for k in ("uid", "title", "panels", "schemaVersion"):
        if not dash.get(k):
            problems.append(f"dashboard has no {k}")
    variables = {v["name"] for v in dash.get("templating", {}).get("list", [])}
    if "datasource" not in variables:
        problems.append("no `datasource` variable: the dashboard would be tied to one data source uid")
    ids, boxes = set(), []
    for p in dash.get("panels", []):
        title = p.get("title", "?")
        if p.get("id") in ids:
            problems.append(f"panel '{title}': duplicate id {p.get('id')}")
        ids.add(p.get("id"))
        gp = p.get("gridPos", {})
        if not all(k in gp for k in ("h", "w", "x", "y")) or gp["x"] + gp["w"] > 24:
            problems.append(f"panel '{title}': bad gridPos {gp}")
        else:
            for (ot, o) in boxes:
                if gp["x"] < o["x"] + o["w"] and o["x"] < gp["x"] + gp["w"] and \
                        gp["y"] < o["y"] + o["h"] and o["y"] < gp["y"] + gp["h"]:
                    problems.append(f"panel '{title}' overlaps '{ot}'")
            boxes.append((title, gp))
        if p.get("type") == "row":
            continue
        if not p.get("targets"):
            problems.append(f"panel '{title}': no queries")
        ds = p.get("datasource", {})
        if not isinstance(ds, dict) or ds.get("uid") != "${datasource}":
            problems.append(f"panel '{title}': datasource must be the ${{datasource}} variable, not {ds}")
        for t in p.get("targets", []):
            if not t.get("refId"):
                problems.append(f"panel '{title}': query without refId")
            for var in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", t.get("expr", "")):
                if not var.startswith("__") and var not in variables:
                    problems.append(f"panel '{title}': uses undefined variable ${var}")

    exprs = c.grafana_exprs(dash)
    if not exprs:
        problems.append("no queries found")
    # PromQL syntax: promtool parses each query as a recording rule.
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query:{i}", "expr": substitute(e)} for i, (_, e) in enumerate(exprs)]}]}
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        json.dump(rules, f)  # JSON is YAML
        path = f.name
    try:
        r = c.run([c.tool("promtool"), "check", "rules", path])
        if r.returncode != 0:
            out = r.stdout + r.stderr
            for i, (where, e) in enumerate(exprs):
                out = out.replace(f"dashboard:query:{i}", f"{where}")
            problems.append("promtool cannot parse dashboard queries:\n" + out.strip())
    finally:
        os.unlink(path)

    # Series recorded by the alert rules (the SLO error ratios) exist wherever
    # the rules are loaded, which every deployment we ship does.
    yaml = c.load_yaml_module()
    rules_file = yaml.safe_load(open(c.RULES_FILE))
    recorded = {r["record"] for g in rules_file["groups"] for r in g["rules"] if "record" in r}
    known = set(c.COMMON_METRICS) | set(c.LAZY_METRICS) | c.PROMETHEUS_SYNTHETIC | recorded
    for s in c.SERVICE_METRICS.values():
        known |= set(s)
    used = set()
    for where, e in exprs:
        for name in c.promql_metric_names(e):
            used.add(name)
            if c.base_family(name) not in known and name not in known:
                problems.append(f"{where}: metric '{name}' is not in the service contract (tests/deploy/contract.py)")

    # What ops look at first when an alert of ours fires must be on the
    # dashboard: every SLO's recorded ratios, the calls between services, the
    # intake progress, which build runs and the Redis primary switches.
    for needed in sorted(recorded) + ["grpc_client_handled_total", "grpc_client_handling_seconds",
                                      "dermaflow_event_intake_oldest_unacked_seconds",
                                      "dermaflow_event_intake_oldest_unread_seconds",
                                      "dermaflow_build_info", "dermaflow_redis_primary_switches_total"]:
        slo_family = needed.rsplit(":", 1)[0] if ":" in needed else None
        if needed in used or c.base_family(needed) in {c.base_family(u) for u in used}:
            continue
        if slo_family and any(u.startswith(slo_family + ":") for u in used):
            continue  # some window of this SLO is shown
        problems.append(f"no panel queries {needed}")

    chart_copy = os.path.join(c.CHART_DIR, "files", "dermaflow.json")
    if not os.path.exists(chart_copy) or open(chart_copy).read() != open(c.DASHBOARD_FILE).read():
        problems.append("helm/dermaflow/files/dermaflow.json differs from deploy/grafana/dermaflow.json "
                        "(cp deploy/grafana/dermaflow.json helm/dermaflow/files/)")
    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print(f"dashboard: {len(dash['panels'])} panels, {len(exprs)} queries parsed by promtool, "
          f"{len(used)} metric names all in the contract")
    return 0


if __name__ == "__main__":
    sys.exit(main())
