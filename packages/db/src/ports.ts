import { createServer, type AddressInfo, type Server } from 'node:net';

/**
 * `count` distinct TCP ports on 127.0.0.1 that nothing listens on now: the kernel hands each out
 * from listen(0), and all are held until every one is chosen, so no two are the same. For the
 * embedded cluster, the browser tests and the benches: a fixed port in the ephemeral range
 * (32768-60999) is sooner or later some process's outgoing connection on a busy machine.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = held.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** One port that nothing listens on now (see {@link freePorts}). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}
