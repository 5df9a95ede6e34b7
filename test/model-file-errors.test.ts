// Bad model files: each is a ModelFormatError saying what is wrong, never a crash, never a model
// built from wrong numbers, never an allocation sized by a claim the file cannot back.
import test from "ava";
import { Model, ModelFormatError } from "../lib/index.js";
import { describeExit, jsonLines, runTsChild } from "./helpers/child.js";
import { editHeader, joinFile, smallFile, splitFile } from "./helpers/model-bytes.js";

const refuses = test.macro((t, bytes: Uint8Array | (() => Uint8Array), message: RegExp) => {
  const file = typeof bytes === "function" ? bytes() : bytes;
  t.throws(() => Model.fromBuffer(file), { instanceOf: ModelFormatError, message });
});

test("ModelFormatError is an Error of its own class", (t) => {
  const error = new ModelFormatError("x");
  t.true(error instanceof Error);
  t.is(error.name, "ModelFormatError");
});

test("an empty buffer is refused", refuses, new Uint8Array(0), /^Model.fromBuffer: the file holds 0 bytes/);
test(
  "a header length larger than the file is refused",
  refuses,
  () => {
    const { header, data } = splitFile(smallFile());
    return joinFile(header, data, 1n << 60n);
  },
  /the header length is 1152921504606846976 bytes but only \d+ bytes follow it/,
);
test(
  "JSON garbage is refused",
  refuses,
  () => joinFile("{not json at all}", new Uint8Array(8)),
  /the header is not valid JSON/,
);
test(
  "a header that is not UTF-8 is refused",
  refuses,
  () => {
    const file = joinFile('{"a": 1}', new Uint8Array(0));
    file[10] = 0xff;
    return file;
  },
  /not valid UTF-8/,
);
test(
  "a JSON array header is refused",
  refuses,
  () => joinFile("[1, 2]", new Uint8Array(0)),
  /not a JSON object/,
);
test(
  "an unknown format version is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.__metadata__ as Record<string, string>).format_version = "2";
    }),
  /format version is "2"; this blasnet reads version "1"/,
);
test(
  "a file of another program is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      delete (h.__metadata__ as Record<string, string>).format;
    }),
  /not a blasnet model file/,
);
test(
  "non-string metadata is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.__metadata__ as Record<string, unknown>).layerDims = [3, 2, 1];
    }),
  /"__metadata__.layerDims" is not a string/,
);
test(
  "an unknown activation is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.__metadata__ as Record<string, string>).hidden = "eval('1')";
    }),
  /the hidden activation is "eval\('1'\)"; expected relu/,
);
test(
  "a shape that does not match its data length is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.W1 as { shape: number[] }).shape = [2, 4];
    }),
  /tensor "W1" has shape \[2, 4\] \(8 elements\) but data_offsets \[0, 48\] hold 48 bytes, 6 F64 values/,
);
test(
  "a shape that disagrees with layerDims is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.W1 as { shape: number[] }).shape = [3, 2];
    }),
  /tensor "W1" has shape \[3, 2\] but layerDims \[3, 2, 1\] needs \[2, 3\]/,
);
test(
  "data offsets past the data are refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.b2 as { data_offsets: number[] }).data_offsets = [88, 96];
    }),
  /tensor "b2" has data_offsets \[88, 96\] outside the 88 data bytes/,
);
test(
  "overlapping tensors are refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.b1 as { data_offsets: number[] }).data_offsets = [40, 56];
      (h.W2 as { data_offsets: number[] }).data_offsets = [48, 64];
    }),
  /overlaps the tensor before it/,
);
test(
  "data bytes that belong to no tensor are refused",
  refuses,
  () => {
    const { header, data } = splitFile(smallFile());
    return joinFile(header, Buffer.concat([data, Buffer.alloc(8)]));
  },
  /the data section holds 96 bytes but the tensors cover 88/,
);
test(
  "a header claiming 2^40 elements fails before allocating",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.W1 as { shape: number[] }).shape = [2 ** 20, 2 ** 20];
      (h.__metadata__ as Record<string, string>).layerDims = `[${2 ** 20},${2 ** 20},1]`;
    }),
  /tensor "W1" has shape \[1048576, 1048576\] \(1099511627776 elements\) but data_offsets/,
);
test(
  "a missing tensor is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      delete h.b2;
    }),
  /the data section holds 88 bytes but the tensors cover 80|no tensor "b2"/,
);
test(
  "an extra tensor is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      h.W3 = h.b2;
      delete h.b2;
    }),
  /unexpected tensor "W3"/,
);
test(
  "a tensor of another dtype than the model's is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.__metadata__ as Record<string, string>).dtype = "float32";
    }),
  /tensor "W1" is F64 but the model's dtype is float32/,
);
test(
  "an unknown tensor dtype is refused",
  refuses,
  () =>
    editHeader(smallFile(), (h) => {
      (h.W1 as { dtype: string }).dtype = "I64";
    }),
  /tensor "W1" has dtype "I64"/,
);

