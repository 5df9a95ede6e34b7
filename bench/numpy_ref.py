#!/usr/bin/env python3
"""The numpy reference contenders of the blasnet bench, one per process (bench/run.ts spawns them).

Usage (each prints one JSON line, the records of bench/result.ts):
  python3 bench/numpy_ref.py info
  python3 bench/numpy_ref.py roofline REPS SHAPES_JSON
  python3 bench/numpy_ref.py run SPEC_JSON VARIANT ITERATIONS RUNS WARMUP [BIN_DIR]
  python3 bench/numpy_ref.py steps SPEC_JSON DTYPE BATCH EPOCHS RUNS DATA_DIR
VARIANT is notebook, no-dA0 or gram. steps trains the mini-batch workload of bench/steps-workload.ts
(softmax, Adam) on the X.bin, Y.bin, W1.bin, b1.bin, ... files in DATA_DIR, in float64 or float32. SPEC_JSON is the workload of bench/workloads.ts; the cat images
come as raw little-endian float64 files X.bin [n0, m] and Y.bin [1, m] in BIN_DIR (no h5py here).
Plain numpy only, and no thread settings: numpy uses its bundled OpenBLAS as it comes.
"""

import copy
import ctypes
import glob
import json
import os
import platform
import resource
import sys
import time

import numpy as np

COST_EVERY = 100

# ---------------------------------------------------------------------------------------------
# The course's code (dnn_app_utils_v3), unchanged: the "notebook" contender runs exactly this.


def peak_rss_mb():
    """This process's peak RSS in MB: VmHWM, not ru_maxrss, which Linux carries across exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    cache = Z
    return A, cache


def relu(Z):
    A = np.maximum(0, Z)
    cache = Z
    return A, cache


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ


def linear_forward(A, W, b):
    Z = W.dot(A) + b
    cache = (A, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = relu(Z)
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(
            A_prev, parameters["W" + str(l)], parameters["b" + str(l)], activation="relu"
        )
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters["W" + str(L)], parameters["b" + str(L)], activation="sigmoid"
    )
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (1.0 / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    cost = np.squeeze(cost)
    return cost


def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1.0 / m * np.dot(dZ, A_prev.T)
    db = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_activation_backward(
        dAL, current_cache, activation="sigmoid"
    )
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(
            grads["dA" + str(l + 1)], current_cache, activation="relu"
        )
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters


# ---------------------------------------------------------------------------------------------
# The leaner variants: what blasnet computes, written in plain numpy.


def L_model_backward_no_dA0(AL, Y, caches):
    """L_model_backward from dZL = AL - Y, without the unused dA0 product."""
    grads = {}
    L = len(caches)
    dZ = AL - Y.reshape(AL.shape)
    for l in reversed(range(L)):
        (A_prev, W, _b), _Z = caches[l]
        m = A_prev.shape[1]
        grads["dW" + str(l + 1)] = 1.0 / m * np.dot(dZ, A_prev.T)
        grads["db" + str(l + 1)] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        if l > 0:
            dZ = relu_backward(np.dot(W.T, dZ), caches[l - 1][1])
    return grads


def train_notebook(X, Y, parameters, lr, iterations, backward):
    costs = []
    for i in range(iterations):
        AL, caches = L_model_forward(X, parameters)
        # The course computes the cost every iteration and prints every 100th; computing it only
        # every 100th, as blasnet's fit does, changes nothing measurable (it is O(m)).
        if i % COST_EVERY == 0:
            costs.append([i, float(compute_cost(AL, Y))])
        grads = backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, lr)
    return parameters, costs


def train_gram(X, Y, parameters, lr, iterations):
    """Layer 1 through G = X^T X: Z1 -= (lr/m) dZ1 G + lr db1; W1 = W1 - S X^T at the end."""
    p = parameters
    L = len(p) // 2
    m = X.shape[1]
    G = X.T @ X
    Z1 = p["W1"] @ X + p["b1"]
    S = np.zeros_like(Z1)
    costs = []
    for i in range(iterations):
        Zs, As = [None, Z1], [X, np.maximum(0, Z1)]
        for l in range(2, L + 1):
            Z = p["W" + str(l)] @ As[l - 1] + p["b" + str(l)]
            Zs.append(Z)
            As.append(1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z))
        if i % COST_EVERY == 0:
            costs.append([i, float(compute_cost(As[L], Y))])
        dZ = As[L] - Y
        grads = {}
        for l in range(L, 1, -1):
            grads["dW" + str(l)] = dZ @ As[l - 1].T / m
            grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
            dA = p["W" + str(l)].T @ dZ
            dZ = dA * (Zs[l - 1] > 0)
        db1 = np.sum(dZ, axis=1, keepdims=True) / m
        for l in range(2, L + 1):
            p["W" + str(l)] = p["W" + str(l)] - lr * grads["dW" + str(l)]
            p["b" + str(l)] = p["b" + str(l)] - lr * grads["db" + str(l)]
        Z1 = Z1 - ((lr / m) * (dZ @ G) + lr * db1)
        S += (lr / m) * dZ
        p["b1"] = p["b1"] - lr * db1
    p["W1"] = p["W1"] - S @ X.T
    return p, costs


# ---------------------------------------------------------------------------------------------
# Workload data and initial parameters, as bench/workloads.ts defines them.


def mulberry32(seed, n):
    """The first n outputs of mulberry32(seed), vectorised: step k's state is seed + k * 0x6D2B79F5."""
    M = np.uint64(0xFFFFFFFF)
    k = np.arange(1, n + 1, dtype=np.uint64)
    a = (np.uint64(seed) + k * np.uint64(0x6D2B79F5)) & M
    # uint64 products wrap mod 2^64, so masking afterwards gives imul's low 32 bits.
    t = ((a ^ (a >> np.uint64(15))) * (a | np.uint64(1))) & M
    t = ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & M)) & M) ^ t
    return ((t ^ (t >> np.uint64(14))) & M).astype(np.float64) / 2.0**32


