import { Global, Module, type DynamicModule } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SentAlerts } from '../persistence/sent-alerts';
import { ALERT_HISTORY, ALERTS_OPTIONS, AlertsService, type AlertsOptions } from './alerts.service';

/** Run alerts to sync webhooks; global because runs and the scheduler both raise them. */
@Global()
@Module({ providers: [AlertsService], exports: [AlertsService] })
export class AlertsModule {
  /** With the operator's options (SYNCLINE_ALERT_WEBHOOK_ALLOW_PRIVATE), shared with the syncs API. */
  static forRoot(options: AlertsOptions): DynamicModule {
    return {
      module: AlertsModule,
      global: true,
      providers: [
        AlertsService,
        { provide: ALERTS_OPTIONS, useValue: options },
        {
          provide: ALERT_HISTORY,
          useFactory: (dataSource: DataSource) => new SentAlerts(dataSource),
          inject: [getDataSourceToken()],
        },
      ],
      exports: [AlertsService, ALERTS_OPTIONS, ALERT_HISTORY],
    };
  }
}
