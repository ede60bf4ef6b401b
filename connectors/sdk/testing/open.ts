/**
 * A declared connector opened as a test opens it: raw settings parsed as a connection's are, its
 * secrets, a quiet logger, and the test's clock and call settings (short timeouts, fixed jitter).
 */
import type { CallSettings, Capability, Clock, ConnectorLogger } from '../contract';
import type {
  ConnectorParts,
  DeclaredConnection,
  DeclaredConnector,
  SecretsOf,
  SettingsSchema,
} from '../define';

export const quietLogger: ConnectorLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface TestOpening<K extends string> {
  settings: Record<string, unknown>;
  secrets: SecretsOf<K>;
  clock: Clock;
  calls?: CallSettings;
}

export function openForTest<
  S extends SettingsSchema,
  K extends string,
  C extends Capability,
  P extends ConnectorParts<C>,
>(definition: DeclaredConnector<S, K, C, P>, opening: TestOpening<K>): DeclaredConnection<P> {
  return definition.open(definition.parseSettings(opening.settings), opening.secrets, {
    logger: quietLogger,
    clock: opening.clock,
    calls: { random: () => 0.5, ...opening.calls },
  });
}
