import { dimensionLabel, opLabel, valueLabel } from "../lib/labels.ts";
import type { Filter } from "../lib/types.ts";

/** The active filters as removable chips. */
export function FilterChips({ filters, onRemove, onClear }: { filters: Filter[]; onRemove: (dim: string) => void; onClear: () => void }) {
  if (filters.length === 0) return null;
  return (
    <ul class="chips" aria-label="Active filters">
      {filters.map(([op, dim, values]) => (
        <li class="chip" key={dim}>
          <span>
            {dimensionLabel(dim)} {opLabel(op)} <strong>{valueLabel(dim, values[0] ?? null)}</strong>
          </span>
          <button type="button" class="chip-remove" aria-label={`Remove filter ${dimensionLabel(dim)} ${opLabel(op)} ${values[0]}`} onClick={() => onRemove(dim)}>
            ×
          </button>
        </li>
      ))}
      {filters.length > 1 && (
        <li>
          <button type="button" class="link-button" onClick={onClear}>
            Clear all
          </button>
        </li>
      )}
    </ul>
  );
}
