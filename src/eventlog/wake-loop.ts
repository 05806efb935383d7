/** What one round of a background loop reports. */
export type RoundOutcome = "more" | "done" | "failed";

export interface WakeLoopOptions {
  /**
   * One round of work: "more" runs the next round at once (a full batch was read), "done" waits
   * for a nudge or the poll interval, "failed" (or a throw) backs off.
   */
  round: () => Promise<RoundOutcome>;
  /** A round threw; `failures` counts consecutive failed rounds. */
  onError: (err: unknown, failures: number) => void;
  /** How often to look for work written by other processes when nothing nudged us. */
  pollMs: number;
  /**
   * After a nudge, wait this long before the next round so it carries a batch rather than a
   * handful of events (0: run at once).
   */
  settleMs: number;
  /** The wait after `failures` consecutive failed rounds. */
  backoffMs: (failures: number) => number;
  /** Whether a nudge cuts a failure backoff short (false: an outage is not hammered per event). */
  wakeWhileFailing: boolean;
}

/**
 * "Wake on nudge, poll, back off on failure": the loop behind the embedded delivery and the
 * Flowcore forwarder. One round at a time; `stop` lets the round in progress finish.
 */
export function createWakeLoop(o: WakeLoopOptions) {
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let nudged = false;
  let settling = false;
  let failures = 0;

  async function run() {
    while (running) {
      nudged = false;
      let more = false;
      try {
        const outcome = await o.round();
        failures = outcome === "failed" ? failures + 1 : 0;
        more = outcome === "more";
      } catch (err) {
        failures++;
        o.onError(err, failures);
      }
      if (!running) break;
      if (more || (nudged && failures === 0 && o.settleMs <= 0)) continue;
      settling = nudged && failures === 0;
      const wait = failures ? o.backoffMs(failures) : settling ? o.settleMs : o.pollMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        wake = () => (clearTimeout(t), resolve());
      });
      wake = null;
      settling = false;
    }
  }

  return {
    /** New work was written: run a round soon. */
    nudge() {
      nudged = true;
      if (!settling && (failures === 0 || o.wakeWhileFailing)) wake?.();
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops after the round in progress. */
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    get running() {
      return running;
    },
  };
}
export type WakeLoop = ReturnType<typeof createWakeLoop>;
