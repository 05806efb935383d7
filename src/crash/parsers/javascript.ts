import { parseStack } from "../stack-parse.ts";
import { stableFileName } from "../stable-file-name.ts";
import { exceptionOf, type ParsedStack, type StackParser } from "./types.ts";

/**
 * `Error.prototype.stack` from V8, SpiderMonkey and JavaScriptCore (src/crash/stack-parse.ts).
 * V8 and Bun start the stack with "TypeError: message"; that header names the exception.
 */

const HEADER = /^\s*([A-Za-z_$][\w$.]*(?:Error|Exception|Rejection)|Error):\s?(.*)$/;

function parse(text: string): ParsedStack {
  const first = text.slice(0, 4096).split(/\r?\n/, 1)[0] ?? "";
  const head = HEADER.exec(first);
  return {
    platform: "javascript",
    frames: parseStack(text),
    exception: head ? exceptionOf(head[1] ?? "", head[2] ?? "") : null,
  };
}

export const javascriptParser: StackParser = {
  platform: "javascript",
  recognises: (lines) => lines.some((line) => /^\s*at .+:\d+:\d+\)?\s*$/.test(line) || /^[^\s@]*@\S+:\d+:\d+\s*$/.test(line)),
  parse,
  // g1's rule, unchanged: the file without build hashes and the function name.
  groupingKey: (frame) => (frame.file === null ? null : `${stableFileName(frame.file)}:${frame.function ?? "?"}`),
};
