import { Type, type Static } from "@sinclair/typebox";
import { LIMITS } from "../limits.ts";

/**
 * Request bodies. One TypeBox schema gives the runtime validation, the static type and the
 * OpenAPI docs at /swagger. The limits come from src/limits.ts, shared with the event contracts.
 */
export { LIMITS };

// Our JSON ingest format's bodies live with its adapter (ingest/adapters/json-schemas.ts).
export { CrashBody, CustomProperties, EventBody, PageviewBody } from "../ingest/adapters/json-schemas.ts";

export const FlowcoreEventBody = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    timeBucket: Type.Optional(Type.String({ maxLength: 50 })),
    tenant: Type.Optional(Type.String({ maxLength: 200 })),
    dataCoreId: Type.Optional(Type.String({ maxLength: 200 })),
    flowType: Type.Optional(Type.String({ maxLength: 200 })),
    aggregator: Type.Optional(Type.String({ maxLength: 200, description: "Legacy name of flowType" })),
    eventType: Type.String({ minLength: 1, maxLength: 200 }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    payload: Type.Record(Type.String(), Type.Unknown()),
    validTime: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { description: "An event as Flowcore delivers it to a transformer" },
);
export type FlowcoreEventBody = Static<typeof FlowcoreEventBody>;

export const AcceptedResponse = Type.Object({ accepted: Type.Literal(true), id: Type.String() });
export const DroppedResponse = Type.Object({ accepted: Type.Literal(false), reason: Type.String() });
export const ErrorResponse = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
