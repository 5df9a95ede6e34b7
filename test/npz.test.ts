// numpy .npz export and import: np.load reads exportNpz's arrays bit-exactly, fromNpz reads what
// np.savez wrote (zip64 extra fields, C and Fortran order), and bad archives are ModelFormatErrors.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { type Zippable, zipSync } from "fflate";
import { Model, ModelFormatError } from "../lib/index.js";
import { encodeNpy } from "../lib/npy.js";
import { trainedModel } from "./helpers/models.js";
import { hasNumpy, noNumpyNotice, runPython } from "./helpers/python.js";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-npz-"));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hex = (a: Float64Array | Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const numpyTest = hasNumpy ? test : test.skip;
if (!hasNumpy) console.log(noNumpyNotice);

for (const dtype of ["float64", "float32"] as const) {
  numpyTest(`np.load reads exportNpz's ${dtype} arrays bit-exactly`, async (t) => {
    const { model } = trainedModel(dtype, 5);
    const path = join(dir, `export-${dtype}.npz`);
    await model.exportNpz(path);
    const out = JSON.parse(
      runPython(
        `import json, sys, numpy as np
z = np.load(sys.argv[1])
print(json.dumps({k: [str(z[k].dtype), list(z[k].shape), z[k].tobytes().hex()] for k in z.files}))`,
        [path],
      ),
    );
    t.deepEqual(
      Object.keys(out),
      ["W1.npy", "b1.npy", "W2.npy", "b2.npy", "W3.npy", "b3.npy"].map((k) => k.slice(0, -4)),
    );
    for (const [key, value] of Object.entries(model.parameters)) {
      const data = dtype === "float32" ? Float32Array.from(value.data) : value.data;
      t.deepEqual(out[key], [dtype, [value.rows, value.cols], hex(data)], key);
    }
  });

  numpyTest(
    `fromNpz reads a ${dtype} archive np.savez wrote, C and Fortran order, bit-exactly`,
    async (t) => {
      const path = join(dir, `numpy-${dtype}.npz`);
      const out = JSON.parse(
        runPython(
          `import json, sys, numpy as np
rng = np.random.RandomState(0)
dims = [6, 5, 3, 1]
p = {}
for l in range(1, len(dims)):
    p[f"W{l}"] = rng.randn(dims[l], dims[l - 1]).astype(sys.argv[2])
    p[f"b{l}"] = rng.randn(dims[l], 1).astype(sys.argv[2])
p["W2"] = np.asfortranarray(p["W2"])
np.savez(sys.argv[1], **p)
X = rng.randn(6, 4).astype(sys.argv[2])
print(json.dumps({"X": np.ascontiguousarray(X, dtype=np.float64).tobytes().hex(),
                  "params": {k: np.ascontiguousarray(v).tobytes().hex() for k, v in p.items()}}))`,
          [path, dtype],
        ),
      );
      const model = await Model.fromNpz(path, { hidden: "relu", output: "sigmoid" });
      t.is(model.dtype, dtype);
      t.deepEqual(model.layerDims, [6, 5, 3, 1]);
      for (const [key, value] of Object.entries(model.parameters)) {
        const data = dtype === "float32" ? Float32Array.from(value.data) : value.data;
        t.is(hex(data), out.params[key], key);
      }
      // The same parameters through the model file and back predict the same bits.
      const again = Model.fromBuffer(model.toBuffer());
      t.deepEqual(again.parameters, model.parameters);
    },
  );
}

numpyTest("fromNpz refuses np.savez_compressed archives with a ModelFormatError", async (t) => {
  const path = join(dir, "compressed.npz");
  runPython(
    `import sys, numpy as np
np.savez_compressed(sys.argv[1], W1=np.ones((1, 2)), b1=np.ones((1, 1)))`,
    [path],
  );
  await t.throwsAsync(Model.fromNpz(path), {
    instanceOf: ModelFormatError,
    message: /W1\.npy is compressed \(method 8\); blasnet reads np\.savez archives, not np\.savez_compressed/,
  });
});

/** An .npy entry with a hand-written header, for dtypes and ranks exportNpz never writes. */
function rawNpy(dict: string, data: Uint8Array): Uint8Array {
  const header = `${dict}`.padEnd(117, " ") + "\n";
  const out = new Uint8Array(128 + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 128);
  return out;
}

async function archive(name: string, files: Record<string, Uint8Array>): Promise<string> {
  const path = join(dir, name);
  const stored: Zippable = {};
  for (const [key, value] of Object.entries(files)) stored[key] = [value, { level: 0 }];
  await writeFile(path, zipSync(stored));
  return path;
}

const good = (rows: number, cols: number) =>
  encodeNpy(
    "float64",
    rows,
    cols,
    Float64Array.from({ length: rows * cols }, (_, i) => i / 7),
  );

