"""numpy_mlp.py: the reference NumPy network (/work/shared/reference/seed_network.md) as the
benchmark's W1 baseline: 784-128-10, relu + softmax/cross-entropy, He init, full-batch gradient
descent lr 0.01, 1,000 random samples. Prints one JSON line {"rates": [samples/s per repeat], ...}.
  python3 bench/numpy_mlp.py --dtype float64|float32 --reps 5 --epochs 100
Run it with OPENBLAS_NUM_THREADS=1 (one thread, as nnplay's CLI). Not a test oracle (tests/oracle is).
"""
import argparse
import json
import time

import numpy as np


def train(X, Y, W1, b1, W2, b2, epochs, lr):
    m = X.shape[0]
    for epoch in range(epochs):
        Z1 = X @ W1 + b1
        A1 = np.maximum(0, Z1)
        Z2 = A1 @ W2 + b2
        E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        A2 = E / E.sum(axis=1, keepdims=True)
        if epoch % 10 == 0:
            loss = -np.mean(Y * np.log(A2 + 1e-8))
        dZ2 = A2 - Y
        dW2 = A1.T @ dZ2 / m
        db2 = dZ2.sum(axis=0, keepdims=True) / m
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        dW1 = X.T @ dZ1 / m
        db1 = dZ1.sum(axis=0, keepdims=True) / m
        W2 -= lr * dW2
        b2 -= lr * db2
        W1 -= lr * dW1
        b1 -= lr * db1
    return float(loss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dtype", default="float64")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=100)
    a = ap.parse_args()
    dt = np.dtype(a.dtype)
    rng = np.random.default_rng(1)
    m, n_in, h, n_out = 1000, 784, 128, 10
    X = rng.standard_normal((m, n_in)).astype(dt)
    Y = np.eye(n_out, dtype=dt)[rng.integers(0, n_out, m)]
    W1 = (rng.standard_normal((n_in, h)) * np.sqrt(2 / n_in)).astype(dt)
    W2 = (rng.standard_normal((h, n_out)) * np.sqrt(2 / h)).astype(dt)
    b1, b2 = np.zeros((1, h), dt), np.zeros((1, n_out), dt)
    rates, loss, warm = [], None, time.perf_counter()
    while time.perf_counter() - warm < 1.0:  # warm-up: at least one repeat and one second
        train(X, Y, W1, b1, W2, b2, a.epochs, 0.01)
    for _ in range(a.reps):
        t0 = time.perf_counter()
        loss = train(X, Y, W1, b1, W2, b2, a.epochs, 0.01)
        rates.append(m * a.epochs / (time.perf_counter() - t0))
    info = {}
    try:
        from threadpoolctl import threadpool_info
        info = {k: v for k, v in threadpool_info()[0].items() if k in ("internal_api", "num_threads", "architecture", "version")}
    except Exception:  # threadpoolctl is optional
        cfg = np.__config__.get_info("blas_opt_info") if hasattr(np.__config__, "get_info") else {}
        info = {"libraries": cfg.get("libraries")}
    print(json.dumps({"rates": rates, "loss": loss, "numpy": np.__version__, "blas": info}))


if __name__ == "__main__":
    main()
