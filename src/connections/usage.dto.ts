import { ApiProperty } from '@nestjs/swagger';

export class VendorBudgetDto {
  @ApiProperty({ example: 'vendor-daily', description: "The connector's name of the budget" })
  name!: string;
  @ApiProperty({ example: 100000, description: 'Calls the vendor allows in the window' })
  limit!: number;
  @ApiProperty({ example: 99120, description: 'Calls left, as the vendor counts them' })
  remaining!: number;
  @ApiProperty({ nullable: true, type: Number, example: 86400000, description: 'The window, ms' })
  windowMs!: number | null;
  @ApiProperty({ format: 'date-time', description: 'When the vendor said so (its last answer)' })
  observedAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the vendor resets the budget, where the connector knows (a daily quota)',
  })
  resetsAt!: string | null;
}

export class ApiUsageDto {
  @ApiProperty({ format: 'uuid' }) connectionId!: string;
  @ApiProperty({
    format: 'date-time',
    description:
      "Start of the window: 24 hours ago, or the vendor's last reset where its daily budget resets at a fixed hour (where the connector declares one)",
  })
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
      'Past the threshold, or a vendor said its budget is spent until it resets: scheduled and webhook runs wait, failed-record retries pause; manual runs still go',
  })
  pastThreshold!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When a vendor said its budget is spent: the reset time until which runs wait',
  })
  spentUntil!: string | null;
  @ApiProperty({
    type: [VendorBudgetDto],
    description:
      "The budgets the vendor reported in its last answers' headers (empty when it sends none, or before a run)",
  })
  vendorBudgets!: VendorBudgetDto[];
}
