#!/usr/bin/env python3
"""The production wiring, run for real: the Helm chart (rendered by
helmrender) and the kustomize prod overlay give each of the four built
binaries its environment exactly as a pod would get it -- the ConfigMap, the
Deployment's env, and every Secret file at its mounted path (made here: an
identity provider key pair, the service identity key pair, an SMTP password,
an SMS token, a CA) -- and each binary must start, serve its health port
and stay up. notification must report the SMTP channel with STARTTLS (or
implicit TLS) and AUTH, the SMS provider the configuration names, and that it
receives SMS replies (Twilio and webhook; the reply port is moved to loopback).
scheduling must have its service identity (the private key it signs its
waitlist offers' calls with): it must not log that waitlist offers are off.

Nothing is contacted: peers, SMTP and SMS hosts are only configured; the
JWKS URL of the prod overlay is replaced by a JWKS file (same flag family)
because this machine reaches no identity provider. Every process it starts
is stopped by PID at the end.

Usage: check_deploy_wiring_runs.py BIN_DIR BUILD_DIR   (helmrender is built there)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_helm_render as hr  # noqa: E402
import contract as c  # noqa: E402
import k8s_checks as k  # noqa: E402

yaml = c.load_yaml_module()
problems, procs = [], []


def fail(m):
    problems.append(m)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def openssl(*args):
    r = c.run([c.tool("openssl")] + list(args))
    if r.returncode != 0:
        sys.exit(f"FAIL openssl {' '.join(args)}: {r.stderr}")


def make_material(d):
    """Key files as the documented Secrets hold them."""
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f"{d}/idp.key")
    openssl("pkey", "-in", f"{d}/idp.key", "-pubout", "-out", f"{d}/idp.pub")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f"{d}/service.key")
    openssl("ec", "-in", f"{d}/service.key", "-pubout", "-out", f"{d}/service.pub")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=test CA", "-keyout", f"{d}/ca.key", "-out", f"{d}/ca.crt")
    return {
        ("dermaflow-jwt", "public.pem"): open(f"{d}/idp.pub").read(),
        ("dermaflow-service-identity", "service.pub"): open(f"{d}/service.pub").read(),
        ("dermaflow-service-identity", "service.key"): open(f"{d}/service.key").read(),
        ("dermaflow-smtp", "password"): "smtp-password",
        ("dermaflow-sms", "auth-token"): "twilio-auth-token",
        ("dermaflow-sms", "webhook-secret"): "0123456789abcdef0123456789abcdef",
        ("clinic-chain-ca", "ca.crt"): open(f"{d}/ca.crt").read(),
    }


def pod_env(dep, configmaps, root, secrets, where):
    """The container's DERMAFLOW_* environment with every Secret file laid
    out under `root` at its mount path."""
    env = {n: v for n, v in k.container_env(dep, configmaps).items() if isinstance(v, str)}
    for path, (secret, key) in k.secret_files(dep).items():
        if key == "*":
            continue
        if (secret, key) not in secrets:
            fail(f"{where}: mounts Secret {secret} key {key}, which the documented Secrets do not have")
            continue
        os.makedirs(os.path.dirname(root + path), exist_ok=True)
        with open(root + path, "w") as f:
            f.write(secrets[(secret, key)])
    for n, v in env.items():
        if v.startswith("/etc/dermaflow/"):
            env[n] = root + v
    return env


# Log lines that mean a deploy configuration left a feature off, by service.
LOG_NEVER = {"scheduling": ["waitlist offers are off: scheduling has no service identity"]}


def run_set(name, objs, bin_dir, tmp, secrets, redis_port, notification_log_wants):
    configmaps = {o["metadata"]["name"]: o.get("data", {}) for o in objs if o["kind"] == "ConfigMap"}
    root = os.path.join(tmp, name.replace(" ", "-").replace("/", "-"))
    # All files first: the pods share the root, no process reads a half-written file.
    pods = []
    for dep in [o for o in objs if o["kind"] == "Deployment"]:
        comp = k.pod_labels_of(dep).get("app.kubernetes.io/component")
        if comp in c.SERVICES:
            pods.append((comp, pod_env(dep, configmaps, root, secrets, f"{name} {comp}")))
    started = []
    for comp, pod in pods:
        env = {n: v for n, v in os.environ.items() if not n.startswith("DERMAFLOW_")}
        env.update(pod)
        health = free_port()
        env.update({"DERMAFLOW_REDIS": f"redis://127.0.0.1:{redis_port}/0",
                    "DERMAFLOW_LISTEN": f"127.0.0.1:{free_port()}",
                    "DERMAFLOW_METRICS_LISTEN": f"127.0.0.1:{free_port()}",
                    "DERMAFLOW_HEALTH_LISTEN": f"127.0.0.1:{health}"})
        env.pop("DERMAFLOW_REDIS_PASSWORD", None)
        if env.get("DERMAFLOW_SMS_REPLY_LISTEN"):
            env["DERMAFLOW_SMS_REPLY_LISTEN"] = f"127.0.0.1:{free_port()}"  # the reply endpoint, on loopback here
        for n in list(env):
            if n.endswith("_ADDR"):
                env[n] = "127.0.0.1:9"  # peers are dialed lazily; nothing listens there
        log_path = os.path.join(root, f"{comp}.log")
        os.makedirs(root, exist_ok=True)
        p = subprocess.Popen([os.path.join(bin_dir, c.BINARY[comp])], env=env, stdout=open(log_path, "w"),
                             stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(p)
        started.append((comp, p, health, log_path))
    for comp, p, health, log_path in started:
        end = time.time() + 15
        while time.time() < end and p.poll() is None and not port_open(health):
            time.sleep(0.1)
        time.sleep(1.0)  # still up a moment later: no late startup error
        log = open(log_path).read()
        if p.poll() is not None or not port_open(health):
            fail(f"{name} {comp}: did not start with the deploy configuration (exit {p.poll()}):\n{log[-1500:]}")
            continue
        lines = [json.loads(l) for l in log.splitlines() if l.startswith("{")]
        for message in LOG_NEVER.get(comp, []):
            if any(l.get("message") == message for l in lines):
                fail(f"{name} {comp}: logs {message!r} with the deploy configuration:\n{log[-1500:]}")
        if comp == "notification":
            for message, fields in notification_log_wants:
                fields = {f: v.replace("<root>", root) for f, v in fields.items()}
                if not any(l.get("message") == message and all(l.get(f) == v for f, v in fields.items()) for l in lines):
                    fail(f"{name} notification: no log line {message!r} with {fields}:\n{log[-1500:]}")
        print(f"{name}: {comp} started and serves health with the deploy configuration")
    for comp, p, _, _ in started:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def helm_objects(tool, values):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(values, f)
    r = c.run([tool, "-chart", c.CHART_DIR, "-name", "dermaflow", "-namespace", "clinics", "-f", f.name])
    os.unlink(f.name)
    if r.returncode != 0:
        fail("helm render failed: " + r.stderr)
        return []
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def main():
    bin_dir, render_dir = sys.argv[1], sys.argv[2]
    for s in c.SERVICES:
        if not os.access(os.path.join(bin_dir, c.BINARY[s]), os.X_OK):
            print(f"FAIL {os.path.join(bin_dir, c.BINARY[s])} not built")
            return 1
    os.makedirs(render_dir, exist_ok=True)
    helmrender = hr.build(render_dir)
    tmp = tempfile.mkdtemp(prefix="dermaflow-wiring-")
    try:
        secrets = make_material(tmp)
        redis_port = free_port()
        redis = subprocess.Popen([c.tool("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
                                  "--dir", tmp, "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(redis)
        end = time.time() + 10
        while time.time() < end and not port_open(redis_port):
            time.sleep(0.1)
        # 1. The chart's default values plus the documented Secrets and channels
        #    (ci/production-values.yaml's notification block), single IdP key.
        prod = yaml.safe_load(open(os.path.join(c.CHART_DIR, "ci", "production-values.yaml")))
        values = {"notification": {"email": prod["notification"]["email"], "sms": prod["notification"]["sms"]}}
        run_set("helm defaults + SMTP + Twilio + SMS replies", helm_objects(helmrender, values), bin_dir, tmp, secrets,
                redis_port,
                [("smtp channel", {"tls": "starttls", "auth": "yes", "ca": "system"}),
                 ("sms channel", {"provider": "twilio"}), ("receiving SMS replies", {})])
        # 2. The other choices: smtps:// with a private CA, the signed webhook.
        other = yaml.safe_load(open(os.path.join(c.CHART_DIR, "ci", "jwks-file-webhook-values.yaml")))
        values = {"notification": other["notification"]}
        run_set("helm smtps + CA + webhook + SMS replies", helm_objects(helmrender, values), bin_dir, tmp, secrets,
                redis_port,
                [("smtp channel", {"tls": "implicit", "ca": "<root>/etc/dermaflow/smtp-ca/ca.crt"}),
                 ("sms channel", {"provider": "webhook"}), ("receiving SMS replies", {})])
        # 3. The kustomize prod overlay, TLS off (no certificates here) and the
        #    JWKS URL swapped for the single IdP key (no network here).
        r = c.run([c.tool("kubectl"), "kustomize", os.path.join(c.REPO, "deploy", "k8s", "overlays", "prod")])
        objs = [d for d in yaml.safe_load_all(r.stdout) if d]
        for o in objs:
            if o["kind"] == "ConfigMap" and "DERMAFLOW_JWT_JWKS_URL" in o.get("data", {}):
                data = o["data"]
                for n in [n for n in data if n.startswith("DERMAFLOW_TLS_")] + ["DERMAFLOW_JWT_JWKS_URL"]:
                    data.pop(n)
                data["DERMAFLOW_JWT_RS256_PUBLIC_KEY_FILE"] = "/etc/dermaflow/jwt/public.pem"
            if o["kind"] == "Deployment":
                ps = o["spec"]["template"]["spec"]
                ps["volumes"].append({"name": "jwt", "secret": {"secretName": "dermaflow-jwt", "items": [
                    {"key": "public.pem", "path": "public.pem"}]}})
                ps["containers"][0]["volumeMounts"].append({"name": "jwt", "mountPath": "/etc/dermaflow/jwt",
                                                            "readOnly": True})
        run_set("kustomize prod", objs, bin_dir, tmp, secrets, redis_port,
                [("smtp channel", {"tls": "starttls", "auth": "yes"}), ("sms channel", {"provider": "twilio"}),
                 ("receiving SMS replies", {})])
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print("deploy wiring: the chart and the prod overlay start all four binaries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
