import { useState } from "preact/hooks";
import { PERIODS, type Period, type ViewState } from "../lib/view-state.ts";

/** The date range (today … all time, or custom dates) and "compare with previous period". */
export function RangePicker({ view, onChange }: { view: ViewState; onChange: (v: ViewState) => void }) {
  const [from, setFrom] = useState(view.from ?? "");
  const [to, setTo] = useState(view.to ?? "");
  const [showCustom, setShowCustom] = useState(view.period === "custom");
  const pick = (period: Period) => {
    if (period === "custom") {
      setShowCustom(true);
      return;
    }
    setShowCustom(false);
    onChange({ ...view, period, from: null, to: null, interval: null });
  };
  return (
    <div class="range-picker">
      <label class="field-inline">
        <span class="visually-hidden">Date range</span>
        <select value={showCustom ? "custom" : view.period} onChange={(e) => pick((e.target as HTMLSelectElement).value as Period)} data-testid="period">
          {PERIODS.map((p) => (
            <option value={p.id} key={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {showCustom && (
        <form
          class="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            if (from && to && from <= to) onChange({ ...view, period: "custom", from, to, interval: null });
          }}
        >
          <label>
            From <input type="date" value={from} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            To <input type="date" value={to} required min={from} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          <button class="button small" type="submit">
            Apply
          </button>
        </form>
      )}
      <label class="field-inline checkbox">
        <input type="checkbox" checked={view.compare} onChange={(e) => onChange({ ...view, compare: (e.target as HTMLInputElement).checked })} />
        Compare with previous period
      </label>
    </div>
  );
}
