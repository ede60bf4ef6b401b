import { ApiProperty } from '@nestjs/swagger';

export class ApiUsageDto {
  @ApiProperty({ format: 'uuid' }) connectionId!: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the window (24 hours ago)' })
  since!: string;
  @ApiProperty({
    description:
      'API calls made through this connection by runs started in the window (all syncs, the side it is on)',
  })
  calls!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "Calls allowed per 24 h (the connection's setting or the connector's default)",
  })
  budget!: number | null;
  @ApiProperty({ nullable: true, type: Number }) remaining!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'calls / budget, 0 to 1 and above' })
  used!: number | null;
  @ApiProperty({ example: 0.75, description: "The connection's budget threshold" })
  threshold!: number;
  @ApiProperty({
    description:
      'Past the threshold: scheduled and webhook runs wait, failed-record retries pause; manual runs still go',
  })
  pastThreshold!: boolean;
}
