import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsNotEmptyObject,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsUsername } from '../../common/username.js';
import { Optional } from '../../common/decorators/optional.decorator.js';

/** Payloads of the client events of API.md §4. Numbers must be numbers: nothing is coerced. */

export class RoomRefDto {
  @IsString()
  @Length(1, 64)
  roomId!: string;
}

export class SinceDto {
  @IsInt()
  @Min(0)
  seq!: number;

  @IsString()
  @Length(1, 64)
  epoch!: string;
}

export class JoinRoomDto extends RoomRefDto {
  @Optional()
  @IsString()
  @MaxLength(128)
  password?: string;

  @Optional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => SinceDto)
  since?: SinceDto;
}

export class SendMessageDto extends RoomRefDto {
  /** The configurable upper bound (MESSAGE_MAX_LENGTH) is checked by the service. */
  @IsString()
  @MinLength(1)
  content!: string;

  @Optional()
  @IsString()
  @Length(1, 64)
  clientMsgId?: string;
}

export class RoomHistoryDto extends RoomRefDto {
  @Optional()
  @IsInt()
  @Min(1)
  before?: number;

  @Optional()
  @IsInt()
  @Min(0)
  after?: number;

  @Optional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class TypingDto extends RoomRefDto {
  @IsBoolean()
  typing!: boolean;
}

export class RenameDto {
  @IsUsername()
  username!: string;
}
