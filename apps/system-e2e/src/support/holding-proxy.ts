import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of one server (NATS here) that can hold back what the server sends to
 * its clients: while held, every byte from the server is kept, in order, and delivered on
 * release; what clients send goes through at once. So an app behind it keeps publishing (a
 * gateway's lease beats reach the other replicas) but hears nothing for a while (neither the
 * invalidations sent to it nor the server's confirmation of its own beats): an app that is
 * slow to hear, without stopping it.
 */
export class HoldingProxy {
  private held = false;
  private readonly pending: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private listening = 0;

  private constructor(target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      this.sockets.add(client).add(upstream);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => this.deliver(() => client.write(chunk)));
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  /** A proxy to `target` listening on a free loopback port. */
  static async start(target: { host: string; port: number }): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(target);
    await new Promise<void>((ready) => proxy.server.listen(0, '127.0.0.1', ready));
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
    proxy.listening = address.port;
    return proxy;
  }

  get port(): number {
    return this.listening;
  }

  /** From now on, what the server sends is kept. */
  hold(): void {
    this.held = true;
  }

  /** Delivers what was kept, in order, and lets everything through again. */
  release(): void {
    this.held = false;
    for (const deliver of this.pending.splice(0)) deliver();
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private deliver(write: () => void): void {
    if (this.held || this.pending.length > 0) this.pending.push(write);
    else write();
  }
}
