/**
 * A one-line progress bar on a terminal; in a pipe or CI log (no TTY) a plain line every 10 %
 * instead, so logs stay readable.
 */
export function progressBar(label: string, stream: { isTTY?: boolean; write(s: string): unknown } = process.stderr) {
  const width = 30;
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done: number, total: number) {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(fraction * 100);
      if (!stream.isTTY) {
        const decile = Math.floor(percent / 10);
        if (decile > lastDecile && total > 0) stream.write(`${label}: ${percent}% (${done}/${total} events)\n`);
        lastDecile = Math.max(lastDecile, decile);
        return;
      }
      const now = Date.now();
      if (now - lastDraw < 50 && done < total) return; // redraw at most 20 times a second
      lastDraw = now;
      drawn = true;
      const filled = Math.round(fraction * width);
      stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total} events`);
    },
    finish() {
      if (stream.isTTY && drawn) stream.write("\n");
    },
  };
}
