import { Type } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import { base, defineRoute, type IngestAdapter } from "./adapter.ts";
import { vitalsFrom } from "./vitals-input.ts";

const Ms = (what: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 60_000, description: `${what}, milliseconds` }));

export const VitalsBody = Type.Object(
  {
    pathname: Type.Optional(Type.String({ maxLength: LIMITS.pathname, description: "Path of the page, e.g. /pricing" })),
    url: Type.Optional(Type.String({ maxLength: LIMITS.url })),
    site: Type.Optional(Type.String({ maxLength: LIMITS.site, description: "Default: host of Origin, else of Referer" })),
    lcp: Ms("Largest Contentful Paint"),
    inp: Ms("Interaction to Next Paint"),
    cls: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: "Cumulative Layout Shift (unitless)" })),
    fcp: Ms("First Contentful Paint"),
    ttfb: Ms("Time to First Byte"),
  },
  { description: "One page load's Web Vitals (what /snippet.vitals.js sends)" },
);

/** Our own Web Vitals format: `POST /api/vitals`, sent by the opt-in /snippet.vitals.js. */
export const vitalsAdapter: IngestAdapter = {
  name: "vitals",
  routes: [
    defineRoute({
      path: "/api/vitals",
      summary: "Record a page load's Web Vitals (LCP, INP, CLS, FCP, TTFB)",
      body: VitalsBody,
      toRequests: (body, http) => {
        const vitals = vitalsFrom(body);
        if (!vitals) throw new AppError(422, "invalid_body", "body: send at least one of lcp, inp, cls, fcp, ttfb");
        return [{ ...base(http, body), kind: "vitals", vitals }];
      },
    }),
  ],
};
