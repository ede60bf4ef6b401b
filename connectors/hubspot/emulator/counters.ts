/** Calls the emulator received, per endpoint, with the write calls and refusals counted apart. */

const WRITE_ENDPOINT =
  /^(POST \/crm\/v3\/objects\/\w+(\/batch\/(create|update|upsert|archive))?|PATCH .*|DELETE .*)$/;

export class EmulatorCounters {
  private readonly perEndpoint = new Map<string, number>();
  total = 0;
  /** 429 answers (natural or injected). */
  rateLimited = 0;
  /** Answers by status. */
  readonly byStatus = new Map<number, number>();

  record(endpoint: string): void {
    this.total++;
    this.perEndpoint.set(endpoint, (this.perEndpoint.get(endpoint) ?? 0) + 1);
  }

  answered(status: number): void {
    if (status === 429) this.rateLimited++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  byEndpoint(): Record<string, number> {
    return Object.fromEntries(this.perEndpoint);
  }

  calls(endpoint: string): number {
    return this.perEndpoint.get(endpoint) ?? 0;
  }

  /** Calls that create, change or archive records (single and batch). */
  writeCalls(): number {
    let writes = 0;
    for (const [endpoint, count] of this.perEndpoint)
      if (WRITE_ENDPOINT.test(endpoint)) writes += count;
    return writes;
  }

  reset(): void {
    this.perEndpoint.clear();
    this.byStatus.clear();
    this.total = 0;
    this.rateLimited = 0;
  }
}
