import { Module, type DynamicModule } from '@nestjs/common';
import type { ConnectorDefinition } from '../connectors/sdk/contract';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/environment';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrationsLocked } from './database/data-source';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ApiKeyThrottlerGuard, RATE_LIMIT_WINDOW_MS } from './auth/throttle';
import { ConflictsModule } from './conflicts/conflicts.module';
import { ConsoleModule } from './console/console.module';
import { ConnectionsModule } from './connections/connections.module';
import { FailedRecordsModule } from './failed-records/failed-records.module';
import { HealthModule } from './health/health.module';
import { InstanceModule } from './instance/instance.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersistenceModule } from './persistence/persistence.module';
import { RunsModule } from './runs/runs.module';
import { SyncsModule } from './syncs/syncs.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface DatabaseTarget {
  url: string;
  embedded: boolean;
}

@Module({})
export class AppModule {
  /** The whole app for one configuration and one database (a server, or the embedded one). */
  static forRoot(
    config: AppConfig,
    database: DatabaseTarget,
    secretKey: Buffer,
    connectors: readonly ConnectorDefinition[] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(database.url, {
              poolSize: config.databasePoolSize,
              embedded: database.embedded,
            }),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          // Migrations run at start-up, before anything else touches the schema, one replica at
          // a time.
          dataSourceFactory: async (options) => {
            if (options === undefined) throw new Error('No database options');
            const dataSource = await new DataSource(options).initialize();
            try {
              await runMigrationsLocked(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
        PersistenceModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: RATE_LIMIT_WINDOW_MS, limit: config.apiRateLimit }],
        }),
        AuthModule.forRoot({ adminKey: config.adminKey }),
        ConnectionsModule.forRoot({ secretKey, allowSandbox: config.allowSandbox, connectors }),
        AuditModule,
        ScheduleModule.forRoot(),
        AlertsModule.forRoot({ allowPrivate: config.alertWebhookAllowPrivate }),
        SyncsModule,
        RunsModule.forRoot(config),
        FailedRecordsModule,
        ConflictsModule,
        HealthModule,
        MetricsModule,
        InstanceModule,
        ConsoleModule,
        WebhooksModule.forRoot({
          debounceSeconds: config.webhookDebounceSeconds,
          publicUrl: config.publicUrl,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyThrottlerGuard }],
    };
  }
}
