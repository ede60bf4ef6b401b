/**
 * The connectors this server knows: the explicit registry of connectors/index.ts, plus any an
 * embedding process adds at start (the tests' own connectors of one capability).
 */
import { Injectable } from '@nestjs/common';
import { connectorRegistry } from '../../connectors';
import type { ConnectorDefinition } from '../../connectors/sdk/contract';

@Injectable()
export class ConnectorRegistry {
  private readonly definitions: readonly ConnectorDefinition[];

  constructor(extra: readonly ConnectorDefinition[] = []) {
    const kinds = new Set(connectorRegistry.map((definition) => definition.kind));
    for (const definition of extra) {
      if (kinds.has(definition.kind))
        throw new Error(`a connector of kind "${definition.kind}" is registered already`);
      kinds.add(definition.kind);
    }
    this.definitions = [...connectorRegistry, ...extra];
  }

  all(): readonly ConnectorDefinition[] {
    return this.definitions;
  }

  /** The definition of that kind, or undefined. */
  find(kind: string): ConnectorDefinition | undefined {
    return this.definitions.find((definition) => definition.kind === kind);
  }
}
