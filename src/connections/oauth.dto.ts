import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length } from 'class-validator';
import { CreateConnectionDto } from './connections.dto';

export class StartOAuthDto extends CreateConnectionDto {
  @ApiProperty({
    example: 'https://syncline.example.com/console/oauth/callback',
    description:
      "Where the vendor's page sends the browser back with a code: the console's /console/oauth/callback on this server, as registered among the redirect URLs of the vendor app",
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  redirectUri!: string;
}

export class OAuthStartedDto {
  @ApiProperty({
    example:
      'https://vendor.example.com/oauth/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…',
    description: "The vendor's authorize page for this attempt: send the person's browser there",
  })
  authorizeUrl!: string;

  @ApiProperty({
    description:
      'Names this attempt; the vendor sends it back with the code. Single use, for the key that started it',
  })
  state!: string;

  @ApiProperty({ description: 'After this the attempt is forgotten (10 minutes after its start)' })
  expiresAt!: string;
}

export class CompleteOAuthDto {
  @ApiProperty({ description: 'The state the vendor sent back' })
  @IsString()
  @Length(1, 200)
  state!: string;

  @ApiPropertyOptional({ description: 'The authorization code the vendor sent back' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  code?: string;

  @ApiPropertyOptional({
    example: 'access_denied',
    description: 'The error the vendor sent back instead of a code (the person denied access)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  error?: string;
}
