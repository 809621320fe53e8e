// What both baselines share: a memory endpoint like Parley's admin figures, and the message shape.

/**
 * Answers GET /bench/memory with process.memoryUsage(); anything else 404.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function memoryEndpoint(req, res) {
  if (req.method === 'GET' && req.url === '/bench/memory') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(process.memoryUsage()));
    return;
  }
  res.writeHead(404).end();
}

/**
 * The message a baseline broadcasts: the same fields as Parley's message DTO, so that frames
 * have about the same size, but nothing is validated or stored.
 * @param {string} roomId
 * @param {number} seq
 * @param {string} userId
 * @param {{ content?: unknown, clientMsgId?: unknown }} payload
 */
export function messageOf(roomId, seq, userId, payload) {
  return {
    id: `${userId}-${seq}`,
    roomId,
    seq,
    userId,
    username: userId,
    kind: 'user',
    content: String(payload.content),
    sentAt: new Date().toISOString(),
    ...(typeof payload.clientMsgId === 'string' ? { clientMsgId: payload.clientMsgId } : {}),
  };
}
