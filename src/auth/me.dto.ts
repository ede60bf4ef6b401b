import { ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS, ROLES, type Permission, type Role } from './roles';

/** The key a request was made with: what a client (the console) needs to show only what works. */
export class MeDto {
  @ApiProperty({ example: 'On-call console' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({
    enum: PERMISSIONS,
    isArray: true,
    example: ['read', 'runs:read'],
    description: 'What this key may do (see the roles table)',
  })
  permissions!: Permission[];
}
