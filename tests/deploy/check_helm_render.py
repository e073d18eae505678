#!/usr/bin/env python3
"""Renders the Helm chart with helmrender (Helm's template engine rebuilt
from Go's text/template and the sprig library, from Debian's packages; see
helmrender/main.go) for the default values, every ci/*.yaml and a few more
scenarios, and puts the result through the same object checks as the
kustomize overlays (k8s_checks.py), plus what only the chart does: image
tags from appVersion and global.imageRegistry, the PrometheusRule (parsed by
promtool, runbook URLs rewritten), the dashboard ConfigMap, how the
services reach Redis (one server, Sentinel, Cluster; external or the
subchart, with and without Sentinel: REDIS_CASES), labels and name lengths,
and `required` values that must stop a broken install. The production wiring per Deployment (k8s_checks.
check_wiring): identity provider (JWKS URL or file, claim mapping, issuer,
audience) in all four, the service identity's public key in all four and its
private key in the services that act on their own (notification and
scheduling: contract.SERVICE_IDENTITY_SIGNERS) and never in patient or
protocol, SMTP and SMS settings and Secrets in notification only, secrets only as read-only files; and what NOTES.txt
warns about when something is left unset.

Usage: check_helm_render.py BUILD_DIR   (helmrender is built there)
"""
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402
import k8s_checks as k  # noqa: E402

yaml = c.load_yaml_module()
HERE = os.path.dirname(os.path.abspath(__file__))
RELEASE, NAMESPACE = "dermaflow", "clinics"


