/**
 * Structured JSON-lines logger. Callers pass plain fields; nothing here ever receives a raw IP,
 * user agent or secret (the ingest pipeline discards them before anything is logged).
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Logs at most one line per `key` per `intervalMs`, with a count of suppressed lines. */
  throttled(key: string, intervalMs: number, level: Exclude<LogLevel, "silent">, msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = "info", write: (line: string) => void = defaultWrite): Logger {
  const min = ORDER[level];
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, msg };
    if (fields) for (const [k, v] of Object.entries(fields)) entry[k] = v instanceof Error ? errorFields(v) : v;
    write(JSON.stringify(entry));
  };
  const windows = new Map<string, { until: number; suppressed: number }>();
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    throttled(key, intervalMs, lvl, msg, fields) {
      const now = Date.now();
      const w = windows.get(key);
      if (w && now < w.until) {
        w.suppressed++;
        return;
      }
      windows.set(key, { until: now + intervalMs, suppressed: 0 });
      emit(lvl, msg, w?.suppressed ? { ...fields, suppressed: w.suppressed } : fields);
    },
  };
}

function errorFields(err: Error): Record<string, unknown> {
  return {
    name: err.name,
    message: err.message,
    stack: err.stack
      ?.split("\n")
      .slice(1, 6)
      .map((l) => l.trim()),
  };
}

function defaultWrite(line: string) {
  process.stdout.write(line + "\n");
}

export const silentLogger: Logger = createLogger("silent");