def workload_data(spec, bin_dir):
    n0, m = spec["dims"][0], spec["m"]
    if spec["catData"]:
        X = np.fromfile(os.path.join(bin_dir, "X.bin"), dtype="<f8").reshape(n0, m)
        Y = np.fromfile(os.path.join(bin_dir, "Y.bin"), dtype="<f8").reshape(1, m)
        return X, Y
    X = mulberry32(42, n0 * m).reshape(n0, m)
    half = n0 // 2
    Y = (X[:half].sum(axis=0) > X[half:].sum(axis=0)).astype(np.float64).reshape(1, m)
    return X, Y


def initial_parameters(spec):
    dims, name = spec["dims"], spec["name"]
    p = {}
    if name == "cat-deep":  # initialize_parameters_deep of the application notebook
        np.random.seed(1)
        for l in range(1, len(dims)):
            p["W" + str(l)] = np.random.randn(dims[l], dims[l - 1]) / np.sqrt(dims[l - 1])
            p["b" + str(l)] = np.zeros((dims[l], 1))
    elif name == "cat-two":  # initialize_parameters of the two-layer model
        np.random.seed(1)
        p["W1"] = np.random.randn(dims[1], dims[0]) * 0.01
        p["b1"] = np.zeros((dims[1], 1))
        p["W2"] = np.random.randn(dims[2], dims[1]) * 0.01
        p["b2"] = np.zeros((dims[2], 1))
    elif name == "mlp-wide":
        sizes = [dims[l] * dims[l - 1] for l in range(1, len(dims))]
        u = mulberry32(7, sum(sizes))
        start = 0
        for l in range(1, len(dims)):
            W = u[start : start + sizes[l - 1]].reshape(dims[l], dims[l - 1])
            p["W" + str(l)] = (2 * W - 1) * np.sqrt(3 / dims[l - 1])
            p["b" + str(l)] = np.zeros((dims[l], 1))
            start += sizes[l - 1]
    else:
        fail("unknown workload " + name)
    return p


# ---------------------------------------------------------------------------------------------
# The mini-batch workload: the notebook's math extended to a softmax head and Adam, exactly as the
# trainer fixture's spec states it (test/fixtures/trainer-cases.json).


def read_steps_data(spec, data_dir, dtype):
    dims, m = spec["dims"], spec["m"]
    L = len(dims) - 1

    def read(name, rows, cols):
        return np.fromfile(os.path.join(data_dir, name + ".bin"), dtype="<f8").reshape(rows, cols).astype(dtype)

    p = {}
    for l in range(1, L + 1):
        p["W" + str(l)] = read("W" + str(l), dims[l], dims[l - 1])
        p["b" + str(l)] = read("b" + str(l), dims[l], 1)
    return read("X", dims[0], m), read("Y", dims[L], m), p


