import { Logger } from '@nestjs/common';

/**
 * Runs a task now and, while it fails, again every `intervalMs` until it succeeds or the queue
 * stops. For work that must happen eventually, such as releasing a seat while Redis is down.
 */
export class RetryQueue {
  private readonly logger: Logger;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    name: string,
  ) {
    this.logger = new Logger(name);
  }

  /** Resolves after the first attempt, whether it succeeded or was scheduled again. */
  async run(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.logger.warn(`Failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      this.later(task);
    }
  }

  stop(): void {
    this.stopped = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }

  private later(task: () => Promise<void>): void {
    if (this.stopped) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task().catch(() => this.later(task));
    }, this.intervalMs);
    timer.unref();
    this.timers.add(timer);
  }
}
