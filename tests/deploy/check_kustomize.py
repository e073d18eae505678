#!/usr/bin/env python3
"""Renders every kustomize overlay (and the base) with `kubectl kustomize`
and checks the objects a cluster would get (k8s_checks.py: probes,
resources, pod security, secrets only by reference, selectors that match,
flags the binaries know, one NetworkPolicy per service admitting exactly its
real callers); every Secret the overlays reference is explained in
docs/deploy.md. The prod overlay's production wiring (k8s_checks.
check_wiring): the identity provider's JWKS URL, issuer, audience and claim
mapping reach all four services, the service identity's public key is
mounted into all four and its private key into notification and scheduling
only (they act on their own behalf; never patient or protocol), the SMTP
and SMS settings and Secrets reach notification only, secrets only as
read-only files; dev runs without auth, service identity or channels. The
prod overlay with its redis-sentinel component switched on (the commented
line uncommented, as docs/deploy.md says) passes the same checks and gives
every service the component's redis+sentinel:// URL.

Usage: check_kustomize.py   (exit 1 with a list of problems)
"""
import os
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402
import k8s_checks as k  # noqa: E402

yaml = c.load_yaml_module()
K8S = os.path.join(c.REPO, "deploy", "k8s")


def render(path):
    kubectl = c.tool("kubectl")
    r = c.run([kubectl, "kustomize", path])
    if r.returncode != 0:
        k.fail(os.path.relpath(path, c.REPO), "kubectl kustomize failed:\n" + r.stderr.strip())
        return []
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def env_file(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, val = line.partition("=")
            out[key] = val
    return out


# What the base gives every overlay: the audit trail's retention (patient)
# and the per-organization limits (every service).
BASE_PATIENT = {"DERMAFLOW_AUDIT_RETENTION": "26304h"}
BASE_LIMITS = {"DERMAFLOW_ORG_REQUEST_RATE": "20000", "DERMAFLOW_ORG_REQUEST_BURST": "2000",
               "DERMAFLOW_ORG_EXPENSIVE_IN_FLIGHT": "4"}


def prod_want():
    """The prod overlay's wiring: the identity provider's settings as its
    config.env writes them (they must reach all four services), the Secrets
    and keys docs/deploy.md tells to create."""
    cfg = env_file(os.path.join(K8S, "overlays", "prod", "config.env"))
    idp = {"DERMAFLOW_AUTH": "jwt"}
    for name in ("DERMAFLOW_JWT_JWKS_URL", "DERMAFLOW_JWT_ISSUER", "DERMAFLOW_JWT_AUDIENCE",
                 "DERMAFLOW_JWT_ORG_CLAIM", "DERMAFLOW_JWT_ROLES_CLAIM"):
        if not cfg.get(name):
            k.fail("overlay prod config.env", f"{name} is not set")
        idp[name] = cfg.get(name)
    if not str(cfg.get("DERMAFLOW_JWT_JWKS_URL", "")).startswith("https://"):
        k.fail("overlay prod config.env", "DERMAFLOW_JWT_JWKS_URL must be an https URL")
    return {
        "idp": idp,
        "idp_absent": ["DERMAFLOW_JWT_RS256_PUBLIC_KEY_FILE", "DERMAFLOW_JWT_HS256_KEY_FILE"],
        "service_identity": ("dermaflow-service-identity", "service.pub", "service.key"),
        "notification": {"DERMAFLOW_SMS_PROVIDER": "twilio"},
        "notification_files": {"DERMAFLOW_SMTP_PASSWORD_FILE": ("dermaflow-smtp", "password"),
                               "DERMAFLOW_SMS_TWILIO_AUTH_TOKEN_FILE": ("dermaflow-sms", "auth-token")},
        "patient": BASE_PATIENT,
        "all": BASE_LIMITS,
    }


DEV_WANT = {
    "idp": {"DERMAFLOW_AUTH": "none"},
    "patient": BASE_PATIENT,
    "all": BASE_LIMITS,
    "service_identity": None,
    "notification_absent": ["DERMAFLOW_SMTP_URL", "DERMAFLOW_SMS_PROVIDER", "DERMAFLOW_SERVICE_TOKEN_KEY_FILE",
                            "DERMAFLOW_SMS_REPLY_LISTEN"],
}


def check_prod_notification(envs):
    env = envs.get("notification", {})
    url = env.get("DERMAFLOW_SMTP_URL", "")
    if not (url.startswith("smtp://") or url.startswith("smtps://")) or "@" in url:
        k.fail("overlay prod notification", f"DERMAFLOW_SMTP_URL={url!r}: want smtp://host:587 or smtps://host:465, no credentials")
    for name in ("DERMAFLOW_SMTP_FROM", "DERMAFLOW_SMTP_USER", "DERMAFLOW_SMS_TWILIO_ACCOUNT_SID", "DERMAFLOW_SMS_FROM"):
        if not env.get(name):
            k.fail("overlay prod notification", f"{name} is not set")
    # Patients' SMS replies arrive through the ingress (TLS); Twilio signs that URL.
    if env.get("DERMAFLOW_SMS_REPLY_LISTEN") and not str(env.get("DERMAFLOW_SMS_REPLY_PUBLIC_URL", "")).startswith("https://"):
        k.fail("overlay prod notification", "DERMAFLOW_SMS_REPLY_PUBLIC_URL must be the https URL configured at Twilio")
    if env.get("DERMAFLOW_SMTP_INSECURE_PLAINTEXT") not in (None, "false"):
        k.fail("overlay prod notification", "DERMAFLOW_SMTP_INSECURE_PLAINTEXT is for development only")


SENTINEL_COMPONENT = "components/redis-sentinel"
SENTINEL_LINE = "  # - ../../components/redis-sentinel"


def check_prod_with_sentinel():
    """The prod overlay with its Redis-through-Sentinel line uncommented, as
    docs/deploy.md tells: it still renders and passes every check, and all
    four services get the component's redis+sentinel:// URL (not config.env's)
    with the password still from Secret dermaflow-redis."""
    where = "overlay prod + redis-sentinel"
    want_url = env_file(os.path.join(K8S, SENTINEL_COMPONENT, "redis.env")).get("DERMAFLOW_REDIS", "")
    if not want_url.startswith("redis+sentinel://") or not c.REDIS_URL.match(want_url):
        k.fail(where, f"{SENTINEL_COMPONENT}/redis.env: DERMAFLOW_REDIS={want_url!r} is no redis+sentinel:// URL")
    kust = open(os.path.join(K8S, "overlays", "prod", "kustomization.yaml")).read()
    if kust.count(SENTINEL_LINE + "\n") != 1:
        k.fail(where, f"overlays/prod/kustomization.yaml lacks the commented line {SENTINEL_LINE.strip()!r}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "k8s")
        shutil.copytree(K8S, copy)
        with open(os.path.join(copy, "overlays", "prod", "kustomization.yaml"), "w") as f:
            f.write(kust.replace(SENTINEL_LINE + "\n", "  - ../../components/redis-sentinel\n"))
        objs = render(os.path.join(copy, "overlays", "prod"))
    if not objs:
        return
    k.check_objects(where, objs, strict=True, require_service_monitor=True)
    envs = k.check_wiring(where, objs, prod_want())
    for comp in c.SERVICES:
        env = envs.get(comp, {})
        if env.get("DERMAFLOW_REDIS") != want_url:
            k.fail(where, f"{comp}: DERMAFLOW_REDIS={env.get('DERMAFLOW_REDIS')!r}, want the component's {want_url!r}")
        ref = (env.get("DERMAFLOW_REDIS_PASSWORD") or {}).get("secretKeyRef", {})
        if (ref.get("name"), ref.get("key")) != ("dermaflow-redis", "password"):
            k.fail(where, f"{comp}: DERMAFLOW_REDIS_PASSWORD from {ref}, want Secret dermaflow-redis key password")
    print(f"{where}: {len(objs)} objects rendered; every service gets DERMAFLOW_REDIS={want_url}")


def main():
    overlays_dir = os.path.join(K8S, "overlays")
    overlays = sorted(d for d in os.listdir(overlays_dir) if os.path.isdir(os.path.join(overlays_dir, d)))
    if not overlays:
        k.fail("deploy/k8s/overlays", "no overlays")
    # The base renders too, though only overlays are deployable.
    k.check_objects("base", render(os.path.join(K8S, "base")), strict=False)
    referenced_secrets = set()
    for ov in overlays:
        objs = render(os.path.join(overlays_dir, ov))
        if not objs:
            continue
        k.check_objects(f"overlay {ov}", objs, strict=True, require_service_monitor=(ov == "prod"))
        if ov == "prod":
            check_prod_notification(k.check_wiring("overlay prod", objs, prod_want()))
            print("overlay prod: wiring checked (identity provider, service identity, SMTP, SMS)")
        elif ov == "dev":
            k.check_wiring("overlay dev", objs, DEV_WANT)
        for o in objs:
            if o["kind"] in ("Deployment", "StatefulSet"):
                ps = k.pod_spec(o)
                for v in ps.get("volumes", []):
                    if "secret" in v:
                        referenced_secrets.add(v["secret"]["secretName"])
                for ctr in ps["containers"]:
                    for e in ctr.get("env", []):
                        ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                        if ref:
                            referenced_secrets.add(ref["name"])
        print(f"overlay {ov}: {len(objs)} objects rendered")
    check_prod_with_sentinel()
    doc = open(c.DEPLOY_DOC).read() if os.path.exists(c.DEPLOY_DOC) else ""
    for s in sorted(referenced_secrets):
        if f"`{s}`" not in doc:
            k.fail("docs/deploy.md", f"does not tell how to create the Secret `{s}` the manifests reference")
    if k.problems:
        print("\n".join("FAIL " + p for p in k.problems))
        print(f"kustomize: {len(k.problems)} problems")
        return 1
    print(f"kustomize: {len(overlays)} overlays rendered and checked; secrets referenced: {sorted(referenced_secrets)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
