// The error a model file (safetensors or npz) that cannot be trusted raises: its own class, so a
// caller can tell a bad file apart from a bad argument (TypeError, RangeError) or an I/O error.

/**
 * A model file is malformed: truncated, corrupted, inconsistent or of an unknown version. The
 * message names the file's part that is wrong; nothing from the file was used to build a model.
 * @example
 * try { await Model.load(path) } catch (e) { if (e instanceof ModelFormatError) ... }
 */
export class ModelFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ModelFormatError";
  }
}
