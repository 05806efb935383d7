import { datetimeRegex, type ZodTypeAny } from "zod";

/**
 * A fast "is this payload valid?" for the projection, derived from a contract's zod schema.
 * zod's `safeParse` allocates a context per field, rebuilds its datetime expression on every call
 * and copies every object; for the thousands of events a delivery step validates, that was a
 * large share of the projection's CPU (which, in one process, is CPU taken from ingest).
 *
 * The check is exact where it says yes: it only answers true when zod would accept the value and
 * return an equal one (no unknown keys to strip, no defaults or transforms). Anything else, and
 * every schema feature it does not know, answers false, and the caller falls back to zod, which
 * then decides and names the offending field. `compileCheck` returns null for a schema that uses
 * a feature it does not know at all, so such a contract always goes through zod.
 */
export type Check = (value: unknown) => boolean;

interface Def {
  typeName: string;
  [key: string]: unknown;
}
type ZodCheck = { kind: string; value?: unknown; inclusive?: boolean; regex?: RegExp; precision?: number | null; offset?: boolean; local?: boolean };

export function compileCheck(schema: ZodTypeAny): Check | null {
  const def = schema._def as Def;
  switch (def.typeName) {
    case "ZodString":
      return stringCheck(def.checks as ZodCheck[]);
    case "ZodNumber":
      return numberCheck(def.checks as ZodCheck[]);
    case "ZodBoolean":
      return (v) => typeof v === "boolean";
    case "ZodUnknown":
    case "ZodAny":
      return () => true;
    case "ZodLiteral": {
      const value = def.value;
      return (v) => v === value;
    }
    case "ZodEnum": {
      const values = new Set(def.values as unknown[]);
      return (v) => typeof v === "string" && values.has(v);
    }
    case "ZodNullable": {
      const inner = compileCheck(def.innerType as ZodTypeAny);
      return inner && ((v) => v === null || inner(v));
    }
    case "ZodOptional": {
      const inner = compileCheck(def.innerType as ZodTypeAny);
      return inner && ((v) => v === undefined || inner(v));
    }
    case "ZodArray": {
      const item = compileCheck(def.type as ZodTypeAny);
      const min = (def.minLength as { value: number } | null)?.value ?? 0;
      const max = (def.maxLength as { value: number } | null)?.value ?? Infinity;
      const exact = (def.exactLength as { value: number } | null)?.value;
      return (
        item &&
        ((v) => {
          if (!Array.isArray(v) || v.length < min || v.length > max || (exact !== undefined && v.length !== exact)) return false;
          for (const x of v) if (!item(x)) return false;
          return true;
        })
      );
    }
    case "ZodRecord": {
      const key = compileCheck(def.keyType as ZodTypeAny);
      const value = compileCheck(def.valueType as ZodTypeAny);
      return (
        key &&
        value &&
        ((v) => {
          if (!isPlainObject(v)) return false;
          for (const k in v) if (!key(k) || !value(v[k])) return false;
          return true;
        })
      );
    }
    case "ZodUnion": {
      const options = (def.options as ZodTypeAny[]).map(compileCheck);
      if (options.some((o) => o === null)) return null;
      return (v) => options.some((o) => o!(v));
    }
    case "ZodObject": {
      // Strict objects reject unknown keys and stripping ones drop them: either way a value with
      // an unknown key is left to zod.
      if ((def.catchall as { _def: Def })._def.typeName !== "ZodNever") return null;
      const shape = (def.shape as () => Record<string, ZodTypeAny>)();
      const fields: [string, Check][] = [];
      for (const [k, s] of Object.entries(shape)) {
        const c = compileCheck(s);
        if (!c) return null;
        fields.push([k, c]);
      }
      const known = new Set(fields.map(([k]) => k));
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const [k, c] of fields) if (!c(v[k])) return false;
        for (const k in v) if (!known.has(k)) return false;
        return true;
      };
    }
    default:
      return null; // defaults, transforms, refinements, lazy, …: zod decides
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const UUID = /^[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}$/i; // zod's

function stringCheck(checks: ZodCheck[]): Check | null {
  const tests: ((s: string) => boolean)[] = [];
  for (const c of checks) {
    const n = c.value as number;
    if (c.kind === "min") tests.push((s) => s.length >= n);
    else if (c.kind === "max") tests.push((s) => s.length <= n);
    else if (c.kind === "length") tests.push((s) => s.length === n);
    else if (c.kind === "uuid") tests.push((s) => UUID.test(s));
    else if (c.kind === "regex") {
      const re = c.regex!;
      tests.push((s) => {
        re.lastIndex = 0;
        return re.test(s);
      });
    } else if (c.kind === "datetime") {
      const re = datetimeRegex(c as never); // built once here, not per value
      tests.push((s) => re.test(s));
    } else return null;
  }
  return (v) => {
    if (typeof v !== "string") return false;
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}

function numberCheck(checks: ZodCheck[]): Check | null {
  const tests: ((x: number) => boolean)[] = [];
  for (const c of checks) {
    const n = c.value as number;
    if (c.kind === "int") tests.push((x) => Number.isInteger(x));
    else if (c.kind === "finite") tests.push((x) => Number.isFinite(x));
    else if (c.kind === "min") tests.push(c.inclusive ? (x) => x >= n : (x) => x > n);
    else if (c.kind === "max") tests.push(c.inclusive ? (x) => x <= n : (x) => x < n);
    else return null;
  }
  return (v) => {
    if (typeof v !== "number" || Number.isNaN(v)) return false;
    for (const t of tests) if (!t(v)) return false;
    return true;
  };
}
