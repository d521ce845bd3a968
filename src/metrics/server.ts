// The --metrics HTTP endpoint: GET /metrics answers with every map as the run has it at that
// moment, read through a snapshot function the run loop's side provides (the maps are read
// at scrape time, not pushed). Prometheus text 0.0.4 by default, OpenMetrics 1.0 when the
// scraper's Accept header asks for application/openmetrics-text. The server listens on
// loopback unless an address is given, and closes when the run ends.
//
// Hand-written on node:http rather than prom-client: prom-client's registry holds metric
// objects that are updated as things happen, while bpfscope's metrics are the maps, decoded
// whole at each scrape; the exposition format itself is a few lines of text.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_TYPES, type ExpositionFormat } from './exposition';

export interface MetricsAddress {
  host: string;
  port: number;
}

export class MetricsAddressError extends Error {}

/** `PORT`, `ADDR:PORT` or `[IPv6]:PORT`; a bare port listens on 127.0.0.1. */
export function parseMetricsAddress(text: string): MetricsAddress {
  const match = /^(?:\[([^\]]+)\]:|([^:[\]]+):)?(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new MetricsAddressError(
      `--metrics expects [ADDR:]PORT (e.g. 9100, 127.0.0.1:9100, [::1]:9100), got "${text}"`,
    );
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

export interface MetricsServer {
  /** The URL to scrape, e.g. http://127.0.0.1:9100/metrics. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(
  address: MetricsAddress,
  render: (format: ExpositionFormat) => string,
): Promise<MetricsServer> {
  const server = createServer((request, response) => answer(request, response, render));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new MetricsAddressError(
          `cannot serve metrics on ${hostPort(address)}: ${e.code ?? e.message}`,
        ),
      ),
    );
    server.listen(address.port, address.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    url: `http://${hostPort({ host: bound.address, port: bound.port })}/metrics`,
    close: () => closeServer(server),
  };
}

function hostPort({ host, port }: MetricsAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  render: (format: ExpositionFormat) => string,
): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
    response.end('only GET and HEAD\n');
    return;
  }
  if (path !== '/metrics') {
    response.writeHead(path === '/' ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(path === '/' ? 'bpfscope: the maps are at /metrics\n' : 'not found\n');
    return;
  }
  const format: ExpositionFormat = /application\/openmetrics-text/.test(
    request.headers.accept ?? '',
  )
    ? 'openmetrics'
    : 'prometheus';
  let body: string;
  try {
    body = render(format);
  } catch (e) {
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`cannot read the maps: ${(e as Error).message}\n`);
    return;
  }
  response.writeHead(200, { 'Content-Type': CONTENT_TYPES[format] });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
