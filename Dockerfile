# The plugin (and, with another command, a backend simulator), compiled to JavaScript, on Node 20.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY api-spec ./api-spec
COPY src ./src
COPY plugins ./plugins
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY api-spec ./api-spec
# Images and simulator certificates are read from the project tree at run time.
COPY plugins ./plugins
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
# Flags kept equal to bench/node-flags.ts (a unit test checks): what is benchmarked is what runs.
CMD ["node", "--max-semi-space-size=2", "dist/src/server.js"]
