import { buildFrame, type StackFrame } from "../frame.ts";
import { capInnermost, exceptionOf, stackLines, type ParsedStack, type StackException, type StackParser } from "./types.ts";

/**
 * Apple backtraces: `NSThread.callStackSymbols` / `-[NSException callStackSymbols]`, the thread
 * lists of .crash/.ips-text crash reports, and lldb's `bt`:
 *
 *   0   CoreFoundation   0x00007fff2043a126 __exceptionPreprocess + 242
 *   4   MyApp            0x0000000102a3b1c8 ViewController.viewDidLoad() + 312 (ViewController.swift:42)
 *   * frame #0: 0x0000000100003f44 MyApp`main at main.swift:5:3
 *
 * A frame's file is its binary image (what Apple prints), its function the symbol without the
 * offset, its line the source line when the report was symbolicated with one. In a crash report
 * the exception backtrace is where an uncaught exception was thrown, so it wins over the crashed
 * thread (which then only shows abort()); the crashed thread wins over any other thread.
 */

/** Frameworks and libraries of the OS. Reports with a "Binary Images" section are decided by path. */
const SYSTEM_IMAGES = new Set([
  "CoreFoundation",
  "Foundation",
  "UIKit",
  "UIKitCore",
  "GraphicsServices",
  "QuartzCore",
  "CoreGraphics",
  "AppKit",
  "HIToolbox",
  "SwiftUI",
  "WebKit",
  "WebCore",
  "JavaScriptCore",
  "CFNetwork",
  "Security",
  "CoreData",
  "CoreText",
  "CoreLocation",
  "MapKit",
  "AVFoundation",
  "CoreMedia",
  "ImageIO",
  "Metal",
  "FrontBoardServices",
  "BaseBoard",
  "RunningBoardServices",
  "UIFoundation",
  "CoreAutoLayout",
  "SwiftUICore",
  "Combine",
  "AttributeGraph",
  "IOKit",
  "Network",
  "StoreKit",
  "UserNotifications",
  "UserNotificationsUIKit",
  "CoreServices",
  "LaunchServices",
  "SpringBoard",
  "dyld",
  "dyld_sim",
]);

function isSystemImageName(image: string): boolean {
  return SYSTEM_IMAGES.has(image) || /^lib.*\.dylib$/.test(image) || image.startsWith("com.apple.");
}

/** `0x100e48000 - 0x100e4ffff MyApp arm64 <uuid> /var/containers/…/MyApp.app/MyApp`. */
const BINARY_IMAGE = /^\s*0x[0-9a-f]+\s*-\s*0x[0-9a-f]+\s+(\+?)(.+?)\s+(?:\S+\s+)?(?:\([^)]*\)\s+)?<[0-9a-f-]+>\s+(\/.*)$/i;
const SYSTEM_PATH = /^\/(?:System|usr\/lib|private\/preboot|Library\/Apple|Developer)\//;

/** Image name → is it the OS's? Read from the report itself when it lists its images. */
function binaryImages(lines: string[]): Map<string, boolean> {
  const images = new Map<string, boolean>();
  for (const line of lines) {
    const match = BINARY_IMAGE.exec(line);
    if (!match) continue;
    const [, plus, name = "", path = ""] = match;
    images.set(name.trim(), plus !== "+" && SYSTEM_PATH.test(path));
  }
  return images;
}

/**
 * `0   CoreFoundation   0x00007fff… __exceptionPreprocess + 242`; Cr4shed marks app images with
 * "+". Image names may contain spaces, so the image ends at the first address (found with a
 * search that starts on whitespace followed by "0x", one pass per line).
 */
const FRAME_NUMBER = /^\s*\d+\s+(?:\+\s+)?(?=\S)/;
const FRAME_ADDRESS = /\s(0x[0-9a-f]+)\s+/i;

function splitFrameLine(line: string): { image: string; rest: string } | null {
  const number = FRAME_NUMBER.exec(line);
  if (!number) return null;
  const tail = line.slice(number[0].length);
  const address = FRAME_ADDRESS.exec(tail);
  if (!address || address.index === 0) return null;
  return { image: tail.slice(0, address.index).trim(), rest: tail.slice(address.index + address[0].length) };
}
const LLDB_FRAME = /^\s*\*?\s*frame #\d+:\s+0x[0-9a-f]+\s+([^`\s]+)`(.+?)(?: at ([^:]+):(\d+)(?::(\d+))?)?\s*$/;

