/**
 * Just enough of Docker's file formats to test the image's recipe on a machine without a Docker
 * engine: Dockerfile instructions by stage, .dockerignore matching, and a docker-compose.yml read
 * with Bun's YAML parser.
 */
import { Glob } from "bun";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");

export interface Instruction {
  op: string;
  args: string;
}
export interface Stage {
  image: string;
  name: string | null;
  steps: Instruction[];
}

/** The stages of a Dockerfile, each with its instructions (continuations joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`cannot read Dockerfile line: ${line}`);
    if (op.toUpperCase() === "FROM") {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args!.trim()) ?? [];
      stages.push({ image: image!, name: name ?? null, steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${op} before FROM`);
    stage.steps.push({ op: op.toUpperCase(), args: args!.replace(/\s+/g, " ").trim() });
  }
  return stages;
}

/** .dockerignore as a predicate on paths relative to the build context (negations supported). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => ({ negate: l.startsWith("!"), glob: new Glob(l.replace(/^!/, "").replace(/^\/+|\/+$/g, "")) }));
  return (path) => {
    // A path is excluded when it, or a folder it is in, matches; the last matching rule wins.
    const parts = path.split("/");
    let excluded = false;
    for (const rule of rules) {
      for (let i = 1; i <= parts.length; i++) {
        if (rule.glob.match(parts.slice(0, i).join("/"))) excluded = !rule.negate;
      }
    }
    return excluded;
  };
}

export async function readDockerFiles() {
  const stages = parseDockerfile(await Bun.file(join(ROOT, "Dockerfile")).text());
  const ignored = dockerignore(await Bun.file(join(ROOT, ".dockerignore")).text());
  const compose = Bun.YAML.parse(await Bun.file(join(ROOT, "docker-compose.yml")).text()) as {
    services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; stop_grace_period?: string; depends_on?: Record<string, unknown> }>;
  };
  return { stages, ignored, compose };
}

/** "20s", "1m30s" → seconds. */
export function composeDuration(value: string): number {
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as "s"];
  return total;
}