for (const [title, entry, message] of [
  [
    "an int64 entry",
    rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", new Uint8Array(16)),
    /W1\.npy: has dtype '<i8'; blasnet reads float64/,
  ],
  [
    "a big-endian entry",
    rawNpy("{'descr': '>f8', 'fortran_order': False, 'shape': (1, 2), }", new Uint8Array(16)),
    /W1\.npy: has dtype '>f8'/,
  ],
  [
    "a 1-D entry",
    rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16)),
    /W1\.npy: is 1-D \(shape \(2\)\); expected a 2-D array/,
  ],
  [
    "a 3-D entry",
    rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 1), }", new Uint8Array(16)),
    /W1\.npy: is 3-D/,
  ],
  [
    "an entry whose data is shorter than its shape",
    rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }", new Uint8Array(16)),
    /W1\.npy: has shape \(1, 3\) but its data holds 16 bytes/,
  ],
  [
    "an entry whose header is Python code",
    rawNpy("__import__('os').system('touch /tmp/pwned')", new Uint8Array(16)),
    /W1\.npy: malformed \.npy header/,
  ],
] as const) {
  test(`fromNpz refuses ${title} with a ModelFormatError`, async (t) => {
    const path = await archive(`${title.replace(/\W+/g, "-")}.npz`, {
      "W1.npy": entry,
      "b1.npy": good(1, 1),
    });
    await t.throwsAsync(Model.fromNpz(path), { instanceOf: ModelFormatError, message });
  });
}

test("fromNpz refuses missing, extra and misshapen arrays with ModelFormatErrors", async (t) => {
  const cases: [Record<string, Uint8Array>, RegExp][] = [
    [{ "W1.npy": good(1, 2) }, /the archive has no b1\.npy/],
    [
      { "W1.npy": good(1, 2), "b1.npy": good(1, 1), "notes.txt": new Uint8Array(3) },
      /unexpected entry "notes\.txt"/,
    ],
    [{ "W1.npy": good(2, 2), "b1.npy": good(2, 1) }, /W1\.npy has 2 rows; a sigmoid output has 1/],
    [
      { "W1.npy": good(3, 2), "b1.npy": good(3, 1), "W2.npy": good(1, 2), "b2.npy": good(1, 1) },
      /W2\.npy has shape \(1, 2\) but W1\.npy has 3 rows/,
    ],
    [{ "W1.npy": good(1, 2), "b1.npy": good(1, 2) }, /b1\.npy has shape \(1, 2\); expected \(1, 1\)/],
    [{ "b1.npy": good(1, 1) }, /the archive has no W1\.npy/],
  ];
  for (const [i, [files, message]] of cases.entries()) {
    const path = await archive(`shape-${i}.npz`, files);
    await t.throwsAsync(Model.fromNpz(path), { instanceOf: ModelFormatError, message });
  }
  const notZip = join(dir, "not-a-zip.npz");
  await writeFile(notZip, "this is not a zip archive, just some text that is long enough");
  await t.throwsAsync(Model.fromNpz(notZip), {
    instanceOf: ModelFormatError,
    message: /not a readable zip archive/,
  });
});

test("exportNpz into a folder that does not exist is an ENOENT error naming the folder", async (t) => {
  const { model } = trainedModel("float64");
  const error = await t.throwsAsync(model.exportNpz(join(dir, "missing", "m.npz")), {
    message: /exportNpz: cannot write .*m\.npz: the folder .*missing does not exist \(ENOENT\)/,
  });
  t.is((error as NodeJS.ErrnoException).code, "ENOENT");
});

test("fromNpz rejects activations the Model does not run with a RangeError", async (t) => {
  const path = await archive("ok.npz", { "W1.npy": good(1, 2), "b1.npy": good(1, 1) });
  await t.throwsAsync(Model.fromNpz(path, { hidden: "gelu" as "relu" }), {
    instanceOf: RangeError,
    message: /^Model\.fromNpz: expected hidden "relu", "tanh" or "leakyRelu", received string "gelu"/,
  });
  t.deepEqual((await Model.fromNpz(path)).layerDims, [2, 1]);
});

test("fromNpz builds a tanh/softmax model from a 3-unit output, and refuses a 1-unit softmax", async (t) => {
  const path = await archive("softmax.npz", {
    "W1.npy": good(4, 2),
    "b1.npy": good(4, 1),
    "W2.npy": good(3, 4),
    "b2.npy": good(3, 1),
  });
  const model = await Model.fromNpz(path, { hidden: "tanh", output: "softmax" });
  t.is(model.hidden, "tanh");
  t.is(model.output, "softmax");
  t.deepEqual(model.layerDims, [2, 4, 3]);
  await t.throwsAsync(Model.fromNpz(path), {
    instanceOf: ModelFormatError,
    message: /a sigmoid output has 1/,
  });
  const single = await archive("single.npz", { "W1.npy": good(1, 2), "b1.npy": good(1, 1) });
  await t.throwsAsync(Model.fromNpz(single, { output: "softmax" }), {
    instanceOf: ModelFormatError,
    message: /W1\.npy has 1 rows; a softmax output has at least 2/,
  });
});
