#!/usr/bin/env python3
"""The PyTorch contender of the blasnet bench's mini-batch workload (bench/run.ts spawns it).

Usage (prints one JSON line, a "steps" record of bench/result.ts):
  python3 bench/torch_ref.py info
  python3 bench/torch_ref.py steps SPEC_JSON DTYPE BATCH EPOCHS RUNS DATA_DIR
What a PyTorch user writes: nn.Sequential of Linear and ReLU, CrossEntropyLoss on the logits, and
optim.Adam, with the same initial weights and the same epoch permutations as the other contenders.
PyTorch's own thread settings, as it comes. Only for measuring: blasnet never depends on it.
"""

import json
import os
import sys

import numpy as np
import torch

from numpy_ref import emit, fail, read_steps_data, time_steps


def train(spec, X, labels, init, dtype, batch, epochs, on_epoch):
    dims = spec["dims"]
    L = len(dims) - 1
    layers = []
    for l in range(1, L + 1):
        linear = torch.nn.Linear(dims[l - 1], dims[l], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(init["W" + str(l)]))
            linear.bias.copy_(torch.from_numpy(init["b" + str(l)][:, 0]))
        layers.append(linear)
        if l < L:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(
        model.parameters(), lr=spec["learningRate"], betas=(spec["beta1"], spec["beta2"]), eps=spec["epsilon"]
    )
    m = X.shape[0]
    costs = []
    for e in range(epochs):
        order = torch.from_numpy(np.random.RandomState(spec["shuffleSeed"] + e).permutation(m))
        total = 0.0
        for first in range(0, m, batch):
            idx = order[first : first + batch]
            xb, yb = X[idx], labels[idx]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += idx.shape[0] * loss.item()
        costs.append(total / m)
        on_epoch()
    return costs


def steps(spec, dtype_name, batch, epochs, runs, data_dir):
    dtype = torch.float64 if dtype_name == "float64" else torch.float32
    X, Y, init = read_steps_data(spec, data_dir, dtype_name)
    # Examples as rows, as PyTorch models take them; labels as class indices.
    Xt = torch.from_numpy(np.ascontiguousarray(X.T))
    labels = torch.from_numpy(np.argmax(Y, axis=0))
    time_steps(
        "torch",
        spec,
        dtype_name,
        batch,
        epochs,
        runs,
        lambda on_epoch: train(spec, Xt, labels, init, dtype, batch, epochs, on_epoch),
    )


def main(argv):
    if argv[:1] == ["info"]:
        emit(
            {
                "kind": "info",
                "contender": "torch",
                "runtime": f"PyTorch {torch.__version__} (numpy {np.__version__})",
                "blas": {"version": "", "config": "", "coreName": "", "threads": torch.get_num_threads()},
            }
        )
    elif argv[:1] == ["steps"] and len(argv) == 7:
        steps(json.loads(argv[1]), argv[2], int(argv[3]), int(argv[4]), int(argv[5]), argv[6])
    else:
        fail("usage: torch_ref.py info | steps SPEC DTYPE BATCH EPOCHS RUNS DATA_DIR")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
