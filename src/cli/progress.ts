// Progress of a long run on stderr when it is a terminal (off with -q): how far through the
// source the run is, events per second and the time left, redrawn in place on one line.

/** No line for runs shorter than this, and no redraw more often than REDRAW_MS. */
const QUIET_MS = 1000;
const REDRAW_MS = 250;

export class Progress {
  private readonly started: number;
  private lastDraw = -Infinity;
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
  }

  /** `fraction`: how much of the source is done (0..1); `events`: events delivered so far. */
  update(fraction: number, events: number): void {
    const now = this.clock();
    const elapsedMs = now - this.started;
    if (elapsedMs < QUIET_MS || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const done = Math.min(1, Math.max(0, fraction));
    const seconds = elapsedMs / 1000;
    const rate = Math.round(events / seconds);
    const left = done > 0 ? (seconds * (1 - done)) / done : undefined;
    const parts = [
      `${(done * 100).toFixed(0).padStart(3)}%`,
      `${events.toLocaleString('en-US')} events`,
      `${rate.toLocaleString('en-US')} events/s`,
      left === undefined ? 'time left unknown' : `${formatSeconds(left)} left`,
    ];
    this.write(`\r\x1b[K${parts.join('  ')}`);
    this.shown = true;
  }

  /** Removes the line (before the final output). */
  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.ceil(seconds - minutes * 60)} s`;
}
