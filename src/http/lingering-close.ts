import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How long a closing connection keeps reading what the client still sends before it is cut. */
const LINGER_MS = 10_000;

/**
 * Lingering close, as nginx does it. When Fastify answers before it has read the whole body (a
 * 413 for an upload above the limit, or any error while parsing), it marks the answer
 * `Connection: close`, and Node then destroys the socket as soon as the answer is written. The
 * client is usually still sending; its next packets meet a closed socket, the kernel answers with
 * a reset, and most HTTP clients then report "EPIPE"/"connection reset" instead of our clear
 * error. So, for exactly those answers, the socket is half-closed after the answer (FIN) and what
 * still arrives is read and dropped until the client is done or LINGER_MS have passed.
 */
export function lingerBeforeClosing(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.raw.complete || reply.getHeader('connection') !== 'close') return;
    const socket = request.raw.socket as Socket & { destroySoon?: () => void };
    // Node's HTTP server calls destroySoon() once the answer is written (res._last).
    socket.destroySoon = function lingeringDestroy(this: Socket) {
      const cut = setTimeout(() => this.destroy(), LINGER_MS);
      this.once('end', () => {
        clearTimeout(cut);
        this.destroy();
      });
      this.once('close', () => clearTimeout(cut));
      this.end();
      this.resume();
    };
  });
}
