import { buildFrame, type StackFrame } from "../frame.ts";
import { capInnermost, exceptionOf, MAX_EXCEPTION_MESSAGE_LENGTH, stackLines, stripLogPrefixes, type ParsedStack, type StackException, type StackParser } from "./types.ts";

/**
 * JVM stack traces (Java, Kotlin, Scala; Android's AndroidRuntime crash log), as
 * `Throwable.printStackTrace()` prints them:
 *
 *   java.lang.RuntimeException: Unable to start activity …
 *       at android.app.ActivityThread.performLaunchActivity(ActivityThread.java:2180)
 *   Caused by: java.lang.NullPointerException
 *       at com.example.ProfileActivity.onCreate(ProfileActivity.java:77)
 *       ... 11 more
 *
 * The root cause (the last "Caused by:") is where the bug is, so its frames are the ones we
 * return, completed with the "... N more" frames it shares with the trace that wraps it.
 */

/** Runtime and platform packages; everything else is taken as the app's (or its libraries'). */
const SYSTEM_PACKAGES = ["android.", "androidx.", "java.", "javax.", "kotlin.", "kotlinx.", "dalvik.", "com.android.", "sun.", "jdk.", "com.sun.", "libcore."];

const FRAME_START = /^\s*at\s+/;
const MORE = /^\s*\.\.\.\s*(\d+)\s+(?:more|common frames omitted)\s*$/;
/** A header names a fully qualified class: "java.lang.IllegalStateException: msg". */
const HEADER = /^\s*(Caused by:?\s+|Suppressed:\s+)?(?:Exception in thread "[^"]*"\s+|Fatal Exception:\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+)(?::\s?(.*))?$/;

/** "java.base/java.lang.Thread.run", "app//com.x.Main.main" → the class and method alone. */
function stripModulePrefix(method: string): string {
  const prefix = /^[\w.-]+(?:@[\w.+-]*)?\/(?:[\w.-]*(?:@[\w.+-]*)?\/)?/.exec(method);
  return prefix && !prefix[0].includes("$") ? method.slice(prefix[0].length) : method;
}

function isInApp(method: string): boolean {
  return !SYSTEM_PACKAGES.some((prefix) => method.startsWith(prefix));
}

/**
 * "at pkg.Class.method(File.java:12)", optionally followed by logback's packaging data
 * (" ~[app.jar:1.2.3]"). Split with indexOf, not one regex, so a hostile line costs one pass.
 */
function parseFrame(line: string): StackFrame | null {
  const start = FRAME_START.exec(line);
  if (!start) return null;
  let body = line.slice(start[0].length).trimEnd();
  if (body.endsWith("]")) {
    const cut = Math.max(body.lastIndexOf(" ["), body.lastIndexOf(" ~["));
    if (cut > 0) body = body.slice(0, cut).trimEnd();
  }
  const open = body.lastIndexOf("(");
  if (!body.endsWith(")") || open <= 0) return null;
  const method = stripModulePrefix(body.slice(0, open).trim());
  const location = body.slice(open + 1, -1).trim();
  if (method === "") return null;
  if (location === "Native Method") {
    return buildFrame({ file: null, function: method, line: null, column: null, native: true });
  }
  const withLine = /^(.*):(\d+)$/.exec(location);
  const file = withLine ? (withLine[1] ?? "") : location;
  const unknown = file === "" || file === "Unknown Source" || file === "Unknown";
  return buildFrame({
    file: unknown ? null : file,
    function: method,
    line: withLine ? Number(withLine[2]) : null,
    column: null,
    inApp: isInApp(method),
  });
}

interface Section {
  exception: StackException | null;
  frames: StackFrame[];
  /** "... N more": this many outermost frames are the enclosing trace's last N. */
  more: number;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

function parseSections(lines: string[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let suppressedIndent = -1;
  let messageOpen = false;
  for (const line of lines) {
    if (line.trim() === "") continue;
    // "Suppressed:" blocks (try-with-resources) are indented under their owner; skip them whole.
    if (suppressedIndent >= 0) {
      if (indentOf(line) > suppressedIndent) continue;
      suppressedIndent = -1;
    }
    const frame = parseFrame(line);
    if (frame) {
      if (current === null) sections.push((current = { exception: null, frames: [], more: 0 }));
      current.frames.push(frame);
      messageOpen = false;
      continue;
    }
    const more = MORE.exec(line);
    if (more && current) {
      current.more = Number(more[1]);
      continue;
    }
    const header = HEADER.exec(line);
    if (header && header[1]?.startsWith("Suppressed")) {
      suppressedIndent = indentOf(line);
      continue;
    }
    // A header starts a section: the first one, or any "Caused by:" once frames were seen.
    if (header && (current === null || header[1] !== undefined || current.frames.length > 0)) {
      sections.push((current = { exception: exceptionOf(header[2] ?? "", header[3] ?? ""), frames: [], more: 0 }));
      messageOpen = true;
      continue;
    }
    // Multi-line messages continue until the first frame (bounded: the message is capped anyway).
    if (messageOpen && current?.exception && current.exception.message.length < MAX_EXCEPTION_MESSAGE_LENGTH) {
      current.exception.message = `${current.exception.message}\n${line.trim()}`.trim().slice(0, MAX_EXCEPTION_MESSAGE_LENGTH);
    }
  }
  return sections;
}

function parse(text: string): ParsedStack {
  const sections = parseSections(stripLogPrefixes(stackLines(text)));
  let enclosing: StackFrame[] = [];
  let root: Section | null = null;
  let rootFrames: StackFrame[] = [];
  for (const section of sections) {
    const shared = section.more > 0 ? enclosing.slice(Math.max(0, enclosing.length - section.more)) : [];
    const full = [...section.frames, ...shared];
    if (full.length > 0 || root === null) {
      root = section;
      rootFrames = full;
    }
    enclosing = full;
  }
  return { platform: "java", frames: capInnermost(rootFrames), exception: root?.exception ?? null };
}

/** Lambda and hidden-class names carry per-build counters and addresses. */
function stableMethod(method: string): string {
  return method.replace(/\$\$Lambda(?:\$\d+)?(?:\/(?:0x)?[0-9a-f]+)?/gi, "$$$$Lambda").replace(/\$r8\$lambda\$[\w-]+/g, "$$r8$$lambda");
}

const RECOGNISED_FRAME = /^\s*at\s+[\w$./@+-]+\((?:[^()]*\.(?:java|kt|kts|scala|groovy|clj)(?::\d+)?|Native Method|Unknown Source(?::\d+)?|SourceFile(?::\d+)?)\)/;

export const javaParser: StackParser = {
  platform: "java",
  // Logcat prefixes hide the "at" at the start of the line, so they are stripped first.
  recognises: (lines) => stripLogPrefixes(lines).some((line) => RECOGNISED_FRAME.test(line)),
  parse,
  // Class and method identify the code; files are implied by the class and lines move.
  groupingKey: (frame) => (frame.function === null ? null : stableMethod(frame.function)),
};
