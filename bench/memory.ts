/** Memory of the bench process: a baseline, then RSS and heap sampled on an interval. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SAMPLE_MS = 50;

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

// A full collection before a measurement, so that "retained" means reachable, not yet collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Memory usage after a full garbage collection. */
export function retained(): NodeJS.MemoryUsage {
  collectGarbage();
  return process.memoryUsage();
}

export interface MemoryPeak {
  peakRss: number;
  peakHeapUsed: number;
  /** process.resourceUsage().maxRSS, in bytes: the kernel's high-water mark for the whole process. */
  maxRss: number;
}

export class MemorySampler {
  readonly baseline: NodeJS.MemoryUsage;
  private peakRss: number;
  private peakHeapUsed: number;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.baseline = retained();
    this.peakRss = this.baseline.rss;
    this.peakHeapUsed = this.baseline.heapUsed;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sample();
    }, SAMPLE_MS);
    this.timer.unref();
  }

  stop(): MemoryPeak {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.sample();
    return {
      peakRss: this.peakRss,
      peakHeapUsed: this.peakHeapUsed,
      maxRss: process.resourceUsage().maxRSS * 1024,
    };
  }

  private sample(): void {
    const usage = process.memoryUsage();
    if (usage.rss > this.peakRss) this.peakRss = usage.rss;
    if (usage.heapUsed > this.peakHeapUsed) this.peakHeapUsed = usage.heapUsed;
  }
}
