# aoai-bot: the TypeScript sources run directly on Node 24 (type stripping, no build step).
# The `node` devDependency only pins the runtime for `npm start` on a developer machine; here the
# image's own Node 24 runs the code, so `npm ci --omit=dev` leaves it (and the toolchain) out.
FROM node:24-slim

# Charts are drawn by sharp (librsvg), which finds DejaVu Sans through fontconfig.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core fontconfig \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY src/ ./src/
COPY bin/ ./bin/
COPY slack/ ./slack/
COPY teams/ ./teams/
# Node's compile cache (bin/compile-cache.js, preloaded by the CMD below) filled at build time with
# what a start loads: each container starts from compiled code, not from stripping and compiling
# ~1,700 modules (measured: ~18 MiB less idle RSS, a quicker start). Entries are checked against
# each file's hash; the node user adds those of modules loaded later (charts, Azure's credential).
RUN node bin/warm-compile-cache.js && chown -R node:node /tmp/node-compile-cache
# data/ holds the SQLite store when DATABASE_URL is unset (one host only); it must be writable.
RUN mkdir -p /app/data && chown node:node /app/data

# NODE_ENV=production: Teams runs only with a clientId (no unauthenticated local-development mode).
# HOST=0.0.0.0: without chat credentials the bot would bind loopback, unreachable from outside.
ENV NODE_ENV=production PORT=3978 HOST=0.0.0.0
# MALLOC_ARENA_MAX=2: glibc gives each thread running libvips (sharp, in the chart renderer process
# the bot forks on its first chart, which inherits this) its own malloc arena and never hands them
# back; with 2 a 1.5-minute soak grew 442 → 449 MiB instead of 520 → 586 MiB (sharp then ran in the bot).
ENV MALLOC_ARENA_MAX=2
EXPOSE 3978
USER node

# No curl in slim: node's fetch. /healthz is liveness only; /readyz (store, Azure token) is for
# orchestrators that can route around a replica that is up but not ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--import", "./bin/compile-cache.js", "src/main.ts"]
