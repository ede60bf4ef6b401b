import { Module, type DynamicModule } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller';
import { WEBHOOKS_OPTIONS, WebhooksService, type WebhooksOptions } from './webhooks.service';
import { WebhookThrottlerGuard } from './webhook-throttler.guard';

/** Inbound vendor webhooks, one route per connection, turned into debounced runs of the syncs they concern. */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksOptions): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [
        WebhooksService,
        WebhookThrottlerGuard,
        { provide: WEBHOOKS_OPTIONS, useValue: options },
      ],
    };
  }
}
