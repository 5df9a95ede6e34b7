// Atomic, durable file writes: a temporary file in the destination's folder, written and fsynced,
// renamed over the destination, then the folder fsynced, so a crash or kill -9 at any moment leaves
// the old file or the new one, never a torn one, and a completed write survives a power cut.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** An I/O error with the Node error code (ENOENT, EACCES, ...) and a message naming the destination. */
export interface FileWriteError extends Error {
  code?: string;
  path: string;
}

/**
 * Writes `bytes` to `path` atomically and durably.
 * @throws {Error} with `code` (e.g. "ENOENT" when the folder does not exist) and `path`, saying
 * what failed; the temporary file is removed
 */
export async function writeFileAtomic(fn: string, path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(path);
  const folder = dirname(target);
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temporary, "wx");
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    created = false;
    const dir = await open(folder, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch (error) {
    if (created) await unlink(temporary).catch(() => undefined);
    throw describeWriteError(fn, target, folder, error);
  }
}

/** writeFileAtomic's synchronous twin, for the sync fit's checkpoints: same temporary file, fsyncs and rename. */
export function writeFileAtomicSync(fn: string, path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const folder = dirname(target);
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const fd = openSync(temporary, "wx");
    created = true;
    try {
      for (let at = 0; at < bytes.byteLength;) at += writeSync(fd, bytes, at, bytes.byteLength - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
    created = false;
    const dir = openSync(folder, "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (error) {
    if (created) {
      try {
        unlinkSync(temporary);
      } catch {
        // the temporary file is already gone
      }
    }
    throw describeWriteError(fn, target, folder, error);
  }
}

function describeWriteError(fn: string, target: string, folder: string, error: unknown): FileWriteError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? `the folder ${folder} does not exist`
      : code === "EACCES" || code === "EPERM"
        ? `permission denied in ${folder}`
        : code === "ENOTDIR"
          ? `${folder} is not a folder`
          : (error as Error).message;
  const out = new Error(`${fn}: cannot write ${target}: ${reason}${code ? ` (${code})` : ""}`, {
    cause: error,
  }) as FileWriteError;
  out.code = code;
  out.path = target;
  return out;
}
