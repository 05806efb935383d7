import { PathwayRouter, PathwaysBuilder } from "@flowcore/pathways";
import type { Config } from "../config.ts";
import { contractKey } from "./contract.ts";
import type { Projector } from "./projector.ts";
import { CONTRACTS } from "./registry.ts";

/**
 * The one PathwaysBuilder: registers every contract of the registry, wires each to the projector,
 * and in Flowcore mode provides the writers the forwarder ships events with. In embedded mode the
 * builder is never asked to write, so its Flowcore coordinates are placeholders.
 */
export function createPathways(config: Pick<Config, "flowcore">, projector: Projector) {
  const fc = config.flowcore;
  const pathways = new PathwaysBuilder({
    baseUrl: fc?.baseUrl ?? "http://127.0.0.1:9",
    tenant: fc?.tenant ?? "embedded",
    dataCore: fc?.dataCore ?? "embedded",
    apiKey: fc?.apiKey ?? "embedded",
  });
  for (const c of CONTRACTS) {
    // maxRetries 0: a failed projection (database down) fails the delivery quickly so Flowcore
    // redelivers, instead of the builder sleeping inside the request. The builder validates the
    // payload against the contract's schema; the handler then projects it without checking again.
    pathways.register({ flowType: c.flowType, eventType: c.eventType, schema: c.schema, writable: fc !== null, maxRetries: 0 });
    pathways.handle(contractKey(c) as never, async (event: { payload: Record<string, unknown> }) => {
      await projector.projectValidated(c, [event.payload]);
    });
  }
  return pathways;
}
export type Pathways = ReturnType<typeof createPathways>;

/** The router for Flowcore deliveries; it needs the transformer secret. */
export function createRouter(pathways: Pathways, secret: string) {
  return new PathwayRouter(pathways as never, secret);
}