for (const [name, value] of [
  ["NaN", NaN],
  ["Infinity", Infinity],
] as const) {
  test(`${name} in the weights is refused unless allowNonFinite is set`, (t) => {
    const bytes = Buffer.from(smallFile());
    const { header } = splitFile(bytes);
    bytes.writeDoubleLE(value, 8 + Buffer.byteLength(header) + 16);
    t.throws(() => Model.fromBuffer(bytes), {
      instanceOf: ModelFormatError,
      message: new RegExp(`tensor "W1" holds ${name} at index 2; pass \\{ allowNonFinite: true \\}`),
    });
    const model = Model.fromBuffer(bytes, { allowNonFinite: true });
    t.is(model.parameters.W1!.data[2], value);
  });
}

test("__proto__ keys are refused and pollute nothing", (t) => {
  const { header, data } = splitFile(smallFile());
  for (const edited of [
    header.replace('{"__metadata__":', '{"__proto__":{"polluted":"yes"},"__metadata__":'),
    header.replace('"__metadata__":{', '"__metadata__":{"__proto__":{"polluted":"yes"},'),
    header.replace('"W1":{', '"W1":{"__proto__":{"polluted":"yes"},'),
  ]) {
    t.not(edited, header);
    t.throws(() => Model.fromBuffer(joinFile(edited, data)), {
      instanceOf: ModelFormatError,
      message: /the header has a "__proto__" key/,
    });
  }
  t.is(({} as Record<string, unknown>).polluted, undefined);
  t.is(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
});

test("Model.load names the file in its ModelFormatError", async (t) => {
  const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "blasnet-bad-"));
  try {
    const path = join(dir, "cut.safetensors");
    await writeFile(path, smallFile().subarray(0, 50));
    await t.throwsAsync(Model.load(path), {
      instanceOf: ModelFormatError,
      message: new RegExp(`^Model.load: ${path.replace(/[.]/g, "\\.")}: the header length`),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("model files and npz archives cut at every byte and 1,000 seeded byte flips each are ModelFormatErrors or exactly the file's model, in a child", async (t) => {
  const result = await runTsChild(new URL("./children/fuzz-model-file.ts", import.meta.url), ["1", "1000"]);
  t.is(result.signal, null, describeExit(result));
  t.is(result.code, 0, describeExit(result));
  const [summary] = jsonLines<{
    truncations: number;
    flips: number;
    loaded: number;
    formatErrors: number;
    npz: { truncations: number; flips: number; loaded: number; formatErrors: number };
    failures: string[];
  }>(result.stdout);
  t.truthy(summary, describeExit(result));
  t.deepEqual(summary!.failures.slice(0, 10), []);
  t.is(summary!.flips, 1000);
  t.true(summary!.truncations > 800);
  t.is(summary!.npz.flips, 1000);
  t.true(summary!.npz.truncations > 800);
  t.log(`npz: ${JSON.stringify(summary!.npz)}`);
  t.log(
    `${summary!.truncations} cuts, ${summary!.flips} flips: ${summary!.loaded} loaded, ${summary!.formatErrors} refused`,
  );
});
