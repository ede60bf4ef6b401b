/** Memory of the bench process: a baseline, then RSS and heap sampled on an interval. */
import { performance } from 'node:perf_hooks';
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

  /** The peaks so far, sampling on. */
  peak(): MemoryPeak {
    this.sample();
    return {
      peakRss: this.peakRss,
      peakHeapUsed: this.peakHeapUsed,
      maxRss: process.resourceUsage().maxRSS * 1024,
    };
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

/**
 * The live heap (after a full collection) at a few points of a run, with the records created so
 * far. Sampled peaks of RSS and heap include garbage V8 has not collected yet, which grows with
 * the heap limit, not with the engine. The collections' time is kept apart so that it can be left
 * out of the run's throughput.
 */
export class LiveHeapSampler {
  readonly samples: Array<{ heapUsed: number; created: number }> = [];
  collectMs = 0;
  private next: number;

  constructor(private readonly every: number) {
    this.next = every;
  }

  /** Called with the run's progress; collects each time another `every` records were read. */
  progress(read: number, created: number): void {
    if (read < this.next) return;
    this.next = read + this.every;
    const started = performance.now();
    const { heapUsed } = retained();
    this.collectMs += performance.now() - started;
    this.samples.push({ heapUsed, created });
  }

  /**
   * The engine's largest live footprint: each sample's live heap minus the vendors' data at that
   * point, estimated from `before` and `after` (vendors grow with each record created).
   */
  engineFootprint(before: number, after: number, createdTotal: number): number {
    let largest = 0;
    for (const sample of this.samples) {
      const share = createdTotal === 0 ? 1 : sample.created / createdTotal;
      largest = Math.max(largest, sample.heapUsed - (before + (after - before) * share));
    }
    return largest;
  }
}
