/** The server's JSON shapes the dashboard reads (see /swagger for the full documentation). */
export interface Project {
  id: number;
  slug: string;
  name: string;
  domains: string[];
  timezone: string;
  settings: Record<string, unknown>;
  createdAt: string;
}
export interface User {
  id: number;
  email: string;
  role: "admin" | "viewer";
  createdAt: string;
}
export interface Me {
  kind: "session" | "token" | "share";
  user: User | null;
  isAdmin: boolean;
  scope: "read" | "admin";
  projects: Project[];
}
export type FilterOp = "is" | "is_not" | "contains" | "matches";
export type Filter = [FilterOp, string, string[]];
export interface QueryBody {
  site: string;
  metrics: string[];
  date_range: string | [string, string];
  dimensions?: string[];
  filters?: Filter[];
  order_by?: [string, "asc" | "desc"][];
  limit?: number;
  offset?: number;
  compare?: "previous_period" | null;
}
export interface QueryRow {
  dimensions: (string | null)[];
  metrics: number[];
  comparison?: { metrics: (number | null)[]; change: (number | null)[] };
}
export interface QueryResult {
  results: QueryRow[];
  meta: { site: string; time_zone: string; date_range: string[]; comparison_date_range?: string[]; metrics: string[]; dimensions: string[]; total_rows: number };
}
export interface Key {
  id: number;
  projectId: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface Share {
  id: number;
  projectId: number;
  name: string;
  prefix: string;
  hasPassword: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface Token {
  id: number;
  name: string;
  scope: "read" | "admin";
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