function parseSymbol(image: string, rest: string): { fn: string | null; file: string | null; line: number | null } {
  let text = rest.trim();
  const comment = text.indexOf("// ");
  if (comment >= 0) text = text.slice(comment + 3).trim(); // Cr4shed: "0x… + 0x…\t// symbol + 0x4b0"
  let file: string | null = null;
  let line: number | null = null;
  const source = /\s+\(([^()]+?):(\d+)\)$/.exec(text);
  if (source) {
    file = source[1] ?? null;
    line = Number(source[2]);
    text = text.slice(0, source.index);
  }
  text = text.replace(/\s+\+\s+(?:0x[0-9a-f]+|\d+)$/i, "").trim();
  // Unsymbolicated: "0x100000000 + 58598" (load address) or "MyApp + 22432" (image name).
  if (text === "" || /^0x[0-9a-f]+$/i.test(text) || text === image || text === "<redacted>" || text === "???") {
    return { fn: null, file: null, line: null };
  }
  return { fn: text, file, line };
}

interface Section {
  kind: "exception" | "crashed" | "thread" | "other";
  frames: { image: string; fn: string | null; line: number | null }[];
}

const SECTION_HEADERS: [RegExp, Section["kind"]][] = [
  [/^(?:Last Exception Backtrace|Application Specific Backtrace \d+)\s*:/i, "exception"],
  [/^Thread \d+ Crashed\s*:/i, "crashed"],
  [/^(?:Thread \d+(?: name)?\s*:|\*?\s*thread #\d+)/i, "thread"],
];

function parseSections(lines: string[]): Section[] {
  const sections: Section[] = [];
  let current: Section = { kind: "other", frames: [] };
  sections.push(current);
  for (const line of lines) {
    const trimmed = line.trim();
    const header = SECTION_HEADERS.find(([pattern]) => pattern.test(trimmed));
    if (header) {
      sections.push((current = { kind: header[1], frames: [] }));
      continue;
    }
    if (/^Binary Images\s*:/i.test(trimmed)) break;
    const lldb = LLDB_FRAME.exec(line);
    if (lldb) {
      const fn = (lldb[2] ?? "").replace(/\s+\+\s+\d+$/, "").trim() || null;
      current.frames.push({ image: lldb[1] ?? "", fn, line: lldb[4] ? Number(lldb[4]) : null });
      continue;
    }
    const frame = splitFrameLine(line);
    if (!frame) continue;
    const { image } = frame;
    const { fn, line: lineNo } = parseSymbol(image, frame.rest);
    current.frames.push({ image, fn, line: lineNo });
  }
  return sections.filter((section) => section.frames.length > 0);
}

function exceptionFrom(lines: string[]): StackException | null {
  const text = lines.join("\n");
  const uncaught = /uncaught exception '([^']+)', reason: '(.*)'/.exec(text);
  if (uncaught) return exceptionOf(uncaught[1] ?? "", uncaught[2] ?? "");
  const swift = /^.*?\b(Fatal error|Precondition failed|Assertion failed): (.*)$/m.exec(text);
  if (swift) return exceptionOf(swift[1] ?? "", swift[2] ?? "");
  const type = /^Exception Type:\s+(\S+)(?:\s+\((\w+)\))?/m.exec(text);
  if (type) {
    const codes = /^Exception (?:Codes|Subtype):\s+(.*)$/m.exec(text)?.[1]?.trim();
    return exceptionOf(type[1] ?? "", [type[2], codes].filter(Boolean).join(": "));
  }
  return null;
}

function parse(text: string): ParsedStack {
  const lines = stackLines(text);
  const sections = parseSections(lines);
  const chosen = sections.find((s) => s.kind === "exception") ?? sections.find((s) => s.kind === "crashed") ?? sections[0];
  const images = binaryImages(lines);
  const frames: StackFrame[] = (chosen?.frames ?? []).map(({ image, fn, line }) =>
    buildFrame({
      file: image,
      function: fn,
      line,
      column: null,
      inApp: !(images.get(image) ?? isSystemImageName(image)),
    }),
  );
  return { platform: "apple", frames: capInnermost(frames), exception: exceptionFrom(lines) };
}

/**
 * Compiler-numbered block and outlined-function suffixes, and the per-build hashes of Rust's
 * legacy mangling ("::h5d17554117e8ddd6", " (.llvm.3410359905292931506)"), change every build.
 */
function stableSymbol(symbol: string): string {
  return symbol
    .replace(/_block_invoke(?:[._]\d+)*/g, "_block_invoke")
    .replace(/\s*\(\.llvm\.\d+\)/g, "")
    .replace(/::h[0-9a-f]{16}\b/g, "")
    .replace(/\.cold\.\d+$/, "");
}

export const appleParser: StackParser = {
  platform: "apple",
  recognises: (lines) => lines.some((line) => /^\s*\d+\s+(?:\+\s+)?\S.*?\s0x[0-9a-f]{6,16}\s+\S/i.test(line) || /^\s*\*?\s*frame #\d+:\s+0x[0-9a-f]+\s+\S+`/.test(line)),
  parse,
  // Image and symbol; the offset and address change with every build.
  groupingKey: (frame) => (frame.function === null ? null : `${frame.file ?? "?"}:${stableSymbol(frame.function)}`),
};
