// A job run in the background, one run at a time: asking while it runs makes it run once more after (not once per
// ask), so whatever the asks wanted done since the running one started is covered. idle() waits for it to stop.
export class Rerun {
  private running: Promise<void> | undefined;
  private again = false;

  /** `job` must not reject (errors are the job's to report). */
  constructor(private readonly job: () => Promise<void>) {}

  ask(): void {
    if (this.running) this.again = true;
    else this.running = this.loop();
  }

  /** Settles when no run is going on or asked for. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.job();
      } while (this.again);
    } finally {
      this.running = undefined;
    }
  }
}
