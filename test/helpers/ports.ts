import { createServer, type AddressInfo, type Server } from 'node:net';

const listening = () =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

/**
 * Ports the kernel just handed out and took back, for servers a test starts in another process
 * (or that must know their address before they start). Better than random numbers: with two test
 * workers, two files picking from one range could meet, and a random port may be in use. They
 * are held open together, so the n ports differ.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, listening));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}
