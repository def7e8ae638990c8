// A TCP tap in front of the proxy for leak tests: every byte the proxy sends to a client connected through the tap
// is recorded, so a test can assert that no seeded value appears anywhere in what a client received.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class ByteTap {
  private readonly received: Buffer[] = [];
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  port = 0;

  async start(target: number): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      this.sockets.add(client).add(upstream);
      upstream.on('data', (chunk: Buffer) => this.received.push(Buffer.from(chunk)));
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Everything received since the last call, lower-cased (latin1: byte for byte). */
  take(): string {
    return Buffer.concat(this.received.splice(0)).toString('latin1').toLowerCase();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
