import type { IngestAdapter } from "./adapter.ts";
import { jsonAdapter } from "./json.ts";
import { plausibleAdapter } from "./plausible.ts";
import { seed000Adapter } from "./seed-000-report.ts";
import { seed002Adapter } from "./seed-002-oasis.ts";
import { seed003Adapter } from "./seed-003-collector.ts";
import { umamiAdapter } from "./umami.ts";
import { vitalsAdapter } from "./vitals.ts";

/** Every wire format the API accepts. A new format: a file next to this one, and a line here. */
export const ADAPTERS: readonly IngestAdapter[] = [jsonAdapter, vitalsAdapter, plausibleAdapter, umamiAdapter, seed000Adapter, seed002Adapter, seed003Adapter];
