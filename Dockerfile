# One image for api, worker and web (the command picks the process); see docker-compose.prod.yml.
FROM node:20-bookworm-slim AS deps
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
COPY prisma prisma
COPY prisma.config.ts tsconfig.base.json tsconfig.json ./
COPY scripts/prisma-generate.ts scripts/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run db:generate && cd apps/web && npx next build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY --from=build /app /app
USER node
EXPOSE 3000 4000
CMD ["npx", "tsx", "apps/api/src/server.ts"]
