# The plugin (and, with another command, a backend simulator) on Node 20.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY api-spec ./api-spec
COPY src ./src
COPY plugins ./plugins
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
CMD ["npx", "tsx", "src/server.ts"]
