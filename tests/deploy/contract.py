"""The facts the deploy artifacts must agree with, written down once.

These are the service contract (binaries, ports, flags, who calls whom,
metric names) as the services implement it. The checks in this folder hold
Kubernetes manifests, the Helm chart, compose, alerts and the dashboard to it;
check_running_services.py holds the binaries to it.
"""
import os
import re
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SERVICES = ["patient", "protocol", "scheduling", "notification"]
GRPC_PORT = {"patient": 50051, "protocol": 50052, "scheduling": 50053, "notification": 50054}
METRICS_PORT = {"patient": 9461, "protocol": 9462, "scheduling": 9463, "notification": 9464}
BINARY = {s: f"dermaflow-{s}" for s in SERVICES}
CLI = "dermactl"

# Who calls whom over gRPC (besides front-ends and the ingress, which call all four).
CALLEES = {
    "patient": [],
    "protocol": ["patient"],
    "scheduling": ["patient", "protocol"],
    "notification": ["patient", "protocol"],
}
CALLERS = {s: sorted(c for c in SERVICES if s in CALLEES[c]) for s in SERVICES}
# Callees a service calls only while a flag of it is set: {caller: {callee:
# flag}}. notification performs patients' SMS replies through scheduling's
# PatientActionService (--scheduling_addr) when it receives them
# (--sms_reply_listen). A deploy that sets the flag must give the address and
# let the caller through the callee's NetworkPolicy; one that does not, neither.
OPTIONAL_CALLEES = {"patient": {}, "protocol": {}, "scheduling": {}, "notification": {"scheduling": "sms_reply_listen"}}
# Plain-HTTP ports a service opens only while a flag of it is set (its
# host:port): {service: {container and Service port name: flag}}. Reached from
# outside through the ingress controller (which terminates TLS), never by
# another dermaflow service.
OPTIONAL_HTTP_PORTS = {"notification": {"sms-replies": "sms_reply_listen"}}

# Flags every binary has; each is also DERMAFLOW_<FLAG_UPPER>.
COMMON_FLAGS = [
    "listen", "metrics_listen", "health_listen", "redis", "redis_password", "auth",
    "jwt_hs256_key_file", "jwt_rs256_public_key_file", "jwt_issuer", "jwt_audience",
    "dev_organization", "tls_cert", "tls_key", "tls_client_ca", "tls_ca",
    "drain_timeout", "log_level",
    # Tokens from an OIDC identity provider (JWKS) and where their claims live.
    "jwt_jwks_url", "jwt_jwks_file", "jwt_jwks_ca_file", "jwt_org_claim", "jwt_roles_claim",
    # The internal service identity: every service trusts tokens signed by it.
    "service_token_public_key_file",
    # Writes that must survive a Redis fail-over wait for replicas (WAIT).
    "redis_durable_replicas", "redis_durable_timeout",
    # Fair limits per organization and replica (docs/operations.md).
    "org_request_rate", "org_request_burst", "org_expensive_in_flight",
]

# The one --redis URL (DERMAFLOW_REDIS) every service takes, in the three
# forms common/redis parses (docs/operations.md, "Redis high availability"):
# one server, Sentinel (the sentinels, the primary's name, a database) and
# Cluster (seed nodes; database 0 only). Never a password: that comes from a
# Secret as DERMAFLOW_REDIS_PASSWORD and goes to the sentinels too.
# values.schema.json's redis.url pattern is the same expression.
REDIS_URL_SCHEMES = ("redis://", "redis+sentinel://", "redis+cluster://")
REDIS_URL = re.compile(
    r"^(redis://[^/@]+(/[0-9]+)?"
    r"|redis\+sentinel://[^/@,]+(,[^/@,]+)*/[A-Za-z0-9._-]+(/[0-9]+)?"
    r"|redis\+cluster://[^/@,]+:[0-9]+(,[^/@,]+:[0-9]+)*)$")
SENTINEL_DEFAULT_PORT = 26379

# The services that act on their own behalf, with no person's token to
# forward, and so sign their own short-lived tokens with the internal service
# identity's PRIVATE key (--service_token_key_file): notification (event
# intake, dispatch) and scheduling (waitlist offers: screening, patients'
# quiet hours, booking an offer a patient accepts from a link). Only these
# get the private key; every other service is refused it (k8s_checks.
# check_wiring), though every binary has the flag.
SERVICE_IDENTITY_SIGNERS = ["notification", "scheduling"]

