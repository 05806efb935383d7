import { useState } from "preact/hooks";

/** Copies `text` to the clipboard and says so (for screen readers too). */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      setTimeout(() => setDone(false), 2000);
    } catch {
      setDone(false);
    }
  };
  return (
    <button type="button" class="button small" onClick={copy}>
      <span aria-live="polite">{done ? "Copied" : label}</span>
    </button>
  );
}
