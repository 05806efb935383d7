import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./app-process.ts";

/**
 * The top of a CPU profile (`bun --cpu-prof`, Chrome's .cpuprofile format): functions by self
 * time, as a share of the time the process was busy (not "(idle)", i.e. waiting for the network
 * or the database).
 */
export interface ProfileEntry {
  function: string;
  /** file:line, relative to the repo (node_modules kept, so a dependency is recognisable). */
  location: string;
  selfPct: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime?: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** `window`: ms since the process started; only samples inside it count (the load, not start-up). */
export function topOfProfile(dir: string, window: { fromMs: number; toMs: number } | null = null, n = 15): { samples: number; idlePct: number; top: ProfileEntry[] } {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time per node: from samples × time deltas when present, else hit counts.
  const self = new Map<number, number>();
  let counted = 0;
  if (profile.samples?.length && profile.timeDeltas?.length) {
    let at = 0; // µs since the first sample (≈ process start)
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas![i] ?? 0;
      if (window && (at / 1000 < window.fromMs || at / 1000 > window.toMs)) return;
      counted++;
      self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas![i + 1] ?? profile.timeDeltas![i] ?? 0));
    });
  } else for (const node of profile.nodes) self.set(node.id, node.hitCount ?? 0);
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, ProfileEntry>();
  let idle = 0;
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || "(anonymous)";
    if (name === "(idle)") idle += t;
    const path = url.startsWith("file://") ? url.slice(7) : url;
    const location = path ? `${path.startsWith("/") ? relative(ROOT, path) : path}:${lineNumber + 1}` : "";
    const key = `${name}@${location}`;
    const e = byFunction.get(key) ?? { function: name, location, selfPct: 0 };
    e.selfPct += (t / total) * 100;
    byFunction.set(key, e);
  }
  // Shares of the busy (non-idle) time: what the process spent its CPU on.
  const busy = total - idle || 1;
  for (const e of byFunction.values()) e.selfPct = (e.selfPct * total) / busy;
  byFunction.delete("(idle)@");
  const top = [...byFunction.values()]
    .sort((a, b) => b.selfPct - a.selfPct)
    .slice(0, n)
    .map((e) => ({ ...e, selfPct: Math.round(e.selfPct * 10) / 10 }));
  return { samples: counted, idlePct: Math.round((idle / total) * 1000) / 10, top };
}
