import { api, apiText } from "./api.ts";
import type { QueryBody, QueryResult } from "./types.ts";

/** POST /api/v1/query (the Stats API, modelled on Plausible's v2). */
export function query(body: QueryBody, signal?: AbortSignal): Promise<QueryResult> {
  return api<QueryResult>("/api/v1/query", { method: "POST", body, signal });
}

/** The same query as CSV (the server writes it), saved as a file. */
export async function downloadCsv(body: QueryBody, filename: string): Promise<void> {
  const csv = await apiText("/api/v1/query", { method: "POST", body: { ...body, limit: 10_000, offset: 0 }, accept: "text/csv" });
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
