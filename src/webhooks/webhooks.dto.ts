/**
 * The OpenAPI shape of the webhook route's answer. The body is not validated through a DTO: the
 * connection's connector parses the exact bytes the signature covers.
 */
import { ApiProperty } from '@nestjs/swagger';

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
