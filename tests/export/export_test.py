#!/usr/bin/env python3
"""export_test.py: the take-home scripts of `nnplay export` train what `nnplay train` trains.

Run as ctest does:
  /usr/bin/python3 tests/export/export_test.py --cli build/native/nnplay --rng-dump build/native/export_rng_dump

Checks, with Debian's python3, python3-numpy and python3-torch:
  1. The Python port of nnplay's generator in the scripts (class Rng) gives the C++ generator's
     draws, bounded draws and shuffles on fixed seeds (export_rng_dump prints the C++ side), and the
     NumPy and PyTorch scripts carry the same port.
  2. For each config of CONFIGS (every optimizer, Nesterov included; every loss; L2; short last
     batches; shuffle on and off; relu, leaky relu, tanh and sigmoid networks; engineered features;
     a CSV; the seed preset), both exported scripts print the same lines as `nnplay train`: the same
     epochs and fields, null where nnplay has null, `loss` and `test_loss` within 1e-4 relative,
     accuracies within one sample (reported when not exactly equal). Both exports share their data,
     weights and config files byte for byte. A case with L1 joins where the core has the "l1" field.
  3. The NumPy script of the seed preset prints the reference network's "Epoch e, Loss: x" lines
     exactly as `nnplay train --print reference` does (PyTorch's too).
The NumPy scripts run as `python3 DIR/train.py`, one process each. Importing torch takes seconds, so
the PyTorch scripts run in this process, one after another, each as __main__ (runpy), with its
output captured: what `python3 DIR/train.py` would print.
Exit status 0 when all checks pass, 1 otherwise (with the reasons).
"""
import argparse
import contextlib
import importlib.util
import io
import json
import os
import runpy
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOLERANCE = 1e-4


def layers(*spec):
    return [{"units": u, "activation": a} for u, a in spec]


def small_csv():
    """40 rows, two numeric columns and a text label of 3 classes."""
    rows = ["width,height,kind"]
    for i in range(40):
        k = i % 3
        rows.append("%.2f,%.2f,%s" % (k + 0.37 * ((i * 7) % 5), 2 * k - 0.29 * ((i * 3) % 7), "abc"[k]))
    return "\n".join(rows) + "\n"


CONFIGS = {
    # m = 320 in 32 full batches; the default network (tanh, tanh, sigmoid + bce), shuffled.
    "xor-tanh-sgd-bce": {"epochs": 20},
    # m = 240 = 7 x 32 + 16: a short last batch; L2; shuffled.
    "spiral-relu-momentum-cce-l2": {
        "dataset": {"name": "spiral", "arms": 3, "samples": 300}, "network": {"layers": layers((16, "relu"), (3, "softmax"))},
        "loss": "cce", "init": "he_normal", "optimizer": {"name": "momentum", "learning_rate": 0.05, "momentum": 0.9},
        "batch_size": 32, "l2": 0.001, "seed": 3, "epochs": 20},
    # m = 200 = 6 x 30 + 20, not shuffled; Nesterov; L2.
    "circle-relu-nesterov-bce-noshuffle": {
        "dataset": {"name": "circle", "samples": 250}, "network": {"layers": layers((8, "relu"), (8, "relu"), (1, "sigmoid"))},
        "loss": "bce", "init": "he_uniform",
        "optimizer": {"name": "momentum", "learning_rate": 0.02, "momentum": 0.8, "nesterov": True},
        "batch_size": 30, "l2": 0.01, "shuffle": False, "epochs": 20},
    # Adam on engineered features, 2-class softmax.
    "moons-leaky-adam-cce-features": {
        "dataset": {"name": "moons", "samples": 300, "noise": 0.2, "seed": 7},
        "network": {"features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"],
                    "layers": layers((12, "leaky_relu"), (2, "softmax"))},
        "loss": "cce", "optimizer": {"name": "adam", "learning_rate": 0.01}, "batch_size": 16, "epochs": 20},
    # Regression, m = 160 = 22 x 7 + 6; Adam with other betas and epsilon; L2.
    "sine-tanh-adam-mse-l2": {
        "dataset": {"name": "sine", "samples": 200, "noise": 0.05}, "network": {"layers": layers((16, "tanh"), (1, "linear"))},
        "loss": "mse", "optimizer": {"name": "adam", "learning_rate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6},
        "batch_size": 7, "l2": 0.0005, "epochs": 20},
    # Full batch, no test split, a tanh output with mse, raw (unstandardised) inputs.
    "plane-sigmoid-sgd-mse-fullbatch": {
        "dataset": {"name": "plane", "samples": 300, "standardize": False, "test_ratio": 0},
        "network": {"layers": layers((6, "sigmoid"), (1, "tanh"))}, "loss": "mse",
        "optimizer": {"name": "sgd", "learning_rate": 0.1}, "batch_size": 0, "shuffle": False, "epochs": 20},
    # mse on a sigmoid output for classification, momentum; m = 160 = 6 x 25 + 10.
    "gaussians-tanh-momentum-mse-classes": {
        "dataset": {"name": "gaussians", "samples": 200, "noise": 1.0}, "network": {"layers": layers((4, "tanh"), (1, "sigmoid"))},
        "loss": "mse", "init": "xavier_normal", "optimizer": {"name": "momentum", "learning_rate": 0.1},
        "batch_size": 25, "epochs": 20},
    # A CSV with a text label column: 30 training rows in batches of 8 (the last of 6).
    "csv-tanh-sgd-cce": {
        "dataset": {"name": "csv", "csv": small_csv(), "test_ratio": 0.25},
        "network": {"layers": layers((6, "tanh"), (3, "softmax"))}, "loss": "cce",
        "optimizer": {"name": "sgd", "learning_rate": 0.1}, "batch_size": 8, "epochs": 20},
}


