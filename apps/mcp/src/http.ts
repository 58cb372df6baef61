import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { loadEnv } from './env';
import { createMarketPrepMcpServer } from './tools';

const TOKEN = /^Bearer (mp_t_[A-Za-z0-9_-]{20,})$/;
const MAX_BODY_BYTES = 1_048_576;

function jsonRpcError(res: ServerResponse, status: number, message: string, extra = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32_001, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/**
 * The MCP server over streamable HTTP at `/mcp`, stateless: every request carries its own
 * `Authorization: Bearer <API token>`, which the tools pass to the API (so the token's business
 * and scopes hold per request); without one, 401 before any tool runs.
 */
export function createMcpHttpServer(options: { apiUrl: string; fetch?: typeof fetch }): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') return jsonRpcError(res, 404, 'Not found: use /mcp');
      if (req.method !== 'POST') {
        // Stateless: no server-sent stream to resume and no session to delete.
        return jsonRpcError(res, 405, 'Method not allowed', { allow: 'POST' });
      }
      const token = TOKEN.exec(req.headers.authorization ?? '')?.[1];
      if (!token) {
        return jsonRpcError(res, 401, 'Send Authorization: Bearer <MarketPrep API token>', {
          'www-authenticate': 'Bearer',
        });
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch {
        return jsonRpcError(res, 400, 'The body must be JSON-RPC (JSON, at most 1 MB)');
      }
      const server = createMarketPrepMcpServer({
        apiUrl: options.apiUrl,
        token,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch(() => {
      if (!res.headersSent) jsonRpcError(res, 500, 'Internal error');
      else res.end();
    });
  });
}

// `tsx apps/mcp/src/http.ts`: listens on MCP_HOST:MCP_PORT.
if (import.meta.url === `file://${process.argv[1]}`) {
  const env = loadEnv();
  const server = createMcpHttpServer({ apiUrl: env.MARKETPREP_API_URL });
  server.listen(env.MCP_PORT, env.MCP_HOST, () => {
    const { port } = server.address() as AddressInfo;
    process.stderr.write(
      `MarketPrep MCP (streamable HTTP) on http://${env.MCP_HOST}:${port}/mcp\n`,
    );
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
