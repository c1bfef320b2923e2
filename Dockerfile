# Kalmia: dependencies, dashboard build, then a slim runtime.
FROM oven/bun:1.4.5 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the versions in package-lock.json (Bun reads npm's lockfile): a dependency that no longer
# matches package.json fails the build instead of resolving to something new.
RUN bun install --frozen-lockfile --ignore-scripts

FROM deps AS build
COPY . .
RUN bun --bun run build

FROM oven/bun:1.4.5-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KALMIA_DATA_DIR=/data
COPY package.json package-lock.json ./
# The image has its own Bun: the npm `bun` package (a dependency so that `npx kalmia` brings one) goes;
# so does TypeScript, a peer of @elysiajs/openapi that only its unused type generator loads (~30 MB).
RUN bun install --production --frozen-lockfile --ignore-scripts && rm -rf node_modules/bun node_modules/@oven node_modules/typescript node_modules/@typescript \
    && mkdir -p /data && chown bun:bun /data
COPY server ./server
COPY db ./db
COPY --from=build /app/client/dist ./client/dist
USER bun
VOLUME /data
EXPOSE 3000
# Beyond loopback Kalmia needs KALMIA_API_KEYS (or KALMIA_ALLOW_OPEN=1): set it at `docker run`.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bun", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# bun is PID 1's child-free main process: SIGTERM reaches server/main.ts, which drains and exits 0.
CMD ["bun", "server/main.ts"]
