#!/usr/bin/env python3
"""The alert rules: `promtool check rules`, `promtool test rules` (the unit
tests fire every alert on synthetic series), and what ops need from each
alert: a severity, summary, description, a runbook_url whose anchor is a
section of docs/operations.md, and the same rules in the Helm chart.

Usage: check_alert_rules.py
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

yaml = c.load_yaml_module()
problems = []


def github_anchor(heading):
    a = heading.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")


def main():
    promtool = c.tool("promtool")
    for args in (["check", "rules", c.RULES_FILE], ["test", "rules", c.RULES_TEST_FILE]):
        r = c.run([promtool] + args, cwd=os.path.dirname(c.RULES_FILE))
        print(f"$ promtool {' '.join(os.path.relpath(a, c.REPO) if a.startswith('/') else a for a in args)}")
        print((r.stdout + r.stderr).strip())
        if r.returncode != 0:
            problems.append(f"promtool {args[0]} rules failed")

    rules = yaml.safe_load(open(c.RULES_FILE))
    alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
    names = [a["alert"] for a in alerts]
    if len(set(names)) != len(names):
        problems.append(f"duplicate alert names: {names}")
    doc = open(c.OPERATIONS_DOC).read() if os.path.exists(c.OPERATIONS_DOC) else ""
    anchors = {github_anchor(m) for m in re.findall(r"^#{1,6}\s+(.+?)\s*$", doc, re.M)}
    for a in alerts:
        w = f"alert {a['alert']}"
        if a.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
            problems.append(f"{w}: severity label must be critical, warning or info")
        ann = a.get("annotations", {})
        for k in ("summary", "description", "runbook_url"):
            if not ann.get(k):
                problems.append(f"{w}: no {k} annotation")
        url = ann.get("runbook_url", "")
        if not url.startswith(c.RUNBOOK_BASE + "#"):
            problems.append(f"{w}: runbook_url must be {c.RUNBOOK_BASE}#<anchor> (the chart rewrites the base)")
        else:
            anchor = url.split("#", 1)[1]
            if anchor != a["alert"].lower():
                problems.append(f"{w}: runbook anchor should be #{a['alert'].lower()}")
            if anchor not in anchors:
                problems.append(f"{w}: docs/operations.md has no section '#{anchor}' (a '## {a['alert']}' heading)")
        if not a.get("for"):
            problems.append(f"{w}: no `for:` (alerts on one bad scrape are noise)")

    # Every alert fires in a unit test, and every alert is checked quiet once.
    tests = yaml.safe_load(open(c.RULES_TEST_FILE))
    fired, quiet = set(), set()
    for t in tests.get("tests", []):
        for art in t.get("alert_rule_test", []) or []:
            (fired if art.get("exp_alerts") else quiet).add(art["alertname"])
    for n in names:
        if n not in fired:
            problems.append(f"alert {n}: no unit test in {os.path.basename(c.RULES_TEST_FILE)} where it fires")
        if n not in quiet:
            problems.append(f"alert {n}: no unit test where it stays quiet")

    # Every metric a rule reads is exported by a service (the contract) or
    # recorded by a rule of this file, and every grpc_code it matches is a
    # code name as the services spell it (Go's: Unauthenticated, not
    # UNAUTHENTICATED), so a typo cannot make an alert that never fires.
    all_rules = [r for g in rules["groups"] for r in g["rules"]]
    recorded = {r["record"] for r in all_rules if "record" in r}
    known = set(c.COMMON_METRICS) | set(c.LAZY_METRICS) | c.PROMETHEUS_SYNTHETIC | recorded
    for metrics in c.SERVICE_METRICS.values():
        known |= set(metrics)
    for r in all_rules:
        w = f"rule {r.get('alert') or r.get('record')}"
        for name in c.promql_metric_names(r["expr"]):
            if c.base_family(name) not in known and name not in known:
                problems.append(f"{w}: metric '{name}' is neither in the service contract (tests/deploy/contract.py) "
                                "nor recorded by a rule")
        for values in re.findall(r'grpc_code\s*=~?\s*"([^"]*)"', r["expr"]):
            for code in values.split("|"):
                if code not in c.GRPC_CODES:
                    problems.append(f"{w}: grpc_code '{code}' is not a code name the services export {c.GRPC_CODES}")
    for name in sorted(recorded):
        if not any(name in c.promql_metric_names(a["expr"]) for a in alerts):
            problems.append(f"recording rule {name}: no alert uses it")

    chart_copy = os.path.join(c.CHART_DIR, "files", "dermaflow.rules.yaml")
    if not os.path.exists(chart_copy) or open(chart_copy).read() != open(c.RULES_FILE).read():
        problems.append("helm/dermaflow/files/dermaflow.rules.yaml differs from deploy/prometheus/dermaflow.rules.yaml "
                        "(cp deploy/prometheus/dermaflow.rules.yaml helm/dermaflow/files/)")

    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print(f"alert rules: {len(alerts)} alerts, each fired and checked quiet by promtool unit tests, each with a runbook")
    return 0


if __name__ == "__main__":
    sys.exit(main())
