// The process-wide memory limit: models, runs and the functional API check it before they
// allocate and pass it with a RangeError naming the bytes; what a model or run reserves is given
// back (when the model is collected, when the run ends, when a worker goes away); allocations the
// system refuses are RangeErrors too, never a crash. Every test here is serial: the limit and the
// bytes in use are the process's.
import { totalmem } from "node:os";
import test, { type ExecutionContext } from "ava";
import {
  Matrix,
  Model,
  RandomState,
  initializeParametersDeep,
  lLayerModel,
  linearForward,
  memoryInfo,
  predict,
  setMemoryLimit,
  twoLayerModel,
} from "../lib/index.js";
import { native } from "../lib/native.js";
import { ChildBatch, describeExit, jsonLines } from "./helpers/child.js";
import { signTask } from "./helpers/tasks.js";

interface ThrownError {
  name: string;
  message: string;
}

const children = new ChildBatch();
const scenario = new URL("./children/memory-scenarios.ts", import.meta.url);
children.add("collected", scenario, ["collected"], { nodeArgs: ["--expose-gc"] });
children.add("worker", scenario, ["worker"], { env: { BLASNET_MAX_BYTES: "7M" } });
for (const value of ["123456789", "64M", "8GiB", " 2g ", "", "lots", "1.5G", "-1", "99999999999999999999"]) {
  children.add(`env ${value}`, scenario, ["limit"], { env: { BLASNET_MAX_BYTES: value } });
}
children.add("refused", new URL("./children/memory-refused.ts", import.meta.url));

// Children first, all at once: fork() must not run while a later test is inside BLAS.
test.before(() => children.runAll());

/** Runs `body` with the limit set to `limit`, restoring the previous limit afterwards. */
async function withLimit<T>(limit: number, body: () => T | Promise<T>): Promise<T> {
  const previous = memoryInfo().limit;
  setMemoryLimit(limit);
  try {
    return await body();
  } finally {
    setMemoryLimit(previous);
  }
}

const GiB = 2 ** 30;

