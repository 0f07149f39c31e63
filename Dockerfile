# Two images from one file, both compiled to JavaScript, on Node 22 (the current LTS):
#   docker build .                    the plugin (default target): product code only, no simulator
#   docker build --target simulator . a simulated array, for docker-compose and demos
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.simulators.json ./
COPY api-spec ./api-spec
COPY src ./src
COPY plugins ./plugins
COPY simulators ./simulators
RUN npm run build && npm run build:simulators && npm prune --omit=dev --no-audit --no-fund
# Every backend's images (plugins/<name>/assets), gathered so that a new backend needs no line here.
RUN mkdir -p /app/plugin-assets && cd plugins && find . -path '*/assets/*' -type f -exec cp --parents {} /app/plugin-assets \;

FROM node:22-slim AS simulator
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/simulators ./dist/simulators
COPY package.json ./
# The ONTAP simulator's self-signed certificate is read from the sources at run time.
COPY simulators/ontap/tls ./simulators/ontap/tls
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "dist/simulators/cli.js"]

FROM node:22-slim AS plugin
WORKDIR /app
ENV NODE_ENV=production SIMULATOR=off
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/plugins ./dist/plugins
COPY package.json ./
COPY api-spec ./api-spec
# The backends' images are read from the project tree at run time.
COPY --from=build /app/plugin-assets ./plugins
USER node
EXPOSE 8080
# Liveness from inside the container (no curl in the slim image): Node itself asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# Flags kept equal to bench/node-flags.ts (a unit test checks): what is benchmarked is what runs.
CMD ["node", "--max-semi-space-size=2", "dist/src/server.js"]
