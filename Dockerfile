# Production image: the API against an external PostgreSQL (DATABASE_URL), or Flowcore.
FROM oven/bun:1 AS deps
WORKDIR /app
COPY package.json bun.lock ./
# patches/ holds the postgres.js fix that bun applies at install time.
COPY patches ./patches
# --ignore-scripts: the image talks to an external PostgreSQL (DATABASE_URL), so the embedded
# server's binaries are not prepared, and the snippet is already built in snippet/dist.
RUN bun install --frozen-lockfile --production --ignore-scripts

FROM oven/bun:1
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY snippet ./snippet
USER bun
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD bun -e "fetch('http://127.0.0.1:' + (process.env.PORT ?? 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["bun", "run", "src/index.ts"]
