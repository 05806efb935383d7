import { Counter, Gauge, type Registry } from "prom-client";

/** The alert sender's metrics, on the app's registry. */
export function createAlertMetrics(registry: Registry) {
  const r = { registers: [registry] };
  return {
    alerts: new Counter({
      ...r,
      name: "analytics_alerts_total",
      help: "Crash alerts the sender looked at, by kind and outcome (fanned_out, stale: older than the alert age limit, superseded: no longer true)",
      labelNames: ["kind", "outcome"],
    }),
    deliveries: new Counter({
      ...r,
      name: "analytics_alert_deliveries_total",
      help: "Webhook delivery attempts by outcome (sent, retry, failed, throttled)",
      labelNames: ["outcome"],
    }),
    pending: new Gauge({ ...r, name: "analytics_alert_deliveries_pending", help: "Webhook deliveries waiting to be sent or retried" }),
    lastSent: new Gauge({ ...r, name: "analytics_alert_last_sent_timestamp_seconds", help: "Unix time of the last webhook delivery a receiver accepted" }),
  };
}
export type AlertMetrics = ReturnType<typeof createAlertMetrics>;