class Failures(list):
    def check(self, ok, message):
        if not ok:
            self.append(message)
        return ok


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    if proc.returncode != 0:
        raise SystemExit("export_test: `%s` failed (exit %d): %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def import_script(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # main() runs only as __main__
    return module


def rng_section(path):
    """The text of the generator port in a script."""
    text = open(path).read()
    start = text.index("# ---- nnplay's random generator")
    return text[start:text.index("\n# ----", start + 1)]


def check_rng(rng_dump, numpy_script, torch_script, failures):
    Rng = import_script(numpy_script, "exported_numpy").Rng
    cases = [json.loads(line) for line in run([rng_dump]).splitlines()]
    for case in cases:
        rng = Rng(case["seed"])
        u32 = [rng.next_u32() for _ in range(16)]
        below = [rng.below(n) for n in (1, 2, 3, 7, 10, 255, 1000, 65537, 2147483649, 3000000000, 4294967295) for _ in range(3)]
        shuffles = []
        for n in (10, 10, 300):
            order = list(range(n))
            rng.shuffle(order)
            shuffles.append(order)
        failures.check(u32 == case["u32"], "Rng(%d).next_u32: %s, C++ %s" % (case["seed"], u32[:4], case["u32"][:4]))
        failures.check(below == case["below"], "Rng(%d).below: %s, C++ %s" % (case["seed"], below, case["below"]))
        failures.check(shuffles == case["shuffles"], "Rng(%d).shuffle differs from C++" % case["seed"])
    failures.check(rng_section(numpy_script) == rng_section(torch_script), "the two scripts carry different Rng ports")
    print("rng port: %d seeds, 16 draws, 33 bounded draws and 3 shuffles each, against the C++ generator" % len(cases))


def run_torch_script(path, args=()):
    """`python3 path *args` in this process (torch is imported once): returns its stdout."""
    out = io.StringIO()
    saved_argv = sys.argv
    sys.argv = [path] + list(args)
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = saved_argv
    return out.getvalue()


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-12)


