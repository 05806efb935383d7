import { parseAnyStack } from "../../crash/index.ts";

/**
 * `"ValueError: Something went wrong"` (or a browser's `"Uncaught TypeError: …"`) → type and
 * message. Without a `Type: ` prefix the type comes from the stack's own exception line (the
 * crash parsers read it), else "Error".
 */
export function splitErrorMessage(text: string, stack: string | null, platform: string | null): { errorType: string; message: string } {
  const m = /^(?:Uncaught\s+)?([A-Za-z_$][\w.$]{0,199}):\s*([\s\S]*)$/.exec(text.trim());
  if (m) return { errorType: m[1]!, message: m[2]! };
  const named = stack ? parseAnyStack(stack, platform)?.exception : null;
  return { errorType: named?.type || "Error", message: text };
}
