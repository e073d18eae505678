"""Checks on rendered Kubernetes objects, shared by the kustomize overlays
(check_kustomize.py) and the Helm chart rendered by helmrender
(check_helm_render.py): probes, resources, pod security, secrets only by
reference, selectors that match, flags the binaries know, peers that lead to
the right Service, and one NetworkPolicy per service admitting exactly its
real callers.

check_objects(where, objects, ...) appends to `problems`.
"""
import contract as c

problems = []


def fail(where, msg):
    problems.append(f"{where}: {msg}")


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def pod_spec(obj):
    return obj["spec"] if obj["kind"] == "Pod" else obj["spec"]["template"]["spec"]


def pod_labels_of(obj):
    return obj["metadata"].get("labels", {}) if obj["kind"] == "Pod" else obj["spec"]["template"]["metadata"].get("labels", {})


def check_workload(where, obj, configmaps, is_dermaflow, component):
    if obj["kind"] != "Pod":
        sel = obj["spec"].get("selector", {}).get("matchLabels", {})
        tpl_labels = pod_labels_of(obj)
        if not matches(sel, tpl_labels):
            fail(where, f"selector {sel} does not match the pod labels {tpl_labels}")
    ps = pod_spec(obj)
    long_running = obj["kind"] != "Pod"
    psc = ps.get("securityContext", {})
    if ps.get("automountServiceAccountToken") is not False:
        fail(where, "automountServiceAccountToken must be false (the services never call the API)")
    for ctr in ps.get("containers", []) + ps.get("initContainers", []):
        cw = f"{where} container {ctr['name']}"
        image = ctr.get("image", "")
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
        if not tag or tag == "latest":
            fail(cw, f"image '{image}' needs a fixed tag")
        csc = ctr.get("securityContext", {})
        if not (csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True):
            fail(cw, "runAsNonRoot must be true")
        uid = csc.get("runAsUser", psc.get("runAsUser"))
        if uid is not None and uid == 0:
            fail(cw, "runAsUser 0")
        if csc.get("readOnlyRootFilesystem") is not True:
            fail(cw, "readOnlyRootFilesystem must be true")
        if csc.get("allowPrivilegeEscalation") is not False:
            fail(cw, "allowPrivilegeEscalation must be false")
        if "ALL" not in (csc.get("capabilities", {}).get("drop") or []):
            fail(cw, "capabilities.drop must contain ALL")
        if csc.get("capabilities", {}).get("add"):
            fail(cw, "adds capabilities")
        if csc.get("privileged"):
            fail(cw, "privileged")
        res = ctr.get("resources", {})
        for kind, keys in (("requests", ("cpu", "memory")), ("limits", ("memory",))):
            for k in keys:
                if k not in res.get(kind, {}):
                    fail(cw, f"resources.{kind}.{k} not set")
        ports = {p.get("name"): p["containerPort"] for p in ctr.get("ports", [])}
        for pname in ("readinessProbe", "livenessProbe"):
            probe = ctr.get(pname)
            if not probe:
                if long_running:
                    fail(cw, f"no {pname}")
                continue
            for handler in ("grpc", "tcpSocket", "httpGet"):
                if handler in probe and not is_int(probe[handler].get("port")):
                    fail(cw, f"{pname}.{handler}.port must be a number, not {probe[handler].get('port')!r}")
            if is_dermaflow:
                if "grpc" not in probe:
                    fail(cw, f"{pname} must be a native gRPC probe")
                elif probe["grpc"]["port"] not in ports.values():
                    fail(cw, f"{pname} port {probe['grpc']['port']} is not a container port")
        for e in ctr.get("env", []):
            check_env_var(cw, e)
        if is_dermaflow:
            check_dermaflow_container(cw, ctr, configmaps, component, ports)


SECRETISH = ("PASSWORD", "SECRET", "TOKEN", "_KEY")


def looks_secret(name, value):
    """A secret-sounding variable with a literal value that is not a file path."""
    return (any(s in name.upper() for s in SECRETISH) and not name.endswith("_FILE")
            and not (isinstance(value, str) and value.startswith("/")))


