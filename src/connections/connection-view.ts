/** A stored connection as the API gives it: the names of its secrets, never their values. */
import type { RecordLinks } from '../../connectors/sdk/contract';
import type { ConnectionEntity } from '../persistence/connection.entity';
import type { SecretBox } from '../secrets/secret-box';
import type { ConnectorRegistry } from './connector-registry';
import type { ConnectionDto } from './connections.dto';

export function connectionView(
  entity: ConnectionEntity,
  box: SecretBox,
  registry: ConnectorRegistry,
): ConnectionDto {
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    ...vendorOf(entity, registry),
    settings: entity.settings,
    secretsSet: entity.secrets === null ? [] : Object.keys(box.open(entity.secrets)).sort(),
    sandbox: entity.sandbox,
    dailyCallBudget: entity.dailyCallBudget,
    budgetThreshold: entity.budgetThreshold,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** The vendor's name and its record links, for the console (a kind no longer known: its name). */
function vendorOf(
  entity: ConnectionEntity,
  registry: ConnectorRegistry,
): Pick<ConnectionDto, 'vendor' | 'recordLinks'> {
  const definition = registry.find(entity.kind);
  if (definition === undefined) return { vendor: entity.kind, recordLinks: null };
  let recordLinks: RecordLinks | null = null;
  try {
    recordLinks = definition.recordLinksFor(entity.settings);
  } catch {
    // Settings a newer version no longer takes: the connection shows, without links.
  }
  return { vendor: definition.vendor, recordLinks };
}
