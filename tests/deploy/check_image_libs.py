#!/usr/bin/env python3
"""The runtime stage of deploy/docker/Dockerfile installs every shared library
the built binaries load, and nothing for building: `ldd` on each binary,
`dpkg -S` to the Debian package owning each library, and that package must be
in the runtime stage's apt-get list, a dependency of one of those, or part
of every Debian image (Essential packages and apt's dependencies). The
build machine is the same Debian release as the image (bookworm), so the
package names are the image's.

Usage: check_image_libs.py BIN_DIR
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract as c  # noqa: E402

DOCKERFILE = os.path.join(c.REPO, "deploy", "docker", "Dockerfile")
problems = []


def runtime_packages():
    text = open(DOCKERFILE).read().replace("\\\n", " ")
    stages = re.split(r"(?im)^FROM\s+", text)
    runtime = [s for s in stages if re.match(r"\S+\s+AS\s+runtime\b", s, re.I)]
    if not runtime:
        sys.exit("FAIL: no `FROM ... AS runtime` stage in deploy/docker/Dockerfile")
    pkgs = []
    for m in re.finditer(r"apt-get install\s+([^&;]*)", runtime[0]):
        pkgs += [w for w in m.group(1).split() if not w.startswith("-")]
    return pkgs, runtime[0]


_DB = None


def dpkg_db():
    """Installed packages: name -> (depends, essential), from one dpkg-query."""
    global _DB
    if _DB is None:
        out = c.run(["dpkg-query", "-W", "-f=${Package}\t${db:Status-Status}\t${Depends}, ${Pre-Depends}\t${Essential}\n"]).stdout
        _DB = {}
        for line in out.splitlines():
            name, status, deps, essential = (line.split("\t") + ["", "", ""])[:4]
            if status == "installed":
                _DB[name] = (deps, essential == "yes")
    return _DB


def closure(pkgs):
    db = dpkg_db()
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop().split(":")[0]
        if p in seen or p not in db:
            continue
        seen.add(p)
        for alt in db[p][0].split(","):
            for choice in alt.split("|"):
                name = choice.strip().split(" ")[0].split(":")[0]
                if name in db:
                    todo.append(name)
    return seen


def owners(libs):
    """Debian package owning each library path, from one `dpkg -S` call
    (merged /usr: dpkg may know a file under /lib or /usr/lib)."""
    cands = {}
    for lib in libs:
        paths = {lib, os.path.realpath(lib)}
        for p in list(paths):
            paths.add(p[len("/usr"):] if p.startswith("/usr/lib/") else "/usr" + p if p.startswith("/lib") else p)
        cands[lib] = paths
    allpaths = sorted(set().union(*cands.values())) if cands else []
    found = {}
    for line in c.run(["dpkg", "-S"] + allpaths).stdout.splitlines():
        pkg, _, path = line.partition(": ")
        found[path.strip()] = pkg.split(",")[0].split(":")[0].strip()
    return {lib: next((found[p] for p in paths if p in found), None) for lib, paths in cands.items()}


def main():
    bin_dir = sys.argv[1]
    pkgs, stage = runtime_packages()
    print(f"runtime stage installs: {' '.join(pkgs)}")
    for p in pkgs:
        if p.endswith("-dev") or p in ("build-essential", "cmake", "ninja-build", "npm", "nodejs"):
            problems.append(f"runtime stage installs build-time package {p}")
        if p not in dpkg_db():
            problems.append(f"runtime package {p} is not a Debian package on this (bookworm) machine: wrong name?")
    for p in ("tzdata", "ca-certificates"):
        if p not in pkgs:
            problems.append(f"runtime stage lacks {p}")
    if not re.search(r"(?m)^USER\s+[1-9][0-9]*", stage):
        problems.append("runtime stage does not switch to a numeric non-root USER")
    essential = [n for n, (_, ess) in dpkg_db().items() if ess]
    available = closure(pkgs) | closure(essential + ["apt"])
    binaries = [c.BINARY[s] for s in c.SERVICES] + [c.CLI]
    for b in binaries:
        path = os.path.join(bin_dir, b)
        if not os.path.exists(path):
            problems.append(f"{path} not built")
            continue
        r = c.run(["ldd", path])
        if r.returncode != 0:
            problems.append(f"ldd {b} failed: {(r.stdout + r.stderr).strip()}")
            continue
        libs = []
        for line in r.stdout.splitlines():
            m = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)", line)
            if m:
                libs.append(m.group(1))
        if not libs:
            problems.append(f"{b}: ldd lists no shared libraries")
        for lib, pkg in owners(libs).items():
            if pkg is None:
                problems.append(f"{b}: {lib} belongs to no Debian package (built locally?)")
            elif pkg not in available:
                problems.append(f"{b}: needs {lib} from {pkg}, which the runtime stage does not install")
        if "COPY --from=build" not in stage or b not in open(DOCKERFILE).read():
            problems.append(f"the Dockerfile does not ship {b}")
    if problems:
        print("\n".join("FAIL " + p for p in problems))
        return 1
    print(f"image: the runtime stage provides every shared library of {', '.join(binaries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
