#!/usr/bin/env python3
"""seed_oracle.py: the reference network of shared/reference/seed_network.md, in float64 NumPy, against
nnplay's CLI on the same initial weights and data.

Written from the reference's math (not from nnplay's code): X (m, n_in), one-hot Y (m, n_out),
  Z1 = X W1 + b1, A1 = relu(Z1); Z2 = A1 W2 + b2, A2 = softmax(Z2) (row max subtracted);
  dZ2 = A2 - Y; dW2 = A1^T dZ2 / m; db2 = colsum(dZ2) / m; dZ1 = dZ2 W2^T * [Z1 > 0];
  dW1 = X^T dZ1 / m; db1 = colsum(dZ1) / m; W2, b2 then W1, b1 -= lr * gradient (full batch);
  every 10th epoch it prints "Epoch {e}, Loss: {loss:.4f}", loss = -mean(Y * log(A2 + 1e-8)) over all
  m * n_out entries, of the forward pass of that epoch (before its update).

Run as ctest does:  /usr/bin/python3 tests/oracle/seed_oracle.py --cli build/native/nnplay
It runs `nnplay train --config tests/oracle/seed.json --save-init init.json --out final.json
--print reference` and `nnplay dataset --config tests/oracle/seed.json` (the network's inputs X and
one-hot targets Y as CSV, header x0..,y0..), trains 100 epochs of lr 0.01 from init.json here, and checks:
  1. every loss line the CLI prints equals the oracle's line, character for character;
  2. final weights (final.json) agree per tensor to 1e-5 in the metric
         max_ij |nnplay_ij - oracle_ij| / max_ij |oracle_ij|
     i.e. the largest deviation relative to the tensor's scale. nnplay trains in float32, whose
     rounding (about 6e-8 relative per operation) accumulates over 100 epochs in proportion to the
     weights' magnitude; an element-wise relative error would be dominated by entries that happen to
     be near 0 (biases start at 0). The element-wise error with an absolute floor of 1e-3 is printed
     too, for information.
Exit status 0 when all checks pass, 1 otherwise (with the reason), 2 on a usage or CLI error.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_CONFIG = os.path.join(HERE, "seed.json")
TOLERANCE = 1e-5


def die(message):
    """A usage or CLI problem: the comparison could not run."""
    print("seed_oracle: " + message, file=sys.stderr)
    sys.exit(2)


def run_cli(cli, args):
    proc = subprocess.run([cli] + args, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        die("`nnplay %s` failed (exit %d): %s" % (" ".join(args), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def load_dataset(csv_text):
    """The CLI's X and Y. X was printed with 9 significant digits from float32, so rounding each value
    to float32 recovers exactly the numbers nnplay's network sees."""
    lines = csv_text.strip().splitlines()
    header = lines[0].split(",")
    data = np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)
    x_cols = [i for i, h in enumerate(header) if h.startswith("x")]
    y_cols = [i for i, h in enumerate(header) if h.startswith("y")]
    X = data[:, x_cols].astype(np.float32).astype(np.float64)
    Y = data[:, y_cols]
    return X, Y


