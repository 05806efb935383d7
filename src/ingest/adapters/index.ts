import type { IngestAdapter } from "./adapter.ts";
import { jsonAdapter } from "./json.ts";

/** Every wire format the API accepts. A new format: a file next to this one, and a line here. */
export const ADAPTERS: readonly IngestAdapter[] = [jsonAdapter];