def train_steps(spec, X, Y, p, batch, epochs, on_epoch):
    """Mini-batch Adam on relu layers and a softmax head; returns the epoch costs."""
    L = len(p) // 2
    m = X.shape[1]
    lr, b1, b2, eps = spec["learningRate"], spec["beta1"], spec["beta2"], spec["epsilon"]
    v = {k: np.zeros_like(w) for k, w in p.items()}
    s = {k: np.zeros_like(w) for k, w in p.items()}
    t = 0
    costs = []
    for e in range(epochs):
        order = np.random.RandomState(spec["shuffleSeed"] + e).permutation(m)
        total = 0.0
        for first in range(0, m, batch):
            idx = order[first : first + batch]
            A, Yb = X[:, idx], Y[:, idx]
            b = A.shape[1]
            As, Zs = [A], [None]
            for l in range(1, L + 1):
                Z = p["W" + str(l)].dot(As[l - 1]) + p["b" + str(l)]
                Zs.append(Z)
                if l < L:
                    As.append(np.maximum(0, Z))
                else:
                    ez = np.exp(Z - np.max(Z, axis=0, keepdims=True))
                    As.append(ez / np.sum(ez, axis=0, keepdims=True))
            total += b * float(-np.sum(Yb * np.log(As[L])) / b)
            dZ = As[L] - Yb
            grads = {}
            for l in range(L, 0, -1):
                grads["W" + str(l)] = 1.0 / b * np.dot(dZ, As[l - 1].T)
                grads["b" + str(l)] = 1.0 / b * np.sum(dZ, axis=1, keepdims=True)
                if l > 1:
                    dA = np.dot(p["W" + str(l)].T, dZ)
                    dZ = np.array(dA, copy=True)
                    dZ[Zs[l - 1] <= 0] = 0
            t += 1
            for k in p:
                v[k] = b1 * v[k] + (1 - b1) * grads[k]
                vc = v[k] / (1 - b1**t)
                s[k] = b2 * s[k] + (1 - b2) * np.square(grads[k])
                sc = s[k] / (1 - b2**t)
                p[k] = p[k] - lr * vc / (np.sqrt(sc) + eps)
        costs.append(total / m)
        on_epoch()
    return costs


def time_steps(contender, spec, dtype, batch, epochs, runs, train_once):
    """Runs train_once(on_epoch) `runs` times and emits the steps record: samples/s over the epochs
    after the first, and the first run's epoch costs. Shared with bench/torch_ref.py."""
    samples_per_sec = []
    epoch_costs = []
    for r in range(runs):
        ends = []
        costs = train_once(lambda: ends.append(time.perf_counter()))
        samples_per_sec.append(spec["m"] * (epochs - 1) / (ends[-1] - ends[0]))
        if r == 0:
            epoch_costs = costs
    emit(
        {
            "kind": "steps",
            "contender": contender + " " + dtype,
            "workload": spec["name"],
            "dtype": dtype,
            "batch": batch,
            "samplesPerSec": samples_per_sec,
            "epochCosts": epoch_costs,
            "maxRssMB": peak_rss_mb(),
        }
    )


def steps(spec, dtype, batch, epochs, runs, data_dir):
    X, Y, init = read_steps_data(spec, data_dir, dtype)
    time_steps(
        "numpy",
        spec,
        dtype,
        batch,
        epochs,
        runs,
        lambda on_epoch: train_steps(spec, X, Y, copy.deepcopy(init), batch, epochs, on_epoch),
    )


# ---------------------------------------------------------------------------------------------
# Modes.


def fail(message):
    sys.stderr.write("numpy_ref: " + message + "\n")
    sys.exit(1)


def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")


def train(variant, X, Y, parameters, lr, iterations):
    if variant == "notebook":
        return train_notebook(X, Y, parameters, lr, iterations, L_model_backward)
    if variant == "no-dA0":
        return train_notebook(X, Y, parameters, lr, iterations, L_model_backward_no_dA0)
    if variant == "gram":
        return train_gram(X, Y, parameters, lr, iterations)
    fail("unknown variant " + variant)


