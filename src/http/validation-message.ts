/**
 * TypeBox validation errors → one sentence a client developer can act on: the field, what it
 * must be (the allowed values, types and limits, read from the schema itself) and what was sent.
 * TypeBox's own summaries say `should be one of: 'string', 'string', 'string'` for an enum,
 * which names neither the values nor the field's limits.
 */

/** The subset of a TypeBox/JSON schema this module reads. */
interface Schema {
  type?: string | string[];
  const?: unknown;
  anyOf?: Schema[];
  enum?: unknown[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
}

export interface ValidationIssue {
  path?: string;
  message?: string;
  schema?: unknown;
  value?: unknown;
}

const MAX_ISSUES = 3;

/**
 * `{ all: ValidationIssue[] }` as Elysia's ValidationError carries it → the message. `target` is
 * what was validated (`body`, `query`, `params`, `headers`), the name of the root.
 */
export function validationMessage(issues: readonly ValidationIssue[] | undefined, target = "body"): string {
  if (!issues || issues.length === 0) return `${target}: does not match the expected shape`;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const issue of issues) {
    const field = fieldName(issue.path, target);
    if (seen.has(field)) continue; // one sentence per field: a union reports each branch
    seen.add(field);
    parts.push(describeIssue(field, issue));
    if (parts.length === MAX_ISSUES) break;
  }
  return parts.join("; ").slice(0, 600);
}

/** "/stackTrace/0/line" → "stackTrace[0].line"; the root is named by the target ("body"). */
function fieldName(path: string | undefined, target: string): string {
  const segments = (path ?? "")
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (segments.length === 0) return target;
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function describeIssue(field: string, issue: ValidationIssue): string {
  const schema = (issue.schema ?? {}) as Schema;
  const expected = describeSchema(schema);
  if (issue.value === undefined) return `${field}: is required; send ${expected}`;
  if (!expected) return `${field}: ${issue.message ?? "is invalid"} (got ${describeValue(issue.value)})`;
  return `${field}: must be ${expected} (got ${describeValue(issue.value)})`;
}

/** A schema in words: `one of "warning", "error", "fatal"`, `a string of at most 2048 characters`. */
export function describeSchema(schema: Schema): string {
  const literals = literalValues(schema);
  if (literals) return literals.length === 1 ? JSON.stringify(literals[0]) : `one of ${literals.map((v) => JSON.stringify(v)).join(", ")}`;
  if (schema.anyOf) return joinOr(schema.anyOf.map(describeSchema).filter(Boolean));
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case "string":
      return `a string${stringLimits(schema)}`;
    case "integer":
      return `a whole number${numberLimits(schema)}`;
    case "number":
      return `a number${numberLimits(schema)}`;
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    case "array": {
      const count = range(schema.minItems, schema.maxItems, "item");
      const of = schema.items ? ` of ${plural(describeSchema(schema.items))}` : "";
      return `a list${of}${count ? ` (${count})` : ""}`;
    }
    case "object":
      return `an object${schema.maxProperties !== undefined ? ` of at most ${schema.maxProperties} keys` : ""}`;
    default:
      return "";
  }
}

function literalValues(schema: Schema): unknown[] | null {
  if (schema.const !== undefined) return [schema.const];
  if (schema.enum) return schema.enum;
  if (schema.anyOf && schema.anyOf.length > 0 && schema.anyOf.every((s) => s.const !== undefined)) return schema.anyOf.map((s) => s.const);
  return null;
}

function stringLimits(s: Schema): string {
  const min = s.minLength ?? 0;
  let text = "";
  if (s.maxLength !== undefined) text = min > 0 ? ` of ${min}–${s.maxLength} characters` : ` of at most ${s.maxLength} characters`;
  else if (min > 0) text = ` of at least ${min} character${min === 1 ? "" : "s"}`;
  if (s.format) text += ` in ${s.format} format`;
  else if (s.pattern) text += ` matching ${s.pattern}`;
  return text;
}

function numberLimits(s: Schema): string {
  // TypeBox schemas here use ±Number.MAX_VALUE only to refuse Infinity; that is not worth saying.
  const min = s.minimum !== undefined && Math.abs(s.minimum) < Number.MAX_VALUE ? s.minimum : undefined;
  const max = s.maximum !== undefined && Math.abs(s.maximum) < Number.MAX_VALUE ? s.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return "";
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && min > 0 && max !== undefined) return `${min}–${max} ${unit}s`;
  if (max !== undefined) return `at most ${max} ${unit}${max === 1 ? "" : "s"}`;
  if (min !== undefined && min > 0) return `at least ${min} ${unit}${min === 1 ? "" : "s"}`;
  return "";
}

/** "a string of at most 200 characters" → "strings of at most 200 characters". */
function plural(description: string): string {
  return description.replace(/^an? (string|whole number|number|object|list)\b/, "$1s") || "values";
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** What was sent, briefly: short scalars verbatim, long strings by length, containers by kind. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return value.length === 0 ? "an empty string" : value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (typeof value === "object") return `an object of ${Object.keys(value).length} key${Object.keys(value).length === 1 ? "" : "s"}`;
  return typeof value;
}