def compare(name, script, got_text, want_text, m_train, m_test, failures):
    """Returns the largest relative loss difference; records every disagreement."""
    got = [json.loads(line) for line in got_text.splitlines()]
    want = [json.loads(line) for line in want_text.splitlines()]
    where = "%s, %s" % (name, script)
    if not failures.check(len(got) == len(want), "%s: %d lines, nnplay %d" % (where, len(got), len(want))):
        return float("inf")
    worst, accuracy_notes = 0.0, []
    for g, w in zip(got, want):
        e = w["epoch"]
        failures.check(list(g) == list(w), "%s, epoch %d: fields %s, nnplay %s" % (where, e, list(g), list(w)))
        failures.check(g["epoch"] == e, "%s: epoch %s, nnplay %s" % (where, g["epoch"], e))
        for key in ("loss", "test_loss"):
            if w[key] is None or g[key] is None:
                failures.check(w[key] is None and g[key] is None, "%s, epoch %d: %s %s, nnplay %s" % (where, e, key, g[key], w[key]))
                continue
            r = relative(g[key], w[key])
            worst = max(worst, r)
            failures.check(r <= TOLERANCE, "%s, epoch %d: %s %.9g, nnplay %.9g (relative %.2e)" % (where, e, key, g[key], w[key], r))
        for key, m in (("accuracy", m_train), ("test_accuracy", m_test)):
            if w[key] is None or g[key] is None:
                failures.check(w[key] is None and g[key] is None, "%s, epoch %d: %s %s, nnplay %s" % (where, e, key, g[key], w[key]))
            elif g[key] != w[key]:
                accuracy_notes.append("epoch %d %s %.4f vs %.4f" % (e, key, g[key], w[key]))
                failures.check(abs(g[key] - w[key]) * m <= 1 + 1e-9,
                               "%s, epoch %d: %s %s, nnplay %s (more than one sample)" % (where, e, key, g[key], w[key]))
    note = ("; accuracy off by one sample: " + ", ".join(accuracy_notes)) if accuracy_notes else ""
    print("  %-8s %d epochs, max relative loss difference %.2e%s" % (script, len(got), worst, note))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="build/native/nnplay")
    parser.add_argument("--rng-dump", required=True, help="build/native/export_rng_dump")
    args = parser.parse_args()
    started = time.perf_counter()
    failures = Failures()
    configs = dict(CONFIGS)
    with open(os.path.join(ROOT, "tests", "oracle", "seed.json")) as f:
        configs["seed-preset"] = json.load(f)
    # L1 (config field "l1") where this core has it.
    probe = subprocess.run([args.cli, "train", "--config", "/dev/stdin"], input='{"l1":0.001,"epochs":1}',
                           capture_output=True, text=True, timeout=60)
    if probe.returncode == 0:
        configs["xor-relu-adam-bce-l1"] = {
            "dataset": {"name": "xor", "samples": 300}, "network": {"layers": layers((8, "relu"), (8, "relu"), (1, "sigmoid"))},
            "loss": "bce", "init": "he_normal", "optimizer": {"name": "adam", "learning_rate": 0.01},
            "batch_size": 20, "l1": 0.001, "l2": 0.001, "epochs": 20}
    else:
        print("l1: not a config field of this core (%s): no L1 case" % probe.stderr.strip())

    with tempfile.TemporaryDirectory(prefix="nnplay-export-") as tmp:
        runs = {}
        for name, config in configs.items():
            path = os.path.join(tmp, name + ".json")
            with open(path, "w") as f:
                json.dump(config, f)
            dirs = {s: os.path.join(tmp, name, s) for s in ("numpy", "pytorch")}
            for script, d in dirs.items():
                written = run([args.cli, "export", "--config", path, "--script", script, "--out", d]).split()
                failures.check(sorted(os.path.basename(p) for p in written) == ["config.json", "data.json", "init.json", "train.py"],
                               "%s: export wrote %s" % (name, written))
            for shared in ("data.json", "init.json", "config.json"):
                failures.check(open(os.path.join(dirs["numpy"], shared)).read() == open(os.path.join(dirs["pytorch"], shared)).read(),
                               "%s: the two exports' %s differ" % (name, shared))
            with open(os.path.join(dirs["numpy"], "data.json")) as f:
                data = json.load(f)
            runs[name] = (path, dirs, len(data["Y_train"]), len(data["Y_test"]))

        check_rng(args.rng_dump, os.path.join(runs["xor-tanh-sgd-bce"][1]["numpy"], "train.py"),
                  os.path.join(runs["xor-tanh-sgd-bce"][1]["pytorch"], "train.py"), failures)

        t0 = time.perf_counter()
        import torch  # noqa: F401  (once, for every PyTorch script below)
        torch.set_num_threads(1)
        print("torch %s imported in %.1f s" % (torch.__version__, time.perf_counter() - t0))
        import numpy
        print("numpy %s, python %s" % (numpy.__version__, sys.version.split()[0]))

        worst = 0.0
        for name, (path, dirs, m_train, m_test) in runs.items():
            want = run([args.cli, "train", "--config", path])
            print("%s (%d training, %d test samples):" % (name, m_train, m_test))
            numpy_out = run(["/usr/bin/python3", os.path.join(dirs["numpy"], "train.py")])
            worst = max(worst, compare(name, "numpy", numpy_out, want, m_train, m_test, failures))
            torch_out = run_torch_script(os.path.join(dirs["pytorch"], "train.py"))
            worst = max(worst, compare(name, "pytorch", torch_out, want, m_train, m_test, failures))

        path, dirs, _, _ = runs["seed-preset"]
        want = run([args.cli, "train", "--config", path, "--print", "reference"]).splitlines()
        numpy_ref = run(["/usr/bin/python3", os.path.join(dirs["numpy"], "train.py"), "--print", "reference"]).splitlines()
        torch_ref = run_torch_script(os.path.join(dirs["pytorch"], "train.py"), ["--print", "reference"]).splitlines()
        failures.check(len(want) == 10, "seed preset: nnplay printed %d reference lines, not 10" % len(want))
        failures.check(numpy_ref == want, "seed preset, numpy --print reference: %s, nnplay %s" % (numpy_ref, want))
        failures.check(torch_ref == want, "seed preset, pytorch --print reference: %s, nnplay %s" % (torch_ref, want))
        print("seed preset --print reference: nnplay, numpy and pytorch lines %s"
              % ("equal" if numpy_ref == want == torch_ref else "DIFFER"))

    print("export_test: %d configs x 2 scripts, largest relative loss difference %.2e (tolerance %g), %.1f s"
          % (len(runs), worst, TOLERANCE, time.perf_counter() - started))
    if failures:
        print("export_test: FAILED")
        for f in failures:
            print("  - " + f)
        return 1
    print("export_test: PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