/** The limit's message: function, bytes needed, what for, the limit. */
function overLimit(fn: string, bytes: number, what: string, limit: number): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^${escape(fn)}: needs ${bytes} bytes \\([\\d.]+ \\w+\\) for ${escape(what)}, over the memory limit of ` +
      `${limit} bytes \\([\\d.]+ \\w+\\), \\d+ bytes \\([\\d.]+ \\w+\\) in use; ` +
      "raise it with setMemoryLimit\\(bytes\\) or BLASNET_MAX_BYTES$",
  );
}

function childJson<T>(t: ExecutionContext, result: Awaited<ReturnType<ChildBatch["get"]>>): T {
  t.is(result.signal, null, describeExit(result));
  t.is(result.code, 0, describeExit(result));
  const [line] = jsonLines<T>(result.stdout);
  if (line === undefined) throw new Error(`the child printed no JSON: ${describeExit(result)}`);
  return line;
}

test.serial("new Model([2 ** 31 - 1, 1]) is refused before it allocates anything", async (t) => {
  await withLimit(12 * GiB, () => {
    const before = memoryInfo().inUse;
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    t.throws(() => new Model([2 ** 31 - 1, 1]), {
      instanceOf: RangeError,
      message: overLimit("Model", 17179869184, "its parameters", 12 * GiB),
    });
    const ms = performance.now() - started;
    const grewMiB = (process.memoryUsage().rss - rss) / 2 ** 20;
    t.log(`refused in ${ms.toFixed(2)} ms; RSS grew ${grewMiB.toFixed(1)} MiB`);
    t.true(grewMiB < 64, `RSS grew ${grewMiB} MiB: something was allocated`);
    t.is(memoryInfo().inUse, before, "a refused model reserves nothing");
  });
});

test.serial("the message reads like the issue's, with binary units", async (t) => {
  await withLimit(12 * GiB, () => {
    const error = t.throws(() => new Model([2 ** 31 - 1, 1]));
    // W1 and b1: (2^31 - 1) * 8 + 8 bytes.
    t.is(
      error!.message.replace(/, \d+ bytes \([^)]*\) in use;/, ", (in use);"),
      "Model: needs 17179869184 bytes (16.0 GiB) for its parameters, over the memory limit of " +
        "12884901888 bytes (12.0 GiB), (in use); raise it with setMemoryLimit(bytes) or BLASNET_MAX_BYTES",
    );
  });
});

test.serial("a model counts its parameters from construction, and its gradients from its first fit", (t) => {
  const before = memoryInfo().inUse;
  const model = new Model([6, 5, 1]);
  const parameters = (6 * 5 + 5 + 5 * 1 + 1) * 8;
  t.is(memoryInfo().inUse - before, parameters);
  const { X, Y } = signTask(6, 16, 3);
  model.fit(X, Y, { learningRate: 0.1, iterations: 2 });
  t.is(memoryInfo().inUse - before, 2 * parameters, "gradients made by the first fit");
  model.fit(X, Y, { learningRate: 0.1, iterations: 2 });
  t.is(memoryInfo().inUse - before, 2 * parameters, "and only by the first");
  // A Gram-path run (m < n0) adds G, S and Z1 to its A and dZ: seen from onCost, while it runs.
  const gramModel = new Model([50, 3, 1]);
  const gramTask = signTask(50, 10, 4);
  gramModel.fit(gramTask.X, gramTask.Y, { learningRate: 0.1, iterations: 1 });
  const gramBefore = memoryInfo().inUse;
  const seen: number[] = [];
  const { gram } = gramModel.fit(gramTask.X, gramTask.Y, {
    learningRate: 0.1,
    iterations: 3,
    costEvery: 1,
    onCost: () => seen.push(memoryInfo().inUse - gramBefore),
  });
  t.true(gram);
  // A, dZ: 2 * (3 + 1) * 10; G: 10 * 10; S, Z1: 2 * 3 * 10; one cost.
  t.deepEqual([...new Set(seen)], [(80 + 100 + 60 + 1) * 8]);
  t.is(memoryInfo().inUse, gramBefore);
  const before32 = memoryInfo().inUse;
  const float32 = new Model([6, 5, 1], { dtype: "float32" });
  t.is(memoryInfo().inUse - before32, parameters / 2, "float32: 4 bytes a value");
  t.truthy(float32);
});

test.serial("lLayerModel, twoLayerModel and predict give their model's memory back when they return", (t) => {
  const { X, Y } = signTask(6, 16, 8);
  const before = memoryInfo().inUse;
  const { parameters } = lLayerModel(X, Y, [6, 5, 1], { numIterations: 3 });
  t.is(memoryInfo().inUse, before);
  twoLayerModel(X, Y, [6, 4, 1], { numIterations: 3 });
  t.is(memoryInfo().inUse, before);
  t.is(predict(X, parameters).cols, 16);
  t.is(memoryInfo().inUse, before);
});

test.serial(
  "a second model over half the limit is refused; once the first is collected, a new one fits",
  async (t) => {
    const r = childJson<{
      held: number;
      second: ThrownError | null;
      afterCollection: number;
      third: ThrownError | null;
      inUse: number;
    }>(t, await children.get("collected"));
    t.is(r.held, 1603208);
    t.is(r.second?.name, "RangeError");
    t.regex(r.second?.message ?? "", overLimit("Model", 1603208, "its parameters", 3000000));
    t.regex(r.second?.message ?? "", /, 1603208 bytes \(1\.5 MiB\) in use;/);
    t.is(r.afterCollection, 0, "the collected model gave its bytes back");
    t.is(r.third, null, "the new model fits");
    t.is(r.inUse, 1603208);
  },
);

test.serial("a fit whose run buffers pass the limit is refused and leaves the model usable", async (t) => {
  const { X, Y } = signTask(4, 1000, 5);
  const model = new Model([4, 3, 1]);
  model.fit(X, Y, { learningRate: 0.1, iterations: 1 }); // makes the gradient buffers
  const before = memoryInfo().inUse;
  const parametersBefore = model.parameters;
  // A and dZ for 3 and 1 units over 1000 examples, and 100 costs: 2 * 4 * 1000 * 8 + 800 bytes.
  const runBytes = 2 * 4 * 1000 * 8 + 800;
  await withLimit(before + runBytes - 1, () => {
    t.throws(() => model.fit(X, Y, { learningRate: 0.1, iterations: 5 }), {
      instanceOf: RangeError,
      message: overLimit("fit", runBytes, "the buffers of a run over 1000 examples", before + runBytes - 1),
    });
    t.false(model.training);
    t.is(memoryInfo().inUse, before);
    t.deepEqual(model.parameters, parametersBefore, "the refused run changed nothing");
  });
  await withLimit(before + runBytes, () => {
    // Exactly enough: the same run goes through, and gives its bytes back.
    const { costs } = model.fit(X, Y, { learningRate: 0.1, iterations: 5, costEvery: 1 });
    t.is(costs.length, 5);
    t.is(memoryInfo().inUse, before);
  });
  // fitAsync also counts its copies of X and Y: (4 + 1) * 1000 doubles more.
  const asyncBytes = runBytes + 5 * 1000 * 8;
  await withLimit(before + asyncBytes - 1, async () => {
    await t.throwsAsync(model.fitAsync(X, Y, { learningRate: 0.1, iterations: 5 }), {
      instanceOf: RangeError,
      message: overLimit(
        "fitAsync",
        asyncBytes,
        "the buffers of a run over 1000 examples",
        before + asyncBytes - 1,
      ),
    });
    t.false(model.training);
  });
  t.is(model.predict(X).cols, 1000);
});

test.serial("fitAsync's buffers count while it runs and are released when it settles", async (t) => {
  const { X, Y } = signTask(4, 50, 6);
  const model = new Model([4, 3, 1]);
  model.fit(X, Y, { learningRate: 0.1, iterations: 1 });
  const before = memoryInfo().inUse;
  // A and dZ (2 * 4 * 50 doubles), the copies of X and Y ((4 + 1) * 50), 10 costs.
  const runBytes = (2 * 4 * 50 + 5 * 50 + 10) * 8;
  const during: number[] = [];
  await model.fitAsync(X, Y, {
    learningRate: 0.1,
    iterations: 30,
    costEvery: 10,
    onProgress: () => during.push(memoryInfo().inUse - before),
  });
  t.true(during.length > 0);
  t.deepEqual([...new Set(during)], [runBytes]);
  t.is(memoryInfo().inUse, before, "released when the promise resolved");

  const controller = new AbortController();
  const aborted = model.fitAsync(X, Y, {
    learningRate: 0.1,
    iterations: 1_000_000,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  await t.throwsAsync(aborted, { name: "AbortError" });
  t.is(memoryInfo().inUse, before, "released when it was aborted");

  await t.throwsAsync(model.fitAsync(X, Y, { learningRate: 1e150, iterations: 1000, costEvery: 1 }), {
    message: /^fitAsync: the (cost became \S+|gradients stopped being finite)/,
  });
  t.is(memoryInfo().inUse, before, "released when it rejected");

  // The rejected run left huge (finite) parameters: a fresh model for the last case.
  const fresh = new Model([4, 3, 1]);
  fresh.fit(X, Y, { learningRate: 0.1, iterations: 1 });
  const freshBefore = memoryInfo().inUse;
  t.throws(
    () =>
      fresh.fit(X, Y, {
        learningRate: 0.1,
        iterations: 10,
        costEvery: 1,
        onCost: () => {
          throw new Error("from onCost");
        },
      }),
    { message: "from onCost" },
  );
  t.is(memoryInfo().inUse, freshBefore, "released when a synchronous fit threw");
});

test.serial("the functional API and the Matrix constructors refuse results beyond the limit", async (t) => {
  await withLimit(GiB, () => {
    const before = memoryInfo().inUse;
    // Z would be [65536, 16384]: 8 GiB, from inputs of under a megabyte.
    const W = Matrix.zeros(2 ** 16, 1);
    const A = Matrix.zeros(1, 2 ** 14);
    const b = Matrix.zeros(2 ** 16, 1);
    t.throws(() => linearForward(A, W, b), {
      instanceOf: RangeError,
      message: overLimit("linearForward", 8 * GiB, "Z, [65536, 16384]", GiB),
    });
    t.throws(() => Matrix.zeros(2 ** 15, 2 ** 15), {
      instanceOf: RangeError,
      message: overLimit("Matrix.zeros", 8 * GiB, "a [32768, 32768] matrix", GiB),
    });
    t.throws(() => new Matrix(2 ** 15, 2 ** 15), {
      instanceOf: RangeError,
      message: overLimit("Matrix", 8 * GiB, "a [32768, 32768] matrix", GiB),
    });
    t.throws(() => new RandomState(1).randn(2 ** 15, 2 ** 15), {
      instanceOf: RangeError,
      message: overLimit("RandomState.randn", 8 * GiB, "a [32768, 32768] matrix", GiB),
    });
    t.throws(() => initializeParametersDeep([2 ** 16, 2 ** 14]), {
      instanceOf: RangeError,
      message: /^initializeParametersDeep: needs 8590065664 bytes \(8\.0 GiB\) for the parameters/,
    });
    t.is(memoryInfo().inUse, before, "transient matrices are checked, not reserved");
  });
});

test.serial("predict and parameters check their buffers against what is left", async (t) => {
  const model = new Model([4, 1000, 1]);
  const { X } = signTask(4, 1000, 7);
  const inUse = memoryInfo().inUse;
  await withLimit(inUse + 2 ** 20, () => {
    // Z and A of 1000 and 1 units over 1000 examples, and AL: 16 MB.
    t.throws(() => model.predict(X), {
      instanceOf: RangeError,
      message: overLimit(
        "predictProba",
        (2 * 1001 * 1000 + 1000) * 8,
        "a forward pass over 1000 examples",
        inUse + 2 ** 20,
      ),
    });
  });
  await withLimit(inUse + 1000, () => {
    t.throws(() => model.parameters, {
      instanceOf: RangeError,
      message: overLimit(
        "parameters",
        (4 * 1000 + 1000 + 1000 + 1) * 8,
        "a float64 copy of the parameters",
        inUse + 1000,
      ),
    });
  });
  t.is(model.predict(X).cols, 1000, "works again under the old limit");
});

test.serial("native scratch counts too: a split product over the limit is a RangeError", async (t) => {
  // 64 x 64 x 1024 runs as four K blocks, whose partial sums take 3 * 64 * 64 doubles.
  const [M, N, K] = [64, 64, 1024];
  const C = new Float64Array(M * N);
  const A = new Float64Array(M * K);
  const B = new Float64Array(K * N);
  const before = memoryInfo().inUse;
  await withLimit(before + 1000, () => {
    t.throws(() => native.gemm(C, A, B, M, N, K, false, false, 1, 0), {
      instanceOf: RangeError,
      message: overLimit("gemm", 3 * M * N * 8, "the partial sums of a split product", before + 1000),
    });
  });
  t.is(memoryInfo().inUse, before);
  native.gemm(C, A, B, M, N, K, false, false, 1, 0);
  t.is(memoryInfo().inUse, before, "the scratch is released after the call");
});

test.serial(
  "allocations the system refuses within the limit are RangeErrors naming their bytes",
  async (t) => {
    const r = childJson<{
      unavailable?: string;
      gemm: ThrownError | null;
      afterGemm: number;
      zeros: ThrownError | null;
      model: ThrownError | null;
      inUse: number;
    }>(t, await children.get("refused"));
    if (r.unavailable !== undefined) {
      t.log(`skipped: ${r.unavailable}`);
      return;
    }
    t.is(r.gemm?.name, "RangeError");
    t.regex(
      r.gemm?.message ?? "",
      /^gemm: could not allocate 286654464 bytes \(273\.4 MiB\) for the partial sums of a split product: the system refused it \(std::bad_alloc\); memory limit \d+ bytes \([\d.]+ \w+\), 0 bytes \(0 B\) in use$/,
    );
    t.is(r.afterGemm, 0, "the failed scratch's reservation was released");
    t.is(r.zeros?.name, "RangeError");
    t.regex(
      r.zeros?.message ?? "",
      /^Matrix\.zeros: could not allocate 2147483648 bytes \(2\.0 GiB\) for a \[16384, 16384\] matrix: the system refused it \(Array buffer allocation failed\)/,
    );
    t.is(r.model?.name, "RangeError");
    t.regex(
      r.model?.message ?? "",
      /^Model: could not allocate 2147483648 bytes \(2\.0 GiB\) for a \[16384, 16384\] matrix/,
    );
    t.is(r.inUse, 0, "the refused model released its reservation");
  },
);

test.serial("setMemoryLimit takes an integer number of bytes >= 0", async (t) => {
  const bad = (value: unknown, error: typeof TypeError | typeof RangeError, shown: string) =>
    t.throws(() => setMemoryLimit(value as number), {
      instanceOf: error,
      message: `setMemoryLimit: expected bytes to be an integer >= 0, received ${shown}`,
    });
  bad("8G", TypeError, 'string "8G"');
  bad(undefined, TypeError, "undefined");
  bad(8n, TypeError, "bigint 8");
  bad(-1, RangeError, "-1");
  bad(0.5, RangeError, "0.5");
  bad(NaN, RangeError, "NaN");
  bad(Infinity, RangeError, "Infinity");
  bad(2 ** 53, RangeError, String(2 ** 53));
  await withLimit(0, () => {
    t.is(memoryInfo().limit, 0);
    t.throws(() => new Model([1, 1]), {
      instanceOf: RangeError,
      message: overLimit("Model", 16, "its parameters", 0),
    });
  });
  await withLimit(Number.MAX_SAFE_INTEGER, () => t.is(memoryInfo().limit, Number.MAX_SAFE_INTEGER));
});

test.serial("the default limit is half of physical memory, or of the cgroup's limit when lower", (t) => {
  const { defaultLimit } = native.memoryInfo();
  const constrained = process.constrainedMemory?.() ?? 0;
  t.log(`default limit ${defaultLimit} bytes; physical ${totalmem()}, cgroup ${constrained || "none"}`);
  t.true(defaultLimit > 0);
  t.true(defaultLimit <= totalmem() / 2);
  if (constrained === 0 || constrained >= totalmem()) t.is(defaultLimit, Math.floor(totalmem() / 2));
  else t.true(defaultLimit <= constrained / 2);
});

test.serial("the raw ledger exports cannot release more than this environment reserved", (t) => {
  const before = memoryInfo().inUse;
  t.true(native.memoryReserve(100));
  t.is(memoryInfo().inUse, before + 100);
  t.throws(() => native.memoryRelease(before + 101), { instanceOf: RangeError, message: /cannot release/ });
  native.memoryRelease(100);
  t.is(memoryInfo().inUse, before);
  t.throws(() => native.memoryReserve(-1), { instanceOf: RangeError });
  t.throws(() => native.memoryReserve("1" as unknown as number), { instanceOf: TypeError });
  t.false(native.memoryReserve(Number.MAX_SAFE_INTEGER), "over the limit: false, nothing counted");
  t.is(memoryInfo().inUse, before);
});

test.serial("BLASNET_MAX_BYTES sets the limit at import, in bytes or K, M, G, T", async (t) => {
  const expected: Record<string, number> = {
    "123456789": 123456789,
    "64M": 64 * 2 ** 20,
    "8GiB": 8 * GiB,
    " 2g ": 2 * GiB,
  };
  for (const [value, limit] of Object.entries(expected)) {
    const r = childJson<{ limit: number }>(t, await children.get(`env ${value}`));
    t.is(r.limit, limit, JSON.stringify(value));
  }
  const unset = childJson<{ limit: number; defaultLimit: number }>(t, await children.get("env "));
  t.is(unset.limit, unset.defaultLimit, "empty means the default");
});

test.serial("a malformed BLASNET_MAX_BYTES fails the import with a clear error, not a crash", async (t) => {
  for (const value of ["lots", "1.5G", "-1", "99999999999999999999"]) {
    const result = await children.get(`env ${value}`);
    t.is(result.signal, null, describeExit(result));
    t.is(result.code, 1, `${JSON.stringify(value)}: ${describeExit(result)}`);
    t.true(
      result.stderr.includes(
        `RangeError: blasnet: expected BLASNET_MAX_BYTES to be a whole number of bytes up to 2^53 - 1, ` +
          `optionally with a K, M, G or T suffix (powers of 1024, e.g. 8G), received ${JSON.stringify(value)}`,
      ),
      describeExit(result),
    );
  }
});

test.serial(
  "workers share the ledger, keep the limit the program set, and give back their models when terminated",
  async (t) => {
    const r = childJson<{
      seen: { limit: number; inUse: number };
      whileAlive: number;
      afterTerminate: number;
      limit: number;
    }>(t, await children.get("worker"));
    t.is(r.seen.limit, 50_000_000, "importing blasnet in the worker did not re-apply BLASNET_MAX_BYTES");
    t.is(r.seen.inUse, 1603208, "the worker's model counts");
    t.is(r.whileAlive, 1603208, "the main thread sees the worker's model");
    t.is(r.afterTerminate, 0, "terminating the worker released it");
    t.is(r.limit, 50_000_000);
  },
);