def check_env_var(where, e):
    name = e["name"]
    if "value" in e and looks_secret(name, e["value"]):
        fail(where, f"{name} has an inline value; take it from a Secret (valueFrom.secretKeyRef)")


def optional_ports(component, env):
    """{port name: flag} of the optional HTTP ports this environment opens."""
    return {n: f for n, f in c.OPTIONAL_HTTP_PORTS.get(component, {}).items() if env.get(c.env_name(f))}


def callees_of(component, env):
    """The services a container with this environment calls: the contract's,
    plus the optional ones whose flag is set."""
    return list(c.CALLEES[component]) + [x for x, f in c.OPTIONAL_CALLEES[component].items()
                                         if env.get(c.env_name(f))]


def check_dermaflow_container(where, ctr, configmaps, component, ports):
    cmd = ctr.get("command") or []
    if cmd[:1] != [c.BINARY[component]]:
        fail(where, f"command {cmd} should start the {c.BINARY[component]} binary")
    env = {}
    for ref in ctr.get("envFrom", []):
        cm = ref.get("configMapRef", {}).get("name")
        if cm is not None:
            if cm not in configmaps:
                fail(where, f"envFrom ConfigMap '{cm}' is not in the rendered output")
            else:
                env.update(configmaps[cm])
        if "secretRef" in ref:
            env.update({"<secretRef>": ref["secretRef"].get("name")})
    for e in ctr.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    known = {c.env_name(f) for f in c.flags_of(component)}
    for name in env:
        if name.startswith("DERMAFLOW_") and name not in known:
            fail(where, f"{name} is no flag of {c.BINARY[component]} (silently ignored)")
    for callee in c.CALLEES[component]:
        key = c.env_name(f"{callee}_addr")
        if key not in env:
            fail(where, f"{key} missing: {component} calls {callee}")
    redis = env.get("DERMAFLOW_REDIS", "")
    if not isinstance(redis, str) or not c.REDIS_URL.match(redis):
        fail(where, f"DERMAFLOW_REDIS {redis!r}: want redis://host:port/db, "
                    "redis+sentinel://host:port,.../<master name>/db or redis+cluster://host:port,...; "
                    "password only from a Secret")
    pw = env.get("DERMAFLOW_REDIS_PASSWORD")
    if pw is not None and not (isinstance(pw, dict) and "secretKeyRef" in pw):
        fail(where, "DERMAFLOW_REDIS_PASSWORD must come from secretKeyRef")
    for flag, port_name, default in (("listen", "grpc", c.GRPC_PORT[component]),
                                     ("metrics_listen", "metrics", c.METRICS_PORT[component])):
        val = env.get(c.env_name(flag))
        if not isinstance(val, str) or ":" not in val:
            fail(where, f"{c.env_name(flag)} must be set to host:port")
            continue
        port = int(val.rsplit(":", 1)[1])
        if ports.get(port_name) != port:
            fail(where, f"{c.env_name(flag)} port {port} is not containerPort '{port_name}' ({ports.get(port_name)})")
        if port != default:
            fail(where, f"{c.env_name(flag)} port {port}, contract says {default}")
    for callee, flag in c.OPTIONAL_CALLEES[component].items():
        key, on = c.env_name(f"{callee}_addr"), env.get(c.env_name(flag))
        if on and key not in env:
            fail(where, f"{key} missing: with {c.env_name(flag)} set, {component} calls {callee}")
        elif key in env and not on:
            fail(where, f"{key} set without {c.env_name(flag)}: {component} does not call {callee} then")
    for port_name, flag in optional_ports(component, env).items():
        val = env.get(c.env_name(flag))
        if not isinstance(val, str) or ":" not in val:
            fail(where, f"{c.env_name(flag)} must be host:port")
        elif ports.get(port_name) != int(val.rsplit(":", 1)[1]):
            fail(where, f"{c.env_name(flag)}={val} is not containerPort '{port_name}' ({ports.get(port_name)})")
    for port_name in set(c.OPTIONAL_HTTP_PORTS.get(component, {})) - set(optional_ports(component, env)):
        if port_name in ports:
            fail(where, f"containerPort '{port_name}' although {c.env_name(c.OPTIONAL_HTTP_PORTS[component][port_name])} "
                        "is not set: nothing listens there")
    health = env.get("DERMAFLOW_HEALTH_LISTEN")
    if not isinstance(health, str):
        fail(where, "DERMAFLOW_HEALTH_LISTEN must be set: the probes use the plaintext health port")
    else:
        hport = int(health.rsplit(":", 1)[1])
        for pname in ("readinessProbe", "livenessProbe"):
            p = ctr.get(pname, {}).get("grpc", {}).get("port")
            if p is not None and p != hport:
                fail(where, f"{pname} probes port {p}, but --health_listen is {health}")
    if env.get("DERMAFLOW_TLS_CERT") and not env.get("DERMAFLOW_TLS_KEY"):
        fail(where, "TLS cert without key")
    return env