def load_layers(path):
    """(W, b) per layer from a model file: W as (inputs, outputs) rows, b per unit (model_io.h)."""
    with open(path) as f:
        model = json.load(f)
    if model.get("format") != "nnplay-model" or model.get("version") != 1:
        die("%s is not an nnplay-model version 1 file" % path)
    layers = []
    for layer in model["layers"]:
        layers.append((np.array(layer["W"], dtype=np.float64), np.array(layer["b"], dtype=np.float64).reshape(1, -1),
                       layer["activation"]))
    return model, layers


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def train_reference(X, Y, W1, b1, W2, b2, lr, epochs):
    """The reference network's training loop; returns the printed lines and the final weights."""
    m = X.shape[0]
    lines = []
    for epoch in range(epochs):
        # Forward.
        Z1 = X @ W1 + b1
        A1 = np.maximum(0, Z1)
        Z2 = A1 @ W2 + b2
        A2 = softmax(Z2)
        if epoch % 10 == 0:
            loss = -np.mean(Y * np.log(A2 + 1e-8))
            lines.append("Epoch {}, Loss: {:.4f}".format(epoch, loss))
        # Backward (softmax and cross-entropy fused).
        dZ2 = A2 - Y
        dW2 = A1.T @ dZ2 / m
        db2 = dZ2.sum(axis=0, keepdims=True) / m
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        dW1 = X.T @ dZ1 / m
        db1 = dZ1.sum(axis=0, keepdims=True) / m
        # Update: W2, b2, then W1, b1.
        W2 = W2 - lr * dW2
        b2 = b2 - lr * db2
        W1 = W1 - lr * dW1
        b1 = b1 - lr * db1
    return lines, (W1, b1, W2, b2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True, help="path to the native nnplay CLI (build/native/nnplay)")
    args = parser.parse_args()
    if not os.access(args.cli, os.X_OK):
        die("--cli %s is not an executable" % args.cli)
    with open(SEED_CONFIG) as f:
        config = json.load(f)
    lr, epochs = config["optimizer"]["learning_rate"], config["epochs"]
    failures = []

    with tempfile.TemporaryDirectory(prefix="nnplay-oracle-") as tmp:
        init_path, final_path = os.path.join(tmp, "init.json"), os.path.join(tmp, "final.json")
        cli_lines = run_cli(args.cli, ["train", "--config", SEED_CONFIG, "--save-init", init_path, "--out", final_path,
                                       "--print", "reference"]).strip().splitlines()
        X, Y = load_dataset(run_cli(args.cli, ["dataset", "--config", SEED_CONFIG]))
        init_model, init_layers = load_layers(init_path)
        _, final_layers = load_layers(final_path)

    # The network is the reference's: relu hidden layer, softmax output, cce, one-hot targets.
    (W1, b1, act1), (W2, b2, act2) = init_layers
    m, n_in = X.shape
    n_out = Y.shape[1]
    h = W1.shape[1]
    if (act1, act2, init_model["loss"]) != ("relu", "softmax", "cce"):
        failures.append("the network is %s/%s with %s, not relu/softmax with cce" % (act1, act2, init_model["loss"]))
    if W1.shape != (n_in, h) or W2.shape != (h, n_out) or b1.shape != (1, h) or b2.shape != (1, n_out):
        die("shapes do not fit: X %s, Y %s, W1 %s, W2 %s" % (X.shape, Y.shape, W1.shape, W2.shape))
    if m != config["dataset"]["samples"] or not np.all(Y.sum(axis=1) == 1):
        failures.append("the data is not %d one-hot rows" % config["dataset"]["samples"])
    # Reference initialisation: biases 0, W ~ N(0, 1) * sqrt(2 / n_in) (a loose check of the scale).
    if np.any(b1 != 0) or np.any(b2 != 0):
        failures.append("initial biases are not zero")
    for name, W in (("W1", W1), ("W2", W2)):
        ratio = W.std() / np.sqrt(2.0 / W.shape[0])
        if not 0.7 < ratio < 1.3:
            failures.append("initial %s has std %.4g, He normal wants %.4g" % (name, W.std(), np.sqrt(2.0 / W.shape[0])))

    oracle_lines, final = train_reference(X, Y, W1, b1, W2, b2, lr, epochs)

    print("seed_oracle: %d samples, %d -> %d (relu) -> %d (softmax), lr %g, %d epochs, float64 NumPy %s"
          % (m, n_in, h, n_out, lr, epochs, np.__version__))
    print("%-26s %-26s" % ("oracle", "nnplay"))
    for i in range(max(len(oracle_lines), len(cli_lines))):
        o = oracle_lines[i] if i < len(oracle_lines) else "(none)"
        c = cli_lines[i] if i < len(cli_lines) else "(none)"
        print("%-26s %-26s %s" % (o, c, "" if o == c else "<- differs"))
        if o != c:
            failures.append("loss line %d: oracle %r, nnplay %r" % (i, o, c))

    names = ("W1", "b1", "W2", "b2")
    got = (final_layers[0][0], final_layers[0][1], final_layers[1][0], final_layers[1][1])
    print("final weights, max |nnplay - oracle| / max |oracle| per tensor (tolerance %g):" % TOLERANCE)
    for name, a, b in zip(names, got, final):
        if a.shape != b.shape:
            failures.append("%s: shape %s, oracle %s" % (name, a.shape, b.shape))
            continue
        scale_err = np.max(np.abs(a - b)) / np.max(np.abs(b))
        elem_err = np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-3))
        ok = scale_err <= TOLERANCE
        print("  %-2s %s  %.3e   (element-wise, floor 1e-3: %.3e)  %s"
              % (name, "x".join(map(str, b.shape)), scale_err, elem_err, "ok" if ok else "FAIL"))
        if not ok:
            failures.append("%s: relative error %.3e above %g" % (name, scale_err, TOLERANCE))
    # Training moved the weights far more than the tolerance, so agreeing is not agreeing on the start.
    moved = np.max(np.abs(final[2] - W2)) / np.max(np.abs(W2))
    if moved < 100 * TOLERANCE:
        failures.append("training hardly moved W2 (%.2e): the comparison would not be meaningful" % moved)

    if failures:
        print("seed_oracle: FAILED")
        for f in failures:
            print("  - " + f)
        return 1
    print("seed_oracle: PASSED (%d loss lines equal, 4 tensors within %g)" % (len(oracle_lines), TOLERANCE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
