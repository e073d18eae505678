#!/usr/bin/env python3
"""Renders every kustomize overlay (and the base) with `kubectl kustomize`
and checks the objects a cluster would get (k8s_checks.py: probes,
resources, pod security, secrets only by reference, selectors that match,
flags the binaries know, one NetworkPolicy per service admitting exactly its
real callers); every Secret the overlays reference is explained in
docs/deploy.md.

Usage: check_kustomize.py   (exit 1 with a list of problems)
"""
import os
import sys

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
