import { AppError } from "../errors.ts";
import { normaliseSite } from "../ingest/steps/resolve-site.ts";

/** Field checks shared by the admin API and the CLI; every error names its field. */

export const SLUG_RULE = "lower-case letters, digits and hyphens, 1–48 characters, starting with a letter or digit";

export function checkName(name: unknown, field = "name"): string {
  if (typeof name !== "string" || name.trim() === "" || name.trim().length > 100)
    throw new AppError(422, "invalid_name", `${field}: a non-empty name of at most 100 characters is required`);
  return name.trim();
}

export function checkSlug(slug: unknown): string {
  if (typeof slug !== "string" || !/^[a-z0-9][a-z0-9-]{0,47}$/.test(slug)) throw new AppError(422, "invalid_slug", `slug: use ${SLUG_RULE}`);
  return slug;
}

/** A slug from a name: "My App!" → "my-app". */
export function slugFrom(name: string): string {
  const s = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return s || "project";
}

export function checkDomain(domain: unknown, field = "domains"): string {
  const d = typeof domain === "string" && domain.length <= 253 ? normaliseSite(domain) : null;
  if (!d) throw new AppError(422, "invalid_domains", `${field}: "${String(domain).slice(0, 80)}" is not a host name such as example.com`);
  return d;
}

export function checkDomains(domains: unknown): string[] {
  if (domains === undefined || domains === null) return [];
  if (!Array.isArray(domains) || domains.length > 50) throw new AppError(422, "invalid_domains", "domains: a list of at most 50 host names is required");
  const out: string[] = [];
  domains.forEach((d, i) => {
    const n = checkDomain(d, `domains[${i}]`);
    if (!out.includes(n)) out.push(n);
  });
  return out;
}

/** An IANA time zone name, returned in its canonical spelling ("europe/paris" → "Europe/Paris"). */
export function checkTimezone(tz: unknown): string {
  if (typeof tz !== "string" || tz === "" || tz.length > 64)
    throw new AppError(422, "invalid_timezone", "timezone: an IANA time zone name such as Europe/Copenhagen or UTC is required");
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new AppError(422, "invalid_timezone", `timezone: "${tz}" is not an IANA time zone name (such as Europe/Copenhagen or UTC)`);
  }
}

export function checkSettings(settings: unknown): Record<string, unknown> {
  if (settings === undefined || settings === null) return {};
  if (typeof settings !== "object" || Array.isArray(settings)) throw new AppError(422, "invalid_settings", "settings: a JSON object is required");
  if (JSON.stringify(settings).length > 8192) throw new AppError(422, "invalid_settings", "settings: at most 8 KB of JSON");
  return settings as Record<string, unknown>;
}

export function checkEmail(email: unknown): string {
  if (typeof email !== "string" || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^\s@]+@localhost$/.test(email.trim())) {
    throw new AppError(422, "invalid_email", "email: an email address such as admin@example.com is required");
  }
  return email.trim();
}

export const PASSWORD_RULE = "at least 10 characters (and at most 256), not the email address";

export function checkPassword(password: unknown, email?: string): string {
  if (typeof password !== "string" || [...password].length < 10 || password.length > 256 || (email && password.toLowerCase() === email.toLowerCase())) {
    throw new AppError(422, "weak_password", `password: use ${PASSWORD_RULE}`);
  }
  return password;
}

export function checkRole(role: unknown): "admin" | "viewer" {
  if (role !== "admin" && role !== "viewer") throw new AppError(422, "invalid_role", "role: admin or viewer");
  return role;
}

export function checkScope(scope: unknown): "read" | "admin" {
  if (scope !== "read" && scope !== "admin") throw new AppError(422, "invalid_scope", "scope: read or admin");
  return scope;
}

export function checkId(id: unknown, field: string): number {
  const n = typeof id === "number" ? id : typeof id === "string" && /^[0-9]{1,15}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError(422, "invalid_id", `${field}: a positive whole number is required`);
  return n;
}
