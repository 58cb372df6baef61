import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadEnv } from './env';
import { createMarketPrepMcpServer } from './tools';

// `npm start -w @marketprep/mcp` (or `tsx apps/mcp/src/main.ts`): the MCP server over stdio, as an
// assistant launches it. It acts with MARKETPREP_API_TOKEN and refuses to start without one.
// stdout carries the protocol only; messages for people go to stderr.

async function main(): Promise<void> {
  const env = loadEnv();
  if (!env.MARKETPREP_API_TOKEN) {
    process.stderr.write(
      'MarketPrep MCP: set MARKETPREP_API_TOKEN to an API token (Settings › API tokens); refusing to start without one.\n',
    );
    process.exit(2);
  }
  const server = createMarketPrepMcpServer({
    apiUrl: env.MARKETPREP_API_URL,
    token: env.MARKETPREP_API_TOKEN,
  });
  await server.connect(new StdioServerTransport());
  const close = () => {
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `MarketPrep MCP: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
