import { ApiProperty } from '@nestjs/swagger';
import type { UserKind } from '../../engine/engine.types.js';

export class UserDto {
  @ApiProperty({ example: 'q3ZJxv8c0mTt1KpA' })
  id!: string;

  @ApiProperty({ example: 'ada' })
  username!: string;

  @ApiProperty({ enum: ['guest', 'member', 'external'], example: 'guest' })
  kind!: UserKind;
}