def run(spec, variant, iterations, runs, warmup, bin_dir):
    X, Y = workload_data(spec, bin_dir)
    init = initial_parameters(spec)
    lr = spec["learningRate"]
    checks = max(i for i, _ in spec["reference"]) + 1
    _, costs = train(variant, X, Y, copy.deepcopy(init), lr, checks)
    for iteration, expected in spec["reference"]:
        got = next((c for i, c in costs if i == iteration), None)
        if got is None or not abs(got - expected) <= spec["tolerance"] * abs(expected):
            fail(
                f"{spec['name']} numpy {variant}: cost at iteration {iteration} is {got}, expected "
                f"{expected} (relative tolerance {spec['tolerance']})"
            )
    if warmup > 0:
        train(variant, X, Y, copy.deepcopy(init), lr, warmup)
    it_per_sec = []
    for _ in range(runs):
        parameters = copy.deepcopy(init)
        started = time.perf_counter()
        train(variant, X, Y, parameters, lr, iterations)
        it_per_sec.append(iterations / (time.perf_counter() - started))
    emit(
        {
            "kind": "contender",
            "contender": "numpy " + variant,
            "workload": spec["name"],
            "iterations": iterations,
            "itPerSec": it_per_sec,
            "blasShare": None,
            "maxRssMB": peak_rss_mb(),
            "costs": costs,
        }
    )


def filled(n, dtype):
    """The same deterministic values in [-1, 1) as bench/roofline.ts."""
    return (((np.arange(n, dtype=np.int64) * 7919) % 2003) / 1001.5 - 1).astype(dtype)


def roofline(reps, shapes):
    timings = []
    for s in shapes:
        M, N, K, trans_b = s["M"], s["N"], s["K"], s["transB"]
        for dtype in ("float64", "float32"):
            A = filled(M * K, dtype).reshape(M, K)
            B = filled(K * N, dtype).reshape((N, K) if trans_b else (K, N))
            Bop = B.T if trans_b else B
            C = np.empty((M, N), dtype=dtype)
            # X @ Y written into a preallocated C, like the addon's gemm: times BLAS, not the allocator.
            call = lambda: np.matmul(A, Bop, out=C)  # noqa: E731
            call()
            call()
            started = time.perf_counter()
            call()
            once = max(time.perf_counter() - started, 1e-7)
            batch = max(1, int(np.ceil(0.05 / once)))
            per_call = []
            for _ in range(reps):
                started = time.perf_counter()
                for _ in range(batch):
                    call()
                per_call.append((time.perf_counter() - started) / batch)
            seconds = float(np.median(per_call))
            timings.append(
                {
                    "label": s["label"],
                    "dtype": dtype,
                    "M": M,
                    "N": N,
                    "K": K,
                    "transB": trans_b,
                    "seconds": seconds,
                    "gflops": 2 * M * N * K / seconds / 1e9,
                }
            )
    emit({"kind": "roofline", "contender": "numpy", "timings": timings})


def openblas_runtime():
    """The core kernel and threads of numpy's bundled OpenBLAS, when its library can be found."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    libs += glob.glob(os.path.join(os.path.dirname(np.__file__), ".dylibs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "")):
            try:
                core = getattr(lib, f"{prefix}_get_corename{suffix}")
                threads = getattr(lib, f"{prefix}_get_num_threads{suffix}")
            except AttributeError:
                continue
            core.restype = ctypes.c_char_p
            return core().decode(), int(threads())
    return "unknown", 0


def info():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:  # older numpy: no dict mode
        blas = {}
    core, threads = openblas_runtime()
    emit(
        {
            "kind": "info",
            "contender": "numpy",
            "runtime": f"numpy {np.__version__} (Python {platform.python_version()})",
            "blas": {
                "version": f"{blas.get('name', 'unknown')} {blas.get('version', '')}".strip(),
                "config": " ".join(str(blas.get("openblas configuration", "")).split()),
                "coreName": core,
                "threads": threads,
            },
        }
    )


def main(argv):
    if argv[:1] == ["info"]:
        info()
    elif argv[:1] == ["roofline"] and len(argv) == 3:
        roofline(int(argv[1]), json.loads(argv[2]))
    elif argv[:1] == ["steps"] and len(argv) == 7:
        steps(json.loads(argv[1]), argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6])
    elif argv[:1] == ["run"] and len(argv) in (6, 7):
        spec = json.loads(argv[1])
        run(spec, argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6] if len(argv) == 7 else "")
    else:
        fail(
            "usage: numpy_ref.py info | roofline REPS SHAPES_JSON | run SPEC VARIANT ITERATIONS RUNS WARMUP [BIN_DIR]"
            " | steps SPEC DTYPE BATCH EPOCHS RUNS DATA_DIR"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
