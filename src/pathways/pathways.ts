import { PathwayRouter, PathwaysBuilder } from "@flowcore/pathways";
import type { Config } from "../config.ts";
import { CONTRACTS } from "./contracts/index.ts";
import type { Projector } from "./projector.ts";

/**
 * The one PathwaysBuilder: registers every contract, wires each to its projection handler, and in
 * Flowcore mode provides the writers the forwarder ships events with. In embedded mode the builder
 * is never asked to write, so its Flowcore coordinates are placeholders.
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
    // (or the delivery loop) redelivers, instead of the builder sleeping inside the request.
    pathways.register({ flowType: c.flowType, eventType: c.eventType, schema: c.schema, writable: fc !== null, maxRetries: 0 });
    pathways.handle(`${c.flowType}/${c.eventType}` as never, async (event: { payload: unknown }) => {
      await projector.project([{ flowType: c.flowType, eventType: c.eventType, payload: event.payload }]);
    });
  }
  return pathways;
}
export type Pathways = ReturnType<typeof createPathways>;

/** The router for Flowcore deliveries; it needs the transformer secret. */
export function createRouter(pathways: Pathways, secret: string) {
  return new PathwayRouter(pathways as never, secret);
}
