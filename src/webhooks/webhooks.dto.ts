/**
 * The OpenAPI shapes of the webhook route. The body is not validated through these classes: it is
 * parsed from the exact bytes the signature covers (see hubspot-events.ts).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HubSpotWebhookEventDto {
  @ApiPropertyOptional({ example: 100 }) eventId?: number;
  @ApiPropertyOptional({ example: 12345 }) subscriptionId?: number;
  @ApiProperty({ example: 62515, description: 'The HubSpot account (hub) the event is from' })
  portalId!: number;
  @ApiPropertyOptional({ example: 54321 }) appId?: number;
  @ApiPropertyOptional({ example: 1564113600000, description: 'Milliseconds since the epoch' })
  occurredAt?: number;
  @ApiProperty({
    example: 'contact.propertyChange',
    description:
      '`<object>.<change>`: contact, company, deal or ticket; creation, deletion, propertyChange…',
  })
  subscriptionType!: string;
  @ApiPropertyOptional({ example: 123 }) objectId?: number;
  @ApiPropertyOptional({ example: 'firstname' }) propertyName?: string;
  @ApiPropertyOptional({ example: 'Ann' }) propertyValue?: string;
}

export class WebhookAcceptedDto {
  @ApiProperty({ example: 3, description: 'Events in the batch (all acknowledged)' })
  accepted!: number;

  @ApiProperty({
    example: 1,
    description:
      'Syncs that read these objects and are now due for one incremental run (trigger `webhook`)',
  })
  syncs!: number;
}
