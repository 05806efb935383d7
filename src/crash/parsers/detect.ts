import { appleParser } from "./apple.ts";
import { dotnetParser } from "./dotnet.ts";
import { goParser } from "./go.ts";
import { javaParser } from "./java.ts";
import { javascriptParser } from "./javascript.ts";
import { pythonParser } from "./python.ts";
import { stackLines, type ParsedStack, type StackParser, type StackPlatform } from "./types.ts";

/** Every parser, by platform: adding a format means adding a module and one entry here. */
export const STACK_PARSERS: Record<StackPlatform, StackParser> = {
  javascript: javascriptParser,
  python: pythonParser,
  java: javaParser,
  apple: appleParser,
  dotnet: dotnetParser,
  go: goParser,
};

/**
 * Native formats in the order their marks are checked; each mark is specific enough that a
 * JavaScript stack never carries it (V8 prints "at fn (file:1:2)", never "at a.B.c(B.java:2)").
 */
const NATIVE_ORDER: readonly StackParser[] = [pythonParser, goParser, javaParser, dotnetParser, appleParser];

/** Platform names clients send (ours, Sentry's `platform`, SDK names) → the stack format. */
const HINTS: [RegExp, StackPlatform][] = [
  [/^(?:python|py|cpython|django|flask)$/, "python"],
  [/^(?:java|kotlin|android|jvm|scala|groovy|clojure)$/, "java"],
  [/^(?:ios|ipados|macos|osx|tvos|watchos|visionos|apple|cocoa|swift|objc|objective-?c)$/, "apple"],
  [/^(?:dotnet|\.net|net|csharp|c#|fsharp|unity|xamarin|maui)$/, "dotnet"],
  [/^(?:go|golang)$/, "go"],
  [/^(?:javascript|js|node|nodejs|bun|deno|web|browser|react-native|electron)$/, "javascript"],
];

export function platformFromHint(hint: string | null | undefined): StackPlatform | null {
  if (typeof hint !== "string") return null;
  const value = hint.trim().toLowerCase();
  return HINTS.find(([pattern]) => pattern.test(value))?.[1] ?? null;
}

/**
 * Picks the parser for a stack: the formats whose marks the text carries (the hinted one first),
 * then the JavaScript parser (what every stack went through before native formats existed, so JS
 * reports parse exactly as they did), then the hinted parser leniently. The first that yields
 * frames wins. With none, frames are empty and the caller keeps the text as a raw stack.
 */
export function parseAnyStack(text: string, hint?: string | null): ParsedStack {
  const hinted = platformFromHint(hint);
  const lines = stackLines(text);
  const recognising = NATIVE_ORDER.filter((parser) => parser.recognises(lines));
  const hintedParser = hinted ? STACK_PARSERS[hinted] : null;
  const candidates = [
    ...recognising.filter((parser) => parser === hintedParser),
    ...recognising.filter((parser) => parser !== hintedParser),
    javascriptParser,
    ...(hintedParser && hintedParser !== javascriptParser && !recognising.includes(hintedParser) ? [hintedParser] : []),
  ];
  let firstException: ParsedStack["exception"] = null;
  for (const parser of candidates) {
    const parsed = parser.parse(text);
    if (parsed.frames.length > 0) return { ...parsed, exception: parsed.exception ?? firstException };
    firstException ??= parsed.exception;
  }
  // No frames anywhere: the text may still name its exception in another platform's words
  // ("*** Terminating app due to uncaught exception 'X', reason: …" above a bare address list).
  for (const parser of NATIVE_ORDER) {
    if (firstException !== null) break;
    if (!candidates.includes(parser)) firstException = parser.parse(text).exception;
  }
  return { platform: hinted ?? recognising[0]?.platform ?? "javascript", frames: [], exception: firstException };
}
