/**
 * Random faults for the vendor emulators (the fault soak): each call fails with probability
 * `rate`, with one of `kinds`, counted by kind. Each emulator turns the kind into its vendor's
 * answer.
 */
export interface ChaosOptions<Kind extends string> {
  rate: number;
  kinds: Kind[];
  /** A number in [0, 1); Math.random by default (a seeded one makes a soak repeatable). */
  random?: () => number;
}

export class Chaos<Kind extends string> {
  private options: ChaosOptions<Kind> | undefined;
  /** Faults injected so far, by kind. */
  readonly injected = new Map<Kind, number>();

  /** From now on, every call fails with probability `rate` (undefined: no more random faults). */
  set(options: ChaosOptions<Kind> | undefined): void {
    this.options = options;
  }

  /** The kind of fault for this call, if it draws one; `withHint` is true for half of them. */
  draw(): { kind: Kind; withHint: boolean } | undefined {
    const options = this.options;
    if (options === undefined) return undefined;
    const random = options.random ?? Math.random;
    if (random() >= options.rate) return undefined;
    const kind = options.kinds.at(Math.floor(random() * options.kinds.length));
    if (kind === undefined) return undefined;
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return { kind, withHint: random() < 0.5 };
  }
}