# Flags only one binary has, or only some may be given (the deploy configs set
# them for those services alone).
SERVICE_FLAGS = {
    "patient": [
        # The longest an erased patient's data stays in Redis's files (GDPR).
        "erasure_rewrite_within",
        # How long the audit trail of access to patient records is kept.
        "audit_retention",
    ],
    "protocol": [],
    "scheduling": [
        # Its own short-lived tokens for the waitlist offers (SERVICE_IDENTITY_SIGNERS).
        "service_token_key_file",
    ],
    "notification": [
        # Its own short-lived tokens when it acts without a user (SERVICE_IDENTITY_SIGNERS).
        "service_token_key_file",
        "smtp_url", "smtp_from", "smtp_user", "smtp_password_file", "smtp_ca_file",
        "smtp_insecure_plaintext",
        "sms_provider", "sms_webhook_url", "sms_webhook_secret_file", "sms_twilio_base_url",
        "sms_twilio_account_sid", "sms_twilio_auth_token_file", "sms_from",
        "sms_twilio_messaging_service_sid",
        # Retention of finished reminders (a policy the deploy states).
        "reminder_retention",
        # Parking of far-future reminders outside the due queue
        # (docs/notification.md, "Parking").
        "reminder_park_after", "park_promote_interval",
        # How soon a crashed replica's claims and unacknowledged events are
        # taken over (docs/notification.md, "Crashes").
        "claim_lease", "event_min_idle",
        # Patients' SMS replies: POST /v1/sms/replies on its own port, the URL
        # the provider signs (docs/notification.md, "SMS replies").
        "sms_reply_listen", "sms_reply_public_url",
    ],
}


assert all("service_token_key_file" in SERVICE_FLAGS[s] for s in SERVICE_IDENTITY_SIGNERS)
assert not any("service_token_key_file" in SERVICE_FLAGS[s] for s in SERVICES if s not in SERVICE_IDENTITY_SIGNERS)


def flags_of(service):
    return (COMMON_FLAGS + SERVICE_FLAGS[service] + [f"{callee}_addr" for callee in CALLEES[service]]
            + [f"{callee}_addr" for callee in OPTIONAL_CALLEES[service]])


def all_flags():
    """Every flag some service has (for files that do not say which service)."""
    return sorted({f for s in SERVICES for f in flags_of(s)})


def env_name(flag):
    return "DERMAFLOW_" + flag.upper()


# Metric families each service exports from the start (prometheus-cpp writes a
# family's # TYPE line as soon as it is created).
COMMON_METRICS = {
    "grpc_server_started_total": "counter",
    "grpc_server_handled_total": "counter",
    "grpc_server_handling_seconds": "histogram",
    "process_start_time_seconds": "gauge",
    "process_resident_memory_bytes": "gauge",
    "process_cpu_seconds_total": "counter",
    "process_open_fds": "gauge",
    "dermaflow_redis_up": "gauge",
    "dermaflow_redis_commands_total": "counter",
    "dermaflow_redis_command_duration_seconds": "histogram",
    # Switches to a new Redis primary (Sentinel fail-over): 0 from the start,
    # in every mode, so increase() in DermaflowRedisFailover sees the first.
    "dermaflow_redis_primary_switches_total": "counter",
    # Durable writes (--redis_durable_replicas) by result: 0 from the start.
    "dermaflow_redis_durable_writes_total": "counter",
    # Redis Cluster (redis+cluster://): redirections by kind, slot map reloads.
    "dermaflow_redis_cluster_redirections_total": "counter",
    "dermaflow_redis_cluster_map_refreshes_total": "counter",
    # Per Redis primary in use (node="host:port"): up from the health check
    # every second, and the errors that were the node's own (every kind at 0
    # from the node's first check, so there with Redis reachable).
    "dermaflow_redis_node_up": "gauge",
    "dermaflow_redis_node_errors_total": "counter",
    # Which build runs (version, revision, service labels).
    "dermaflow_build_info": "gauge",
    # The identity provider's JWKS: loads by result, keys last loaded.
    "dermaflow_jwks_loads_total": "counter",
    "dermaflow_jwks_keys": "gauge",
}
# Families every service registers at start but that have no series (so no
# # TYPE line) until first used: calls to other services, labelled by the
# called method, through ServiceRuntime::Connect's interceptor.
LAZY_METRICS = {
    "grpc_client_handled_total": "counter",
    "grpc_client_handling_seconds": "histogram",
    # Calls refused by a per-organization limit, by limit and method.
    "dermaflow_org_limit_refusals_total": "counter",
    # Primaries in the Redis Cluster slot map: only with redis+cluster://.
    "dermaflow_redis_cluster_nodes": "gauge",
}
SERVICE_METRICS = {
    "patient": {
        # Erased data still in Redis's AOF/RDB files (docs/security.md).
        "dermaflow_erasure_pending_oldest_seconds": "gauge",
        "dermaflow_erasure_pending": "gauge",
        "dermaflow_erasure_rewrite_within_seconds": "gauge",
        "dermaflow_erasure_rewrite_last_duration_seconds": "gauge",
        "dermaflow_erasure_rewrites_total": "counter",
        "dermaflow_erasure_rewrite_failures_total": "counter",
        # The audit retention sweep (docs/security.md, "Audit trail").
        "dermaflow_audit_entries_expired_total": "counter",
        "dermaflow_audit_sweep_walks_total": "counter",
    },
    "protocol": {},
    "scheduling": {
        "dermaflow_bookings_total": "counter",
        # patient.erased events handled: calendars freed or failed.
        "dermaflow_scheduling_erasures_total": "counter",
        # Appointment confirmations by outcome and channel; failed sweeper passes.
        "dermaflow_scheduling_confirmations_total": "counter",
        "dermaflow_scheduling_confirmation_sweep_failures_total": "counter",
        # The waitlist (docs/scheduling.md, "Waitlist").
        "dermaflow_scheduling_waitlist_offers_total": "counter",
        "dermaflow_scheduling_waitlist_slots_filled_total": "counter",
        "dermaflow_scheduling_waitlist_fill_minutes": "histogram",
        "dermaflow_scheduling_waitlist_failures_total": "counter",
    },
    "notification": {
        "dermaflow_reminders_planned_total": "counter",
        "dermaflow_reminders_delivered_total": "counter",
        "dermaflow_reminders_failed_total": "counter",
        "dermaflow_reminders_suppressed_total": "counter",
        "dermaflow_reminders_dead_lettered_total": "counter",
        "dermaflow_reminder_dispatch_lag_seconds": "histogram",
        "dermaflow_reminder_queue_depth": "gauge",
        "dermaflow_events_consumed_total": "counter",
        "dermaflow_event_consumer_pending": "gauge",
        "dermaflow_event_consumer_lag_seconds": "gauge",
        "dermaflow_event_intake_oldest_unacked_seconds": "gauge",
        "dermaflow_event_intake_oldest_unread_seconds": "gauge",
        "dermaflow_template_fallback_total": "counter",
        # Patients' SMS replies by outcome (zero while replies are off).
        "dermaflow_sms_replies_total": "counter",
        # Parked reminders promoted into the due queue, skipped as stale, and
        # failed promotion passes (docs/notification.md, "Parking").
        "dermaflow_notification_park_promotions_total": "counter",
        # Notification replicas this one sees in df:replicas:notification
        # (docs/notification.md, "Replicas share the organizations").
        "dermaflow_replicas_live": "gauge",
    },
}
# Series Prometheus makes itself for every scrape target; not exported by a service.
PROMETHEUS_SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}

