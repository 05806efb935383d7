/**
 * The normalised stack frame shared by the parser, the client-frame normaliser, the scrubber and
 * the fingerprinter, plus the limits and the "is this the app's own code?" rule they all apply.
 */
export interface StackFrame {
  file: string | null;
  function: string | null;
  line: number | null;
  column: number | null;
  /** False for runtimes, dependencies, extensions and anything without a file. */
  inApp: boolean;
  /** Present (true) only for engine built-ins such as `[native code]`. */
  native?: boolean;
}

/** Deep recursion can produce thousands of frames; the innermost 64 are what anyone reads. */
export const MAX_FRAMES = 64;
export const MAX_FILE_LENGTH = 512;
export const MAX_FUNCTION_LENGTH = 256;

/**
 * Schemes whose code the app does not own: browser extensions inject into every page. Safari
 * reports some extension scripts as "webkit-masked-url://hidden/".
 */
export const EXTENSION_SCHEMES = ["chrome-extension:", "moz-extension:", "safari-extension:", "safari-web-extension:", "webkit-masked-url:"] as const;

export function isExtensionOrBlobFile(file: string): boolean {
  const lower = file.toLowerCase();
  return lower.startsWith("blob:") || EXTENSION_SCHEMES.some((scheme) => lower.startsWith(scheme));
}

/** Runtime internals: Node's `node:` modules and `internal/` paths, Bun's `internal:` modules. */
function isRuntimeInternal(file: string): boolean {
  return file.startsWith("node:") || file.startsWith("internal/") || file.startsWith("internal:");
}

function isDependency(file: string): boolean {
  return /[/\\]node_modules[/\\]/.test(file) || file.startsWith("node_modules/");
}

export function isInAppFile(file: string | null, native: boolean): boolean {
  if (native || file === null || file === "<anonymous>") return false;
  return !isRuntimeInternal(file) && !isDependency(file) && !isExtensionOrBlobFile(file);
}

function capText(value: string | null, max: number): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  return trimmed.length > max ? trimmed.slice(0, max) : trimmed;
}

/** Accepts only non-negative integers; anything else (NaN, -1, 1.5, "3") becomes null. */
export function toLineNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export interface FrameParts {
  file: string | null;
  function: string | null;
  line: number | null;
  column: number | null;
  native?: boolean;
  /**
   * Set by the native-platform parsers, which know from the package, namespace or image whether
   * code is the app's; without it the JavaScript rule (derived from the file) applies.
   */
  inApp?: boolean;
}

/** Builds a frame with caps applied and `inApp` derived, so every producer agrees on both. */
export function buildFrame(parts: FrameParts): StackFrame {
  const native = parts.native === true;
  const rawFile = capText(parts.file, MAX_FILE_LENGTH);
  const file = rawFile === "<anonymous>" ? null : rawFile;
  const frame: StackFrame = {
    file,
    function: capText(parts.function, MAX_FUNCTION_LENGTH),
    line: toLineNumber(parts.line),
    column: toLineNumber(parts.column),
    inApp: native ? false : (parts.inApp ?? isInAppFile(file, native)),
  };
  if (native) frame.native = true;
  return frame;
}
