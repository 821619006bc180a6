/** Where a long command stands, on stderr: a bar on a terminal, a plain line now and then otherwise. */
export interface Progress {
  update(label: string, done: number, total?: number): void;
  /** Ends the bar (a terminal line is finished with a line break). */
  finish(): void;
}

/** The stream a progress display writes to (process.stderr, or a test's collector). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A progress display on `stream`. On a terminal the bar is redrawn at most every 100 ms; elsewhere
 * (a log file, CI) one line is written when the label changes and at most every `intervalMs`.
 */
export function createProgress(
  stream: ProgressStream,
  { intervalMs = 2_000, now = Date.now }: { intervalMs?: number; now?: () => number } = {},
): Progress {
  let lastAt = -Infinity;
  let lastLabel = '';
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      const changed = label !== lastLabel;
      if (!changed && t - lastAt < (stream.isTTY ? 100 : intervalMs)) return;
      lastAt = t;
      lastLabel = label;
      const share = total ? Math.min(1, done / total) : null;
      const figures = total ? `${count(done)}/${count(total)} (${Math.floor(share! * 100)}%)` : count(done);
      if (!stream.isTTY) {
        stream.write(`${label}: ${figures}\n`);
        return;
      }
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - figures.length - 6));
      const filled = share === null ? 0 : Math.round(share * width);
      const bar = share === null ? '' : ` [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      stream.write(`\r${label}${bar} ${figures}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
