/** A component's health as /healthz reports it (the forwarder reports itself with this shape). */
export interface ComponentHealth {
  status: "up" | "degraded" | "down";
  detail?: string;
}
