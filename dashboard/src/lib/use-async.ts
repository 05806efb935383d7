import { useEffect, useState } from "preact/hooks";

export interface Async<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
}

/**
 * Runs `load` when `key` changes (a string of everything it depends on), cancels the previous
 * run, and keeps the last data while the next loads so the screen does not flash empty.
 * `refresh` > 0 reloads every `refresh` ms (realtime figures).
 */
export function useAsync<T>(key: string, load: (signal: AbortSignal) => Promise<T>, refresh = 0): Async<T> & { reload: () => void } {
  const [state, setState] = useState<Async<T>>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, error: null, loading: false }),
      (error: Error) => !ctl.signal.aborted && error.name !== "AbortError" && setState({ data: null, error, loading: false }),
    );
    const timer = refresh > 0 ? setInterval(() => setTick((t) => t + 1), refresh) : null;
    return () => {
      ctl.abort();
      if (timer) clearInterval(timer);
    };
  }, [key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}
