// Gates ava tests on optional datasets: run them when the data is present, skip them visibly when it is not, and fail them when BLASNET_REQUIRE_DATA=1.

import test, { type ExecutionContext } from "ava";
import { catDataAvailable, defaultDataDir, loadCatDataset, type CatDataset } from "../../lib/data.js";

/** True when `BLASNET_REQUIRE_DATA=1`: missing data must fail the run (CI) rather than skip quietly. */
export const dataRequired: boolean = process.env.BLASNET_REQUIRE_DATA === "1";

/** Describes one optional dataset for {@link makeDataTest}. */
export interface DataSource<T> {
  /** Used in notices and failures, e.g. "cat dataset". */
  name: string;
  /** Where the data is looked for, shown in the skip notice. */
  location: string;
  /** Whether the data is present; called once, when the test file registers its first test. */
  available: () => boolean;
  /** Loads the data; called at most once per test file, its result shared by that file's tests. */
  load: () => Promise<T>;
}

/** A test body that also receives the loaded data. Treat the data as read-only: it is shared. */
export type DataImplementation<T> = (t: ExecutionContext, data: T) => void | PromiseLike<void>;

/** Registers tests that need a dataset; call it like ava's `test`. */
export interface DataTest<T> {
  (title: string, implementation: DataImplementation<T>): void;
  /** Like ava's `test.serial`, for tests too heavy to overlap with others in the file. */
  serial(title: string, implementation: DataImplementation<T>): void;
}

/**
 * Makes a test registrar for one dataset. Whether the data is present is decided once, at registration,
 * because ava needs to know at load time whether a test is skipped:
 * - present: the test runs and gets the data (loaded once per file);
 * - absent: the test is registered with `test.skip` and one `console.warn` line names the location;
 * - absent but `BLASNET_REQUIRE_DATA=1`: the test runs and fails, saying the data is required and why it
 *   could not be loaded.
 * @param source the dataset's name, location, availability check and loader
 * @returns a function registering tests like ava's `test`, plus `serial`
 * @example
 * const mnistTest = makeDataTest({ name: "MNIST", location: dir, available: () => existsSync(dir), load });
 * mnistTest("trains", async (t, data) => t.true(data.trainX.cols > 0));
 */
export function makeDataTest<T>(source: DataSource<T>): DataTest<T> {
  let available: boolean | undefined;
  let loaded: Promise<T> | undefined;
  const load = (): Promise<T> => (loaded ??= source.load());

  const isAvailable = (): boolean => {
    if (available === undefined) {
      available = source.available();
      if (!available && !dataRequired) {
        console.warn(
          `[blasnet tests] skipping tests that need the ${source.name}: not found in ${source.location}. ` +
            `Set BLASNET_DATA_DIR to run them, or BLASNET_REQUIRE_DATA=1 to make their absence fail.`,
        );
      }
    }
    return available;
  };

  const body =
    (implementation: DataImplementation<T>) =>
    async (t: ExecutionContext): Promise<void> => {
      let data: T;
      try {
        data = await load();
      } catch (error) {
        if (!dataRequired) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        t.fail(`the ${source.name} is required (BLASNET_REQUIRE_DATA=1) but could not be loaded: ${reason}`);
        return;
      }
      await implementation(t, data);
    };

  const register =
    (run: (title: string, implementation: (t: ExecutionContext) => Promise<void>) => void) =>
    (title: string, implementation: DataImplementation<T>): void => {
      // Registering the skip keeps the test listed (as skipped) in ava's output rather than vanishing.
      if (isAvailable() || dataRequired) run(title, body(implementation));
      else test.skip(title, body(implementation));
    };

  const dataTest = register(test) as DataTest<T>;
  Object.defineProperties(dataTest, { serial: { value: register(test.serial) } });
  return dataTest;
}

/** Where the cat dataset is looked for: `BLASNET_DATA_DIR` or `../shared/datasets`. */
export const catDataDir: string = defaultDataDir();

/**
 * Registers a test that needs the cat-vs-non-cat dataset (from {@link catDataDir}).
 * @example
 * catTest("learns cats", async (t, { trainX, trainY }) => {
 *   t.deepEqual(trainX.shape, [12288, 209]);
 * });
 */
export const catTest: DataTest<CatDataset> = makeDataTest({
  name: "cat dataset",
  location: catDataDir,
  available: () => catDataAvailable(catDataDir),
  load: () => loadCatDataset(catDataDir),
});
