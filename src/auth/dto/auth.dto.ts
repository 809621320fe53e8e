import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength, MinLength } from 'class-validator';
import { UserDto } from '../../common/dto/user.dto.js';
import { IsUsername } from '../../common/username.js';

export class GuestDto {
  @ApiProperty({ example: 'ada', description: '1–32 characters after trimming: letters, digits, space, _ . -' })
  @IsUsername()
  username!: string;
}

export class RegisterDto extends GuestDto {
  @ApiProperty({ example: 'correct horse battery', minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

export class AuthResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…' })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 86400, description: 'Seconds until the token expires' })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}