GRPC_CODES = [
    "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound",
    "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
    "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss",
    "Unauthenticated",
]
GRPC_TYPES = ["unary", "client_stream", "server_stream", "bidi_stream"]

RULES_FILE = os.path.join(REPO, "deploy", "prometheus", "dermaflow.rules.yaml")
RULES_TEST_FILE = os.path.join(REPO, "deploy", "prometheus", "dermaflow.rules.test.yaml")
DASHBOARD_FILE = os.path.join(REPO, "deploy", "grafana", "dermaflow.json")
CHART_DIR = os.path.join(REPO, "helm", "dermaflow")
OPERATIONS_DOC = os.path.join(REPO, "docs", "operations.md")
DEPLOY_DOC = os.path.join(REPO, "docs", "deploy.md")
RUNBOOK_BASE = "https://dermaflow.example/docs/operations.md"


def load_yaml_module():
    try:
        import yaml  # noqa: F401  (Debian python3-yaml)
        return yaml
    except ImportError:
        sys.exit("FAIL: PyYAML is missing for %s: install Debian's python3-yaml "
                 "(scripts/install-deps.sh does)" % sys.executable)


def tool(name, *candidates):
    """Path of a required tool; fails (never skips) when it is missing."""
    for c in (name,) + candidates:
        if os.path.sep in c and os.access(c, os.X_OK):
            return c
        for d in os.environ.get("PATH", "").split(os.pathsep):
            p = os.path.join(d, c)
            if os.access(p, os.X_OK):
                return p
    sys.exit(f"FAIL: '{name}' not found; it is needed for this check (see docs/deploy.md, 'Validation')")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# --- PromQL: metric names used by an expression --------------------------------
_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
    "unless", "offset", "inf", "nan", "atan2", "start", "end",
}


def promql_metric_names(expr):
    """Metric names an expression selects (label matchers, functions, grouping
    labels, strings and durations stripped). Good enough for our own rules and
    dashboard; the expressions themselves are parsed by promtool elsewhere."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\{[^{}]*\}", " ", e)            # label matchers
    e = re.sub(r"\[[^\[\]]*\]", " ", e)          # ranges and subqueries
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", e)
    e = re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", " ", e)  # Grafana variables
    names = set()
    for m in re.finditer(r"(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", e):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in _KEYWORDS:
            continue
        names.add(word)
    return names


def grafana_exprs(dashboard):
    """(where, expr) for every query in a dashboard, rows and library panels included."""
    out = []

    def walk(panels):
        for p in panels or []:
            for t in p.get("targets", []) or []:
                if t.get("expr"):
                    out.append((f"panel '{p.get('title')}' {t.get('refId')}", t["expr"]))
            walk(p.get("panels"))

    walk(dashboard.get("panels"))
    for v in dashboard.get("templating", {}).get("list", []):
        q = v.get("query")
        if isinstance(q, dict):
            q = q.get("query")
        if v.get("type") == "query" and isinstance(q, str):
            m = re.match(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\)\s*$", q)
            out.append((f"variable '{v.get('name')}'", m.group(1) if m else q))
    return out


def rule_exprs(rules_doc):
    return [(f"rule '{r.get('alert') or r.get('record')}'", r["expr"])
            for g in rules_doc["groups"] for r in g["rules"]]


def base_family(name):
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