def build(build_dir):
    go = c.tool("go")
    out = os.path.join(build_dir, "helmrender")
    src = os.path.join(HERE, "helmrender")
    env = dict(os.environ, GO111MODULE="off", GOPATH="/usr/share/gocode",
               GOCACHE=os.path.join(build_dir, "go-cache"), GOFLAGS="")
    r = subprocess.run([go, "build", "-o", out, "."], cwd=src, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("FAIL: cannot build helmrender (Debian packages golang-go, golang-github-masterminds-sprig-dev, "
                 "golang-gopkg-yaml.v2-dev):\n" + r.stderr)
    return out


def render(tool, *value_files, extra=None, release=RELEASE):
    files = list(value_files)
    tmp = None
    if extra is not None:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        json.dump(extra, tmp)
        tmp.close()
        files.append(tmp.name)
    cmd = [tool, "-chart", c.CHART_DIR, "-name", release, "-namespace", NAMESPACE, "-notes"]
    for f in files:
        cmd += ["-f", f]
    r = c.run(cmd)
    if tmp:
        os.unlink(tmp.name)
    return r.returncode, r.stdout, r.stderr  # stderr: NOTES.txt, or the error


def objects(text):
    return [d for d in yaml.safe_load_all(text) if d]


def by(objs, kind, name=None):
    return [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def container(o):
    return k.pod_spec(o)["containers"][0]


def env_of(o, objs):
    ctr = container(o)
    env = {}
    for ref in ctr.get("envFrom", []):
        for cm in by(objs, "ConfigMap", ref.get("configMapRef", {}).get("name")):
            env.update(cm.get("data", {}))
    for e in ctr.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    return env


def common_checks(where, objs):
    for o in objs:
        n = o["metadata"]["name"]
        labels = o["metadata"].get("labels", {})
        for key in ("helm.sh/chart", "app.kubernetes.io/name", "app.kubernetes.io/instance",
                    "app.kubernetes.io/managed-by", "app.kubernetes.io/part-of"):
            if key not in labels:
                k.fail(f"{where} {o['kind']} {n}", f"label {key} missing")
        if len(n) > 63:
            k.fail(f"{where} {o['kind']} {n}", "name longer than 63 characters")
        if "apiVersion" not in o:
            k.fail(f"{where} {o['kind']} {n}", "no apiVersion")


def load_values(*files):
    v = yaml.safe_load(open(os.path.join(c.CHART_DIR, "values.yaml")))
    for f in files:
        v = merge(v, yaml.safe_load(open(f)))
    return v


def merge(base, over):
    out = dict(base)
    for key, val in (over or {}).items():
        out[key] = merge(out[key], val) if isinstance(val, dict) and isinstance(out.get(key), dict) else val
    return out


JWT_DIR, SI = "/etc/dermaflow/jwt", "dermaflow-service-identity"
# notification.sms with Twilio and patients' replies on a port of their own.
TWILIO_REPLIES = {"provider": "twilio", "twilio": {"accountSid": "AC0123456789abcdef0123456789abcdef", "from": "+4930901820"},
                  "replies": {"enabled": True, "port": 9555, "publicUrl": "https://sms.clinic-chain.example/v1/sms/replies"}}


def want_from_values(v):
    """What check_wiring expects for a values tree: derived from the values,
    so the assertions follow the documented keys, not the templates."""
    a, e, sms = v["auth"], v["notification"]["email"], v["notification"]["sms"]
    idp = {"DERMAFLOW_AUTH": a["mode"], "DERMAFLOW_JWT_ORG_CLAIM": a["claims"]["organization"],
           "DERMAFLOW_JWT_ROLES_CLAIM": a["claims"]["roles"]}
    absent, files = [], {}
    for flag, val in (("DERMAFLOW_JWT_JWKS_URL", a["jwksUrl"]), ("DERMAFLOW_JWT_ISSUER", a["issuer"]),
                      ("DERMAFLOW_JWT_AUDIENCE", a["audience"])):
        if val:
            idp[flag] = val
        else:
            absent.append(flag)
    for flag, key in (("DERMAFLOW_JWT_JWKS_FILE", a["jwksKey"]), ("DERMAFLOW_JWT_RS256_PUBLIC_KEY_FILE", a["rs256PublicKeyKey"]),
                      ("DERMAFLOW_JWT_HS256_KEY_FILE", a["hs256KeyKey"])):
        if key:
            files[flag] = (a["existingSecret"], key)
        else:
            absent.append(flag)
    if a["jwksUrl"] and a["jwksCaSecret"]:
        files["DERMAFLOW_JWT_JWKS_CA_FILE"] = (a["jwksCaSecret"], a["jwksCaKey"])
    else:
        absent.append("DERMAFLOW_JWT_JWKS_CA_FILE")
    si = v["serviceIdentity"]
    want = {"idp": idp, "idp_absent": absent, "idp_files": files,
            "service_identity": (si["existingSecret"], si["publicKeyKey"], si["privateKeyKey"]) if si["existingSecret"] else None,
            "notification": {"DERMAFLOW_SMS_PROVIDER": sms["provider"],
                             "DERMAFLOW_REMINDER_RETENTION": v["notification"]["reminderRetention"],
                             "DERMAFLOW_REMINDER_PARK_AFTER": v["notification"]["reminderParkAfter"],
                             "DERMAFLOW_PARK_PROMOTE_INTERVAL": v["notification"]["parkPromoteInterval"],
                             "DERMAFLOW_CLAIM_LEASE": v["notification"]["claimLease"],
                             "DERMAFLOW_EVENT_MIN_IDLE": v["notification"]["eventMinIdle"]},
            "patient": {"DERMAFLOW_ERASURE_REWRITE_WITHIN": v["patient"]["erasureRewriteWithin"],
                        "DERMAFLOW_AUDIT_RETENTION": v["patient"]["auditRetention"]},
            # The per-organization limits reach every service.
            "all": {"DERMAFLOW_ORG_REQUEST_RATE": str(v["config"]["orgRequestRate"]),
                    "DERMAFLOW_ORG_REQUEST_BURST": str(v["config"]["orgRequestBurst"]),
                    "DERMAFLOW_ORG_EXPENSIVE_IN_FLIGHT": str(v["config"]["orgExpensiveInFlight"])},
            "notification_files": {},
            "notification_absent": []}
    n, nf, na = want["notification"], want["notification_files"], want["notification_absent"]
    if e["smtpUrl"]:
        n.update({"DERMAFLOW_SMTP_URL": e["smtpUrl"], "DERMAFLOW_SMTP_FROM": e["from"]})
        if e["user"]:
            n["DERMAFLOW_SMTP_USER"] = e["user"]
            nf["DERMAFLOW_SMTP_PASSWORD_FILE"] = (e["existingSecret"], e["passwordKey"])
        if e["caSecret"]:
            nf["DERMAFLOW_SMTP_CA_FILE"] = (e["caSecret"], e["caKey"])
    else:
        na += ["DERMAFLOW_SMTP_URL", "DERMAFLOW_SMTP_USER", "DERMAFLOW_SMTP_PASSWORD_FILE", "DERMAFLOW_SMTP_CA_FILE"]
    if sms["provider"] == "twilio":
        t = sms["twilio"]
        n.update({"DERMAFLOW_SMS_TWILIO_BASE_URL": t["baseUrl"], "DERMAFLOW_SMS_TWILIO_ACCOUNT_SID": t["accountSid"]})
        if t["from"]:
            n["DERMAFLOW_SMS_FROM"] = t["from"]
        if t["messagingServiceSid"]:
            n["DERMAFLOW_SMS_TWILIO_MESSAGING_SERVICE_SID"] = t["messagingServiceSid"]
        nf["DERMAFLOW_SMS_TWILIO_AUTH_TOKEN_FILE"] = (t["existingSecret"], t["authTokenKey"])
        na += ["DERMAFLOW_SMS_WEBHOOK_URL", "DERMAFLOW_SMS_WEBHOOK_SECRET_FILE"]
    elif sms["provider"] == "webhook":
        w = sms["webhook"]
        n["DERMAFLOW_SMS_WEBHOOK_URL"] = w["url"]
        nf["DERMAFLOW_SMS_WEBHOOK_SECRET_FILE"] = (w["existingSecret"], w["secretKey"])
        na += ["DERMAFLOW_SMS_TWILIO_AUTH_TOKEN_FILE", "DERMAFLOW_SMS_TWILIO_ACCOUNT_SID"]
    else:
        na += ["DERMAFLOW_SMS_WEBHOOK_URL", "DERMAFLOW_SMS_WEBHOOK_SECRET_FILE", "DERMAFLOW_SMS_TWILIO_AUTH_TOKEN_FILE",
               "DERMAFLOW_SMS_TWILIO_ACCOUNT_SID"]
    replies = sms["replies"]
    if replies["enabled"]:
        n["DERMAFLOW_SMS_REPLY_LISTEN"] = f"0.0.0.0:{replies['port']}"
        n["DERMAFLOW_SCHEDULING_ADDR"] = f"{RELEASE}-scheduling:{v['scheduling']['grpcPort']}"
        if replies["publicUrl"]:
            n["DERMAFLOW_SMS_REPLY_PUBLIC_URL"] = replies["publicUrl"]
        else:
            na.append("DERMAFLOW_SMS_REPLY_PUBLIC_URL")
    else:
        na += ["DERMAFLOW_SMS_REPLY_LISTEN", "DERMAFLOW_SMS_REPLY_PUBLIC_URL", "DERMAFLOW_SCHEDULING_ADDR"]
    return want


def check_sms_replies(where, objs, values):
    """notification.sms.replies as rendered. On: notification gets
    --sms_reply_listen on the port, the public URL, scheduling's address;
    containerPort and Service port `sms-replies`; its NetworkPolicy admits
    the ingress controller's namespace (and nothing else) on that port, and
    scheduling's admits notification on gRPC, over TLS like its other peers
    when tls is on. Off: none of it."""
    r, np_on = values["notification"]["sms"]["replies"], values["networkPolicy"]["enabled"]
    dep = by(objs, "Deployment", f"{RELEASE}-notification")
    svc = by(objs, "Service", f"{RELEASE}-notification")
    if not dep or not svc:
        k.fail(where, "no notification Deployment and Service")
        return
    env = env_of(dep[0], objs)
    cports = {p["name"]: p["containerPort"] for p in container(dep[0])["ports"]}
    sports = {p["name"]: p for p in svc[0]["spec"]["ports"]}
    nps = {o["metadata"]["name"]: o["spec"].get("ingress", []) for o in by(objs, "NetworkPolicy")}
    notification_pods = {"app.kubernetes.io/name": "dermaflow", "app.kubernetes.io/instance": RELEASE,
                         "app.kubernetes.io/component": "notification"}
    sched_grpc_peers = [peer for rule in nps.get(f"{RELEASE}-scheduling", [])
                        if values["scheduling"]["grpcPort"] in [p["port"] for p in rule["ports"]] for peer in rule["from"]]
    admits_notification = any(peer.get("podSelector", {}).get("matchLabels") == notification_pods
                              for peer in sched_grpc_peers)
    reply_rules = [rule for rule in nps.get(f"{RELEASE}-notification", [])
                   if r["port"] in [p["port"] for p in rule["ports"]]]
    if not r["enabled"]:
        for name in ("DERMAFLOW_SMS_REPLY_LISTEN", "DERMAFLOW_SMS_REPLY_PUBLIC_URL", "DERMAFLOW_SCHEDULING_ADDR"):
            if name in env:
                k.fail(where, f"SMS replies off, but notification gets {name}")
        if "sms-replies" in cports or "sms-replies" in sports:
            k.fail(where, "SMS replies off, but port sms-replies is rendered")
        if admits_notification or reply_rules:
            k.fail(where, "SMS replies off, but the NetworkPolicies open the way for them")
        return
    want = {"DERMAFLOW_SMS_REPLY_LISTEN": f"0.0.0.0:{r['port']}",
            "DERMAFLOW_SCHEDULING_ADDR": f"{RELEASE}-scheduling:{values['scheduling']['grpcPort']}"}
    if r["publicUrl"]:
        want["DERMAFLOW_SMS_REPLY_PUBLIC_URL"] = r["publicUrl"]
    for name, val in want.items():
        if env.get(name) != val:
            k.fail(where, f"SMS replies: notification's {name}={env.get(name)!r}, want {val!r}")
    if cports.get("sms-replies") != r["port"]:
        k.fail(where, f"SMS replies: containerPort sms-replies is {cports.get('sms-replies')}, want {r['port']}")
    sp = sports.get("sms-replies", {})
    if (sp.get("port"), sp.get("targetPort")) != (r["port"], "sms-replies"):
        k.fail(where, f"SMS replies: Service port sms-replies is {sp}, want port {r['port']} to targetPort sms-replies")
    if values["tls"]["enabled"] and not env.get("DERMAFLOW_TLS_CA"):
        k.fail(where, "SMS replies with TLS on: notification has no DERMAFLOW_TLS_CA to reach scheduling over TLS")
    if np_on:
        if not admits_notification:
            k.fail(where, "SMS replies: scheduling's NetworkPolicy does not admit notification on gRPC")
        peers = [peer for rule in reply_rules for peer in rule["from"]]
        want_peer = {"namespaceSelector": {"matchLabels": values["networkPolicy"]["ingressNamespaceLabels"]}}
        if peers != [want_peer]:
            k.fail(where, f"SMS replies: port {r['port']} admits {peers}, want only the ingress controller's namespace")


# How the services reach Redis, per way to run it (docs/operations.md, "Redis
# high availability"): values over the defaults, the release name, the URL
# every Deployment must get as DERMAFLOW_REDIS, and the Secret/key of its
# DERMAFLOW_REDIS_PASSWORD (None: no password). The ci/ files are rendered by
# main(); the rest here. Bitnami's subchart names: <release>-redis (or the
# release name when it holds "redis"); with sentinel.enabled one Service of
# that name carries the Sentinel port (26379 unless sentinel.service.ports
# says otherwise) and there is no -master Service.
EXTERNAL_SENTINEL = ("redis+sentinel://redis-node-0.redis-headless.redis.svc:26379,"
                     "redis-node-1.redis-headless.redis.svc:26379,redis-node-2.redis-headless.redis.svc:26379/clinics/0")
REDIS_CASES = [
    # name, values files in ci/ (or extra values), release, URL, password Secret and key
    ("default values: one external Redis", None, {}, RELEASE, "redis://redis:6379/0", None),
    ("external Redis with a password", None, {"redis": {"url": "redis://redis-master.redis.svc:6379/2",
                                                        "existingSecret": "dermaflow-redis"}},
     RELEASE, "redis://redis-master.redis.svc:6379/2", ("dermaflow-redis", "password")),
    ("external Sentinel", None, {"redis": {"url": EXTERNAL_SENTINEL, "existingSecret": "dermaflow-redis"}},
     RELEASE, EXTERNAL_SENTINEL, ("dermaflow-redis", "password")),
    ("external Sentinel, default port, no db", None, {"redis": {"url": "redis+sentinel://sentinel/mymaster"}},
     RELEASE, "redis+sentinel://sentinel/mymaster", None),
    ("ci/redis-cluster-external-values.yaml", "redis-cluster-external-values.yaml", None, RELEASE,
     "redis+cluster://dermaflow-redis-cluster:6379", ("dermaflow-redis", "password")),
    ("ci/redis-subchart-values.yaml", "redis-subchart-values.yaml", None, RELEASE,
     f"redis://{RELEASE}-redis-master:6379/0", (f"{RELEASE}-redis", "redis-password")),
    ("ci/redis-sentinel-subchart-values.yaml", "redis-sentinel-subchart-values.yaml", None, RELEASE,
     f"redis+sentinel://{RELEASE}-redis:26379/mymaster/0", (f"{RELEASE}-redis", "redis-password")),
    ("subchart Sentinel: release named *redis*, own master name, Sentinel port and Secret", None,
     {"redis": {"enabled": True, "sentinel": {"enabled": True, "masterSet": "clinics", "service": {"ports": {"sentinel": 26380}}},
                "auth": {"existingSecret": "chain-redis", "existingSecretPasswordKey": "pw"}}},
     "chain-redis", "redis+sentinel://chain-redis:26380/clinics/0", ("chain-redis", "pw")),
    ("subchart Sentinel without a password", None, {"redis": {"enabled": True, "sentinel": {"enabled": True},
                                                              "auth": {"enabled": False}}},
     RELEASE, f"redis+sentinel://{RELEASE}-redis:26379/mymaster/0", None),
]
# What the chart must refuse, with the message that says why.
REDIS_REFUSED = [
    ("subchart Sentinel on a standalone Redis",
     {"redis": {"enabled": True, "architecture": "standalone", "sentinel": {"enabled": True}}},
     "redis.sentinel.enabled needs redis.architecture replication"),
    ("subchart Sentinel without the password on the sentinels",
     {"redis": {"enabled": True, "sentinel": {"enabled": True}, "auth": {"sentinel": False}}},
     "redis.auth.sentinel must stay true with redis.sentinel.enabled"),
    ("external Redis URL with an unknown scheme", {"redis": {"url": "rediss://redis:6380/0"}},
     "redis.url must start with redis://, redis+sentinel:// or redis+cluster://"),
    ("external Sentinel URL with a password", {"redis": {"url": "redis+sentinel://:hunter2@s1:26379/mymaster"}},
     "redis.url must not hold a password"),
]


def redis_checks(tool, rendered):
    ci = os.path.join(c.CHART_DIR, "ci")
    for name, ci_file, extra, release, want_url, want_secret in REDIS_CASES:
        where = f"helm [{name}]"
        files = [os.path.join(ci, ci_file)] if ci_file else []
        rc, out, notes = render(tool, *files, extra=extra, release=release)
        if rc != 0:
            k.fail(where, "render failed: " + notes.strip()[-300:])
            continue
        objs = objects(out)
        if f"reach Redis at {want_url}." not in notes:
            k.fail(where, f"NOTES.txt does not say the pods reach Redis at {want_url}")
        if want_url.startswith("redis+sentinel://") != ("follow a fail-over by themselves" in notes):
            k.fail(where, "NOTES.txt's Sentinel line is missing or where there is no Sentinel")
        deps = by(objs, "Deployment")
        if len(deps) != len(c.SERVICES):
            k.fail(where, f"{len(deps)} Deployments, want {len(c.SERVICES)}")
        for dep in deps:
            env = env_of(dep, objs)
            n = dep["metadata"]["name"]
            if env.get("DERMAFLOW_REDIS") != want_url:
                k.fail(where, f"{n}: DERMAFLOW_REDIS={env.get('DERMAFLOW_REDIS')!r}, want {want_url!r}")
            ref = (env.get("DERMAFLOW_REDIS_PASSWORD") or {}).get("secretKeyRef", {})
            got = (ref.get("name"), ref.get("key")) if ref else None
            if got != want_secret:
                k.fail(where, f"{n}: DERMAFLOW_REDIS_PASSWORD from {got}, want {want_secret}")
        print(f"{where}: DERMAFLOW_REDIS={want_url}, password "
              f"{'from ' + '/'.join(want_secret) if want_secret else 'none'}")
    # The trial file's other promises (auth none, one replica each).
    sub = rendered.get("ci/redis-subchart-values.yaml", [])
    for dep in by(sub, "Deployment"):
        if any(m["name"] == "jwt" for m in container(dep).get("volumeMounts", [])):
            k.fail("helm [redis subchart]", "JWT key mounted although auth.mode is none")
        if dep["spec"].get("replicas") != 1:
            k.fail("helm [redis subchart]", "replicaCount not applied with autoscaling off")
    for name, extra, why in REDIS_REFUSED:
        rc, _, err = render(tool, extra=extra)
        if rc == 0:
            k.fail(f"helm [{name}]", "rendered; the chart should refuse it")
        elif why not in err:
            k.fail(f"helm [{name}]", f"refused, but not saying {why!r}: {err.strip()[-300:]}")
        elif "hunter2" in err:
            k.fail(f"helm [{name}]", "the refusal prints the password")
        else:
            print(f"helm [{name}]: refused as it should be: ...{err.strip().splitlines()[-1][-150:]}")


def describe(objs):
    """One line per Deployment: the identity and channel flags and the Secret
    files it gets (what docs/deploy.md shows)."""
    cms = {o["metadata"]["name"]: o.get("data", {}) for o in objs if o["kind"] == "ConfigMap"}
    for dep in by(objs, "Deployment"):
        comp = k.pod_labels_of(dep).get("app.kubernetes.io/component")
        env = k.container_env(dep, cms)
        flags = sorted(f"{n[len('DERMAFLOW_'):].lower()}" for n in env
                       if n.startswith(("DERMAFLOW_JWT_", "DERMAFLOW_SERVICE_TOKEN", "DERMAFLOW_SMTP_", "DERMAFLOW_SMS_")))
        files = sorted(f"{s}/{key}" for s, key in set(k.secret_files(dep).values()))
        print(f"  {comp:<12} secrets: {', '.join(files)}")
        print(f"  {'':<12} flags:   {', '.join(flags)}")


def wiring_checks(tool, rendered):
    ci = os.path.join(c.CHART_DIR, "ci")
    scenarios = [
        # name, values files, extra values, NOTES.txt must say, must not say
        ("default values", [], None,
         ["e-mails are only logged", "SMS are only logged", "No JWKS", "dermaflow-service-identity: service.pub, service.key"],
         ["NO REMINDERS", "SMS replies"]),
        ("ci/production-values.yaml", [os.path.join(ci, "production-values.yaml")], None,
         ["dermaflow-smtp: password", "dermaflow-sms: auth-token", "dermaflow-service-identity: service.pub, service.key"],
         ["WARNING"]),
        ("ci/jwks-file-webhook-values.yaml", [os.path.join(ci, "jwks-file-webhook-values.yaml")], None,
         ["dermaflow-jwt: jwks.json", "clinic-chain-ca: ca.crt", "dermaflow-sms: webhook-secret"],
         ["WARNING"]),
        ("JWKS URL with a private CA", [os.path.join(ci, "production-values.yaml")],
         {"auth": {"jwksCaSecret": "idp-ca", "jwksCaKey": "bundle.pem"}}, ["idp-ca: bundle.pem"], ["WARNING"]),
        ("no service identity", [os.path.join(ci, "production-values.yaml")],
         {"serviceIdentity": {"existingSecret": ""}},
         ["notification cannot read patients and protocols: NO REMINDERS",
          "scheduling makes NO WAITLIST OFFERS"], ["service.key"]),
        ("HS256 for development", [], {"auth": {"rs256PublicKeyKey": "", "hs256KeyKey": "hs256.key"}},
         ["local development only"], []),
        ("SMS replies with Twilio on their own port", [], {"notification": {"sms": TWILIO_REPLIES}},
         ["SMS replies: POST /v1/sms/replies", "port sms-replies (9555)",
          "Route https://sms.clinic-chain.example/v1/sms/replies there"], []),
        ("SMS replies, TLS on, no NetworkPolicies", [],
         {"notification": {"sms": TWILIO_REPLIES}, "networkPolicy": {"enabled": False},
          "tls": {"enabled": True, "existingSecret": "dermaflow-tls"}},
         ["SMS replies: POST /v1/sms/replies"], ["the NetworkPolicy admits"]),
    ]
    for name, files, extra, says, never in scenarios:
        rc, out, notes = render(tool, *files, extra=extra)
        where = f"helm [{name}]"
        if rc != 0:
            k.fail(where, "render failed: " + notes.strip())
            continue
        objs = objects(out)
        values = load_values(*files)
        if extra:
            values = merge(values, extra)
        k.check_objects(where, objs, strict=True, extra_components=("test",),
                        require_network_policies=values["networkPolicy"]["enabled"])
        k.check_wiring(where, objs, want_from_values(values))
        check_sms_replies(where, objs, values)
        for s in says:
            if s not in notes:
                k.fail(where, f"NOTES.txt does not say {s!r}")
        for s in never:
            if s in notes:
                k.fail(where, f"NOTES.txt says {s!r}")
        warnings = [l.strip() for l in notes.splitlines() if l.strip().startswith("!!")]
        print(f"{where}: wiring checked; NOTES.txt warnings: {len(warnings)}")
        for w in warnings:
            print(f"  {w[:150]}")
        if name == "ci/production-values.yaml":
            describe(objs)
    # What the schema refuses, the templates refuse too (helm --skip-schema-validation, older tools).
    for name, extra, why in (
            ("jwt without any key", {"auth": {"rs256PublicKeyKey": ""}}, "auth.mode jwt needs auth.jwksUrl"),
            ("JWKS from a URL and a file", {"auth": {"jwksUrl": "https://idp.example/certs", "jwksKey": "jwks.json"}},
             "set auth.jwksUrl or auth.jwksKey, not both"),
            ("twilio without an account SID", {"notification": {"sms": {"provider": "twilio"}}},
             "notification.sms.twilio.accountSid is required"),
            ("webhook without a URL", {"notification": {"sms": {"provider": "webhook"}}},
             "notification.sms.webhook.url is required"),
            ("SMTP without a sender", {"notification": {"email": {"smtpUrl": "smtp://mail.example:587"}}},
             "notification.email.from is required"),
            ("SMS replies with Twilio, no public URL",
             {"notification": {"sms": dict(TWILIO_REPLIES, replies={"enabled": True})}},
             "notification.sms.replies.publicUrl is required with notification.sms.replies.enabled and provider twilio"),
            ("SMS replies with provider log", {"notification": {"sms": {"replies": {"enabled": True}}}},
             "notification.sms.replies.enabled needs notification.sms.provider twilio or webhook"),
            ("SMS replies without scheduling",
             {"notification": {"sms": TWILIO_REPLIES}, "scheduling": {"enabled": False}},
             "notification.sms.replies.enabled needs scheduling.enabled"),
            ("SMS replies, no ingress namespace to admit them",
             {"notification": {"sms": TWILIO_REPLIES},
              "networkPolicy": {"ingressNamespaceLabels": {"kubernetes.io/metadata.name": None}}},
             "needs networkPolicy.ingressNamespaceLabels"),
            ("SMS replies on the metrics port",
             {"notification": {"sms": dict(TWILIO_REPLIES, replies={"enabled": True, "port": 9464,
                                                                    "publicUrl": "https://sms.example/r"})}},
             "notification.sms.replies.port 9464 is already notification's")):
        rc, _, err = render(tool, extra=extra)
        if rc == 0:
            k.fail(f"helm [{name}]", "rendered; the chart should refuse it")
        elif why not in err:
            k.fail(f"helm [{name}]", f"refused, but not saying {why!r}: {err.strip()[-300:]}")
        else:
            print(f"helm [{name}]: refused as it should be: ...{err.strip().splitlines()[-1][-150:]}")


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    os.makedirs(build_dir, exist_ok=True)
    tool = build(build_dir)
    chart = yaml.safe_load(open(os.path.join(c.CHART_DIR, "Chart.yaml")))
    ci = sorted(os.path.join(c.CHART_DIR, "ci", f) for f in os.listdir(os.path.join(c.CHART_DIR, "ci")))
    scenarios = [("default values", [], None)] + [(f"ci/{os.path.basename(f)}", [f], None) for f in ci] + [
        ("auth none, tls on, no network policy", [], {"auth": {"mode": "none"}, "networkPolicy": {"enabled": False},
                                                      "tls": {"enabled": True, "existingSecret": "dermaflow-tls"}}),
        ("only scheduling and its callees", [], {"notification": {"enabled": False}}),
    ]
    rendered = {}
    for name, files, extra in scenarios:
        rc, out, err = render(tool, *files, extra=extra)
        if rc != 0:
            k.fail(name, "render failed: " + err.strip())
            continue
        objs = objects(out)
        rendered[name] = objs
        full = name != "only scheduling and its callees"
        k.check_objects(f"helm [{name}]", objs, strict=full, extra_components=("test",),
                        require_network_policies=(extra or {}).get("networkPolicy", {}).get("enabled", True))
        common_checks(f"helm [{name}]", objs)
        print(f"helm [{name}]: {len(objs)} objects rendered and checked")

    d = rendered.get("default values", [])
    for dep in by(d, "Deployment"):
        if not container(dep)["image"].endswith(":" + chart["appVersion"]):
            k.fail("helm [default values]", f"{dep['metadata']['name']} image {container(dep)['image']} is not tagged appVersion")
        if any(v.get("name") == "tls" for v in k.pod_spec(dep).get("volumes", [])):
            k.fail("helm [default values]", "TLS volume although tls.enabled is false")
    if by(d, "ServiceMonitor") or by(d, "PrometheusRule"):
        k.fail("helm [default values]", "Prometheus Operator objects although disabled (the CRDs may be missing)")
    test_pods = [p for p in by(d, "Pod") if p["metadata"].get("annotations", {}).get("helm.sh/hook") == "test"]
    if len(test_pods) != 1:
        k.fail("helm [default values]", "no `helm test` pod")
    else:
        script = "\n".join(container(test_pods[0]).get("args", []))
        for s in c.SERVICES:
            line = f"{RELEASE}-{s} {c.GRPC_PORT[s]} {c.METRICS_PORT[s]}"
            if line not in script:
                k.fail("helm test pod", f"does not check {line}")

    prod = rendered.get("ci/production-values.yaml", [])
    if prod:
        values = yaml.safe_load(open(os.path.join(c.CHART_DIR, "ci", "production-values.yaml")))
        reg = values["global"]["imageRegistry"]
        for dep in by(prod, "Deployment"):
            env = env_of(dep, prod)
            if not container(dep)["image"].startswith(reg + "/"):
                k.fail("helm [production]", f"{dep['metadata']['name']}: image without global.imageRegistry")
            for var in ("DERMAFLOW_TLS_CERT", "DERMAFLOW_TLS_KEY", "DERMAFLOW_TLS_CA", "DERMAFLOW_TLS_CLIENT_CA"):
                path = env.get(var, "")
                mounts = [m["mountPath"] for m in container(dep).get("volumeMounts", [])]
                if not any(path.startswith(m + "/") for m in mounts):
                    k.fail("helm [production]", f"{dep['metadata']['name']}: {var}={path!r} is not in a mounted volume")
        rules = by(prod, "PrometheusRule")
        if len(rules) != 1:
            k.fail("helm [production]", "no PrometheusRule")
        else:
            spec = rules[0]["spec"]
            urls = [r["annotations"]["runbook_url"] for g in spec["groups"] for r in g["rules"] if "alert" in r]
            base = values["prometheusRule"]["runbookBaseUrl"]
            if not urls or not all(u.startswith(base + "#") for u in urls):
                k.fail("helm [production]", f"runbook URLs not rewritten to {base}: {urls[:2]}")
            if "release" not in rules[0]["metadata"]["labels"]:
                k.fail("helm [production]", "PrometheusRule without prometheusRule.additionalLabels")
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
                yaml.safe_dump(spec, f)
            r = c.run([c.tool("promtool"), "check", "rules", f.name])
            os.unlink(f.name)
            if r.returncode != 0:
                k.fail("helm [production]", "PrometheusRule spec rejected by promtool:\n" + r.stdout + r.stderr)
        dash = by(prod, "ConfigMap", f"{RELEASE}-dashboard")
        if not dash or dash[0]["metadata"]["labels"].get("grafana_dashboard") != "1":
            k.fail("helm [production]", "no dashboard ConfigMap labelled grafana_dashboard: \"1\"")
        else:
            got = json.loads(dash[0]["data"]["dermaflow.json"])
            if got != json.load(open(c.DASHBOARD_FILE)):
                k.fail("helm [production]", "dashboard ConfigMap differs from deploy/grafana/dermaflow.json")

    redis_checks(tool, rendered)

    only = rendered.get("only scheduling and its callees", [])
    if only and by(only, "Deployment", f"{RELEASE}-notification"):
        k.fail("helm [notification disabled]", "notification still rendered")
    # scheduling signs its own calls (waitlist offers) whether or not notification runs.
    for dep in by(only, "Deployment", f"{RELEASE}-scheduling"):
        key = env_of(dep, only).get("DERMAFLOW_SERVICE_TOKEN_KEY_FILE")
        if k.file_source(k.secret_files(dep), key) != (SI, "service.key"):
            k.fail("helm [notification disabled]", f"scheduling's DERMAFLOW_SERVICE_TOKEN_KEY_FILE={key!r} does not "
                                                   f"read Secret {SI} key service.key: no waitlist offers")

    for name, extra in (("tls without a Secret", {"tls": {"enabled": True}}),
                        ("jwt without a Secret", {"auth": {"existingSecret": ""}})):
        rc, _, err = render(tool, extra=extra)
        if rc == 0:
            k.fail(f"helm [{name}]", "rendered; a `required` value should stop it")
        else:
            print(f"helm [{name}]: refused as it should be: {err.strip().splitlines()[-1][:140]}")

    wiring_checks(tool, rendered)

    if k.problems:
        print("\n".join("FAIL " + p for p in k.problems))
        return 1
    print(f"helm render: {len(rendered)} scenarios rendered and checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
