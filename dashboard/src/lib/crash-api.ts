import { api } from "./api.ts";

/** The crash-group API (triage): list, detail, status changes. Shapes as documented in /swagger. */
export type CrashStatus = "new" | "ongoing" | "resolved" | "regressed" | "ignored";
export interface CrashGroup {
  id: string;
  site: string;
  errorType: string;
  message: string;
  status: CrashStatus;
  occurrences: number;
  affectedVisitors: number;
  firstSeen: string;
  lastSeen: string;
  releases: string[];
  platforms: string[];
  statusChangedAt: string | null;
  regressedAt: string | null;
  regressedRelease: string | null;
}
export interface Frame {
  function: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  inApp: boolean;
}
export interface Crash {
  id: string;
  occurredAt: string;
  errorType: string;
  message: string;
  severity: string;
  /** Innermost first. */
  frames: Frame[];
  rawStack: string | null;
  release: string | null;
  platform: string | null;
  os: string | null;
  osVersion: string | null;
  browser: string | null;
  browserVersion: string | null;
  deviceType: string;
  pathname: string | null;
  breadcrumbs: Record<string, unknown>[] | null;
  context: Record<string, unknown> | null;
}
export interface CrashDetail {
  group: CrashGroup & { triage: { resolvedInRelease: string | null; ignoreUntil: string | null; ignoreCount: number | null } };
  representative: Crash | null;
  releases: { release: string | null; occurrences: number; firstSeen: string; lastSeen: string }[];
  platforms: { platform: string | null; occurrences: number }[];
  daily: { day: string; occurrences: number }[];
}

export const STATUS_LABELS: Record<CrashStatus, string> = { new: "New", ongoing: "Ongoing", resolved: "Resolved", regressed: "Regressed", ignored: "Ignored" };
/** What "unresolved" means in the list's filter. */
export const UNRESOLVED: CrashStatus[] = ["new", "ongoing", "regressed"];

export function listCrashGroups(site: string, statuses: CrashStatus[] | null, signal?: AbortSignal): Promise<CrashGroup[]> {
  const params = new URLSearchParams({ site, sort: "last_seen", limit: "100" });
  if (statuses) params.set("status", statuses.join(","));
  return api<{ groups: CrashGroup[] }>(`/api/crash-groups?${params}`, { signal }).then((r) => r.groups);
}

/** How many groups of a site are open (new, ongoing or regressed). */
export function countOpenCrashGroups(site: string, signal?: AbortSignal): Promise<number> {
  const params = new URLSearchParams({ site, status: UNRESOLVED.join(","), limit: "1" });
  return api<{ total: number }>(`/api/crash-groups?${params}`, { signal }).then((r) => r.total);
}

export function crashGroup(id: string, signal?: AbortSignal): Promise<CrashDetail> {
  return api<CrashDetail>(`/api/crash-groups/${encodeURIComponent(id)}`, { signal });
}

export interface StatusChange {
  status: "new" | "ongoing" | "resolved" | "ignored";
  /** With resolved: crashes from releases after the group's newest one reopen it. */
  inNextRelease?: boolean;
}
export function changeStatus(id: string, change: StatusChange): Promise<unknown> {
  return api(`/api/crash-groups/${encodeURIComponent(id)}/status`, { method: "POST", body: change });
}
