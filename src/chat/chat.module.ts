import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module.js';
import { ChatGateway } from './chat.gateway.js';
import { ChatService } from './chat.service.js';
import { HandshakeMiddleware } from './handshake.middleware.js';

@Module({
  imports: [RoomsModule],
  providers: [ChatGateway, ChatService, HandshakeMiddleware],
})
export class ChatModule {}
