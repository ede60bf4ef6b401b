# Multi-stage build: compile with dev dependencies, run with production ones only, as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are copied.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY connectors ./connectors
COPY api-client ./api-client
COPY migrations ./migrations
COPY console ./console
# The sync definition schema (config/schema) is compiled in with the CLI and config loader.
COPY config ./config
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# No sandbox in the image: emulators and demo data are for `npm start` on a developer's machine.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 SYNCLINE_DATA_DIR=/data SYNCLINE_SANDBOX=off
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The CLI: docker exec … npx syncline plan (with SYNCLINE_URL and SYNCLINE_API_KEY).
COPY --from=build --chown=node:node /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the app and it exits 0 after a graceful shutdown.
CMD ["node", "dist/src/main.js"]
