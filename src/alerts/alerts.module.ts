import { Global, Module } from '@nestjs/common';
import { AlertsService } from './alerts.service';

/** Run alerts to sync webhooks; global because runs and the scheduler both raise them. */
@Global()
@Module({ providers: [AlertsService], exports: [AlertsService] })
export class AlertsModule {}
