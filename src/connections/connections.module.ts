import { Module, type DynamicModule } from '@nestjs/common';
import type { ConnectorDefinition } from '../../connectors/sdk/contract';
import { DataSource } from 'typeorm';
import { ConnectionTokens } from '../persistence/connection-tokens';
import { SecretBox } from '../secrets/secret-box';
import { ConnectorRegistry } from './connector-registry';
import { ConnectionsController } from './connections.controller';
import {
  CONNECTIONS_OPTIONS,
  ConnectionsService,
  type ConnectionsOptions,
} from './connections.service';
import { ConnectorsController } from './connectors.controller';
import { ConnectionDiscoveryController } from './discovery.controller';
import { DiscoveryService } from './discovery.service';
import { UsageService } from './usage.service';
import { ConnectionOAuthController } from './oauth.controller';
import { ConnectionOAuthService } from './oauth.service';

/** Connections to vendors (settings, encrypted credentials, checks) and the connector catalogue. */
@Module({})
export class ConnectionsModule {
  static forRoot(
    options: ConnectionsOptions & {
      secretKey: Buffer;
      connectors?: readonly ConnectorDefinition[];
    },
  ): DynamicModule {
    return {
      module: ConnectionsModule,
      global: true,
      controllers: [
        ConnectorsController,
        ConnectionOAuthController,
        ConnectionsController,
        ConnectionDiscoveryController,
      ],
      providers: [
        ConnectionsService,
        ConnectionOAuthService,
        DiscoveryService,
        UsageService,
        { provide: SecretBox, useValue: new SecretBox(options.secretKey) },
        {
          provide: ConnectionTokens,
          useFactory: (dataSource: DataSource, box: SecretBox) =>
            new ConnectionTokens(dataSource, box),
          inject: [DataSource, SecretBox],
        },
        { provide: ConnectorRegistry, useValue: new ConnectorRegistry(options.connectors) },
        { provide: CONNECTIONS_OPTIONS, useValue: { allowSandbox: options.allowSandbox } },
      ],
      exports: [ConnectionsService, DiscoveryService, UsageService, SecretBox, ConnectorRegistry],
    };
  }
}
