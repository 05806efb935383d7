import { api } from "./api.ts";

/** The admin crash-group API (triage): list, detail, status changes. */
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
  resolvedInRelease?: string | null;
}
export interface Frame {
  function?: string | null;
  file?: string | null;
  line?: number | null;
  column?: number | null;
  inApp?: boolean;
}
export interface Breadcrumb {
  timestamp?: string | null;
  category?: string | null;
  message?: string | null;
  level?: string | null;
  type?: string | null;
}
export interface CrashDetail {
  group: CrashGroup;
  representative: {
    id: string;
    occurredAt: string;
    errorType: string;
    message: string;
    /** Innermost first. */
    frames: Frame[];
    rawStack?: string | null;
    breadcrumbs?: Breadcrumb[];
    context?: Record<string, unknown>;
    release?: string | null;
    platform?: string | null;
    pathname?: string | null;
    browser?: string | null;
    os?: string | null;
  } | null;
  daily: { day: string; crashes: number }[];
  feedback?: { id: string; category: string; message: string; status: string; receivedAt: string }[];
}

export const STATUS_LABELS: Record<CrashStatus, string> = { new: "New", ongoing: "Ongoing", resolved: "Resolved", regressed: "Regressed", ignored: "Ignored" };

export function listCrashGroups(site: string, status: string, signal?: AbortSignal): Promise<CrashGroup[]> {
  const params = new URLSearchParams({ site, sort: "last_seen", limit: "100" });
  if (status !== "all") params.set("status", status);
  return api<{ groups: CrashGroup[] }>(`/api/admin/crash-groups?${params}`, { signal }).then((r) => r.groups);
}

export function crashGroup(id: string, signal?: AbortSignal): Promise<CrashDetail> {
  return api<CrashDetail>(`/api/admin/crash-groups/${encodeURIComponent(id)}`, { signal });
}

export interface StatusChange {
  status: CrashStatus;
  resolvedInRelease?: string;
}
export function changeStatus(id: string, change: StatusChange): Promise<unknown> {
  return api(`/api/admin/crash-groups/${encodeURIComponent(id)}/status`, { method: "POST", body: change });
}
