import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus registry of this process: process metrics, HTTP request durations, and the runs
 * this replica's worker executed.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests, by method, route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly runsFinished = new Counter({
    name: 'syncline_runs_finished_total',
    help: "Runs this replica's worker finished, by final status and trigger",
    labelNames: ['status', 'trigger'] as const,
    registers: [this.registry],
  });

  readonly runDuration = new Histogram({
    name: 'syncline_run_duration_seconds',
    help: "Time this replica's worker spent on a run, by final status",
    labelNames: ['status'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  readonly runTakeovers = new Counter({
    name: 'syncline_run_takeovers_total',
    help: 'Runs this replica took over from a worker whose lease expired',
    registers: [this.registry],
  });

  readonly runsActive = new Gauge({
    name: 'syncline_runs_active',
    help: "Runs this replica's worker is executing now",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