def check_objects(where0, objs, strict, extra_components=(), require_service_monitor=False,
                  require_network_policies=True):
    """Checks one rendered set of objects. strict: a full install (all four
    services, HPAs, one NetworkPolicy each); extra_components: dermaflow pods
    that are not services (the chart's test pod)."""
    by_kind = {}
    for o in objs:
        by_kind.setdefault(o["kind"], []).append(o)
    configmaps = {o["metadata"]["name"]: o.get("data", {}) for o in by_kind.get("ConfigMap", [])}
    for s in by_kind.get("Secret", []):
        fail(f"{where0} Secret {s['metadata']['name']}",
             "Secrets are created in the cluster, never rendered from the repo (no inline secret data)")
    for cm_name, data in configmaps.items():
        for k, v in data.items():
            if looks_secret(k, v):
                fail(f"{where0} ConfigMap {cm_name}", f"{k} looks like a secret in a ConfigMap")
    workloads = [o for o in objs if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Pod")]
    deployments = {}
    for o in workloads:
        labels = pod_labels_of(o)
        comp = labels.get("app.kubernetes.io/component")
        is_df = labels.get("app.kubernetes.io/name") == "dermaflow" and comp not in extra_components
        if is_df and comp not in c.SERVICES:
            fail(f"{where0} {o['metadata']['name']}", f"unknown component {comp}")
            continue
        if is_df:
            deployments[comp] = o
        if strict:
            check_workload(f"{where0} {o['kind']} {o['metadata']['name']}", o, configmaps, is_df, comp)
    if strict and sorted(deployments) != sorted(c.SERVICES):
        fail(where0, f"Deployments for {sorted(deployments)}, want all of {c.SERVICES}")
    pod_labels = {o["metadata"]["name"]: pod_labels_of(o) for o in workloads if o["kind"] != "Pod"}

    def selected(selector):
        return [n for n, l in pod_labels.items() if matches(selector, l)]

    services = {o["metadata"]["name"]: o for o in by_kind.get("Service", [])}
    for sname, svc in services.items():
        w = f"{where0} Service {sname}"
        hit = selected(svc["spec"].get("selector", {}))
        if len(hit) != 1:
            fail(w, f"selector matches {hit}, want exactly one workload")
            continue
        wl = next(o for o in workloads if o["metadata"]["name"] == hit[0])
        cports = {}
        for ctr in pod_spec(wl)["containers"]:
            for p in ctr.get("ports", []):
                cports[p.get("name")] = p["containerPort"]
        for p in svc["spec"]["ports"]:
            tp = p.get("targetPort", p["port"])
            if tp not in cports and tp not in cports.values():
                fail(w, f"targetPort {tp} is no container port of {hit[0]}")
    envs = {comp: container_env(dep, configmaps) for comp, dep in deployments.items()}
    for comp, dep in deployments.items():
        env = envs[comp]
        for callee in callees_of(comp, env):
            if callee not in deployments:
                fail(f"{where0} {dep['metadata']['name']}", f"calls {callee}, which is not deployed")
                continue
            addr = env.get(c.env_name(f"{callee}_addr"), "")
            host, _, port = addr.rpartition(":")
            svc = services.get(host.split(".")[0])
            if not svc or int(port or 0) not in [p["port"] for p in svc["spec"]["ports"]]:
                fail(f"{where0} {dep['metadata']['name']}", f"{callee} address {addr!r} is no rendered Service port")
            elif not matches(svc["spec"]["selector"], pod_labels[deployments[callee]["metadata"]["name"]]):
                fail(f"{where0} {dep['metadata']['name']}", f"{addr} does not lead to {callee}")
        # An optional HTTP port that is open is reachable through a Service.
        for port_name, flag in optional_ports(comp, env).items():
            cport = next((p["containerPort"] for p in pod_spec(dep)["containers"][0].get("ports", [])
                          if p.get("name") == port_name), None)
            if not any(matches(s["spec"].get("selector", {}), pod_labels[dep["metadata"]["name"]])
                       and any(p.get("targetPort", p["port"]) in (port_name, cport) for p in s["spec"]["ports"])
                       for s in services.values()):
                fail(f"{where0} {dep['metadata']['name']}",
                     f"{c.env_name(flag)} is set, but no Service port leads to containerPort '{port_name}'")
    for kind in ("PodDisruptionBudget",):
        for o in by_kind.get(kind, []):
            hit = selected(o["spec"]["selector"].get("matchLabels", {}))
            if len(hit) != 1:
                fail(f"{where0} {kind} {o['metadata']['name']}", f"selects {hit}, want one workload")
    hpas = {}
    for o in by_kind.get("HorizontalPodAutoscaler", []):
        ref = o["spec"]["scaleTargetRef"]
        if ref["name"] not in pod_labels:
            fail(f"{where0} HPA {o['metadata']['name']}", f"targets missing {ref['kind']} {ref['name']}")
        hpas[ref["name"]] = o
        if o["spec"]["minReplicas"] > o["spec"]["maxReplicas"]:
            fail(f"{where0} HPA {o['metadata']['name']}", "minReplicas > maxReplicas")
    if strict:
        for comp, dep in deployments.items():
            if dep["metadata"]["name"] not in hpas and "replicas" not in dep["spec"]:
                fail(f"{where0} {dep['metadata']['name']}", "neither an HPA nor replicas")
    check_network_policies(where0, by_kind.get("NetworkPolicy", []), deployments, pod_labels,
                           strict and require_network_policies, extra_components, envs)
    for sm in by_kind.get("ServiceMonitor", []):
        w = f"{where0} ServiceMonitor {sm['metadata']['name']}"
        sel = sm["spec"]["selector"].get("matchLabels", {})
        hit = sorted(n for n, s in services.items() if matches(sel, s["metadata"].get("labels", {})))
        want = sorted(s["metadata"]["name"] for s in services.values()
                      if s["spec"]["selector"].get("app.kubernetes.io/name") == "dermaflow")
        if hit != want:
            fail(w, f"selects Services {hit}, want {want}")
        for ep in sm["spec"]["endpoints"]:
            for n in hit:
                if ep.get("port") not in [p.get("name") for p in services[n]["spec"]["ports"]]:
                    fail(w, f"endpoint port {ep.get('port')} is not a port of Service {n}")
        if sm["spec"].get("jobLabel") != "app.kubernetes.io/part-of":
            fail(w, "jobLabel must make job=\"dermaflow\" (the alerts rely on it)")
    if require_service_monitor and not by_kind.get("ServiceMonitor"):
        fail(where0, "no ServiceMonitor")
    return objs


def peer_component(peer):
    ml = peer.get("podSelector", {}).get("matchLabels", {}) if "podSelector" in peer else None
    if ml and ml.get("app.kubernetes.io/name") == "dermaflow":
        return ml.get("app.kubernetes.io/component", "<any dermaflow pod>")
    return None


def check_network_policies(where0, policies, deployments, pod_labels, strict, extra_components=(), envs=None):
    """envs: {component: env}; the optional callers and HTTP ports follow from
    the flags set there."""
    envs = envs or {}
    per_service = {}
    for np_ in policies:
        w = f"{where0} NetworkPolicy {np_['metadata']['name']}"
        spec = np_["spec"]
        if "Ingress" not in spec.get("policyTypes", ["Ingress"]):
            fail(w, "policyTypes must include Ingress")
        hit = [n for n, l in pod_labels.items() if matches(spec.get("podSelector", {}).get("matchLabels", {}), l)]
        comps = [comp for comp, d in deployments.items() if d["metadata"]["name"] in hit]
        if not hit:
            fail(w, "selects no pod")
        for rule in spec.get("ingress", []) or []:
            if not rule.get("from"):
                fail(w, "a rule without `from` admits everyone")
            if not rule.get("ports"):
                fail(w, "a rule without `ports` opens every port")
        if len(comps) > 1:
            fail(w, f"selects several services {comps}; want one policy per service")
        if len(comps) == 1:
            per_service.setdefault(comps[0], []).append(np_)
    if not strict:
        return
    for comp in c.SERVICES:
        nps = per_service.get(comp, [])
        if len(nps) != 1:
            fail(where0, f"{len(nps)} NetworkPolicies select {comp}, want exactly one")
            continue
        w = f"{where0} NetworkPolicy {nps[0]['metadata']['name']}"
        callers, metrics_peers, other_ports = set(), [], []
        env = envs.get(comp, {})
        http_ports = {int(env[c.env_name(f)].rsplit(":", 1)[1]): n for n, f in optional_ports(comp, env).items()}
        http_open = set()
        for rule in nps[0]["spec"].get("ingress", []):
            ports = [p.get("port") for p in rule.get("ports", [])]
            for port in ports:
                if port == c.GRPC_PORT[comp]:
                    for peer in rule.get("from", []):
                        pc = peer_component(peer)
                        if pc and pc not in extra_components:
                            callers.add(pc)
                elif port == c.METRICS_PORT[comp]:
                    metrics_peers.extend(rule.get("from", []))
                elif port in http_ports:
                    http_open.add(port)
                    for peer in rule.get("from", []):
                        if "namespaceSelector" not in peer or "podSelector" in peer:
                            fail(w, f"port {port} ({http_ports[port]}) admits {peer}; only the ingress "
                                    "controller's namespace may reach it")
                else:
                    other_ports.append(port)
        real = sorted(set(c.CALLERS[comp]) | {x for x, e in envs.items() if comp in callees_of(x, e)})
        if sorted(callers) != real:
            fail(w, f"admits gRPC from dermaflow {sorted(callers)}, but its real callers are {real}")
        for port in sorted(set(http_ports) - http_open):
            fail(w, f"port {port} ({http_ports[port]}) is open in the pod but admits nobody; the ingress "
                    "controller's namespace must reach it")
        if other_ports:
            fail(w, f"opens ports {other_ports} besides gRPC and metrics")
        if not metrics_peers or any(peer_component(p) not in (None,) + tuple(extra_components) for p in metrics_peers):
            fail(w, "metrics port must be open to Prometheus' namespace only")




# --- Production wiring: identity provider, service identity, channels -------
# Shared by the Helm render (default values plus the documented Secrets, and
# the ci/ values) and the kustomize prod overlay: what each binary gets.

def container_env(dep, configmaps):
    """Name -> value (str) or valueFrom (dict), ConfigMaps resolved."""
    ctr = pod_spec(dep)["containers"][0]
    env = {}
    for ref in ctr.get("envFrom", []):
        env.update(configmaps.get(ref.get("configMapRef", {}).get("name"), {}))
    for e in ctr.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    return env


def secret_files(dep):
    """path -> (Secret, key) for every file a Secret volume puts in the
    container; a Secret mounted without items gives (Secret, "*") for its
    directory."""
    ps = pod_spec(dep)
    volumes = {v["name"]: v for v in ps.get("volumes", [])}
    out = {}
    for m in ps["containers"][0].get("volumeMounts", []):
        sec = volumes.get(m["name"], {}).get("secret")
        if not sec:
            continue
        if m.get("readOnly") is not True:
            fail(f"{dep['metadata']['name']} volume {m['name']}", "Secret mounted without readOnly: true")
        items = sec.get("items")
        if not items:
            out[m["mountPath"].rstrip("/") + "/*"] = (sec["secretName"], "*")
        for it in items or []:
            out[f"{m['mountPath'].rstrip('/')}/{it['path']}"] = (sec["secretName"], it["key"])
    return out


def file_source(files, path):
    """(Secret, key) behind a *_FILE path, or None when no Secret holds it."""
    if not isinstance(path, str):
        return None
    if path in files:
        return files[path]
    d, _, key = path.rpartition("/")
    if f"{d}/*" in files:
        return (files[f"{d}/*"][0], key)
    return None


def secret_mode(dep, secret, key):
    """The file mode a Secret key is mounted with (the item's mode, else the
    volume's defaultMode, else Kubernetes' 0644), or None when not mounted."""
    ps = pod_spec(dep)
    mounted = {m["name"] for m in ps["containers"][0].get("volumeMounts", [])}
    for v in ps.get("volumes", []):
        sec = v.get("secret")
        if not sec or v["name"] not in mounted or sec.get("secretName") != secret:
            continue
        for it in sec.get("items") or []:
            if it["key"] == key:
                return it.get("mode", sec.get("defaultMode", 0o644))
        if not sec.get("items"):
            return sec.get("defaultMode", 0o644)
    return None


def visible_secret_keys(files):
    return set(files.values())


def check_wiring(where, objs, want):
    """want: the configuration the pods must get, e.g.
    {"idp": {"DERMAFLOW_JWT_JWKS_URL": "https://...", ...},      # every service
     "idp_files": {"DERMAFLOW_JWT_JWKS_FILE": ("dermaflow-jwt", "jwks.json")},
     "service_identity": ("dermaflow-service-identity", "service.pub", "service.key") or None,
                                     # public key: every service; private key: the
                                     # c.SERVICE_IDENTITY_SIGNERS only
     "notification": {"DERMAFLOW_SMTP_URL": "smtp://...", ...},  # notification only
     "notification_files": {"DERMAFLOW_SMTP_PASSWORD_FILE": ("dermaflow-smtp", "password"), ...},
     "notification_absent": ["DERMAFLOW_SMTP_URL", ...],
     "patient": {"DERMAFLOW_ERASURE_REWRITE_WITHIN": "15m"},       # patient only
     "all": {"DERMAFLOW_ORG_REQUEST_RATE": "20000"}}               # every service, not identity
    Returns {component: env} for further checks."""
    configmaps = {o["metadata"]["name"]: o.get("data", {}) for o in objs if o["kind"] == "ConfigMap"}
    deps = {}
    for o in objs:
        if o["kind"] == "Deployment":
            comp = pod_labels_of(o).get("app.kubernetes.io/component")
            if comp in c.SERVICES and pod_labels_of(o).get("app.kubernetes.io/name") == "dermaflow":
                deps[comp] = o
    if sorted(deps) != sorted(c.SERVICES):
        fail(where, f"wiring: Deployments for {sorted(deps)}, want {c.SERVICES}")
    si = want.get("service_identity")
    notification_only = dict(want.get("notification_files", {}))
    notification_secrets = {v for v in notification_only.values()}
    signers = " and ".join(c.SERVICE_IDENTITY_SIGNERS)
    envs = {}
    for comp, dep in sorted(deps.items()):
        w = f"{where} {comp}"
        env = container_env(dep, configmaps)
        envs[comp] = env
        files = secret_files(dep)
        seen = visible_secret_keys(files)
        # Secrets only as files or (the Redis password) a secretKeyRef.
        for name, val in env.items():
            if isinstance(val, dict) and "secretKeyRef" in val and name != "DERMAFLOW_REDIS_PASSWORD":
                fail(w, f"{name} takes a Secret's value into the environment; mount it and pass the *_FILE flag")
            if name.endswith("_FILE") and name.startswith("DERMAFLOW_") and val:
                if not any(val.startswith(m["mountPath"].rstrip("/") + "/")
                           for m in pod_spec(dep)["containers"][0].get("volumeMounts", [])):
                    fail(w, f"{name}={val!r} is in no mounted volume")
        for name, value in {**want.get("idp", {}), **want.get("all", {})}.items():
            if env.get(name) != value:
                fail(w, f"{name}={env.get(name)!r}, want {value!r}")
        for name in want.get("idp_absent", []):
            if env.get(name):
                fail(w, f"{name}={env.get(name)!r} set, want it unset")
        for name, src in want.get("idp_files", {}).items():
            got = file_source(files, env.get(name))
            if got != src:
                fail(w, f"{name}={env.get(name)!r} reads {got}, want Secret {src[0]} key {src[1]}")
        if si:
            got = file_source(files, env.get("DERMAFLOW_SERVICE_TOKEN_PUBLIC_KEY_FILE"))
            if got != (si[0], si[1]):
                fail(w, f"DERMAFLOW_SERVICE_TOKEN_PUBLIC_KEY_FILE reads {got}, want Secret {si[0]} key {si[1]}")
            if any(s == si[0] and k == "*" for s, k in seen):
                fail(w, f"Secret {si[0]} mounted whole: its private key would reach {comp}; mount with items")
            # The private half: the services that act on their own hold it
            # (readable by the pod's group alone); every other one is refused it.
            if comp in c.SERVICE_IDENTITY_SIGNERS:
                got = file_source(files, env.get("DERMAFLOW_SERVICE_TOKEN_KEY_FILE"))
                if got != (si[0], si[2]):
                    fail(w, f"DERMAFLOW_SERVICE_TOKEN_KEY_FILE={env.get('DERMAFLOW_SERVICE_TOKEN_KEY_FILE')!r} reads "
                            f"{got}, want Secret {si[0]} key {si[2]}: {comp} acts on its own and signs its calls")
                mode = secret_mode(dep, si[0], si[2])
                if mode is not None and mode & 0o007:
                    fail(w, f"Secret {si[0]} key {si[2]} mounted with mode {mode:#o}: private, want 0440")
            else:
                if (si[0], si[2]) in seen:
                    fail(w, f"sees Secret {si[0]} key {si[2]}, which only {signers} may read")
                if env.get("DERMAFLOW_SERVICE_TOKEN_KEY_FILE"):
                    fail(w, f"DERMAFLOW_SERVICE_TOKEN_KEY_FILE set: only {signers} sign their own calls")
        elif env.get("DERMAFLOW_SERVICE_TOKEN_PUBLIC_KEY_FILE") or env.get("DERMAFLOW_SERVICE_TOKEN_KEY_FILE"):
            fail(w, "service token flags set although no service identity is configured")
        if comp == "patient":
            for name, value in want.get("patient", {}).items():
                if env.get(name) != value:
                    fail(w, f"{name}={env.get(name)!r}, want {value!r}")
        if comp == "notification":
            for name, value in want.get("notification", {}).items():
                if env.get(name) != value:
                    fail(w, f"{name}={env.get(name)!r}, want {value!r}")
            for name in want.get("notification_absent", []):
                if env.get(name):
                    fail(w, f"{name}={env.get(name)!r} set, want it unset (that channel only logs)")
            for name, src in notification_only.items():
                got = file_source(files, env.get(name))
                if got != src:
                    fail(w, f"{name}={env.get(name)!r} reads {got}, want Secret {src[0]} key {src[1]}")
        else:
            for s, k in sorted(seen):
                if (s, k) in notification_secrets or (k == "*" and any(s == ns for ns, _ in notification_secrets)):
                    fail(w, f"sees Secret {s} key {k}, which only notification may read")
            for name in env:
                if name.startswith(("DERMAFLOW_SMTP_", "DERMAFLOW_SMS_")):
                    fail(w, f"{name} set: only notification has it")
    return envs
