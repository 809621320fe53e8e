# Parley server + admin console, one image.
#   docker build -t parley .
#   docker run --rm -p 3000:3000 --env-file .env parley
# Production needs JWT_SECRET, ADMIN_USERNAME and ADMIN_PASSWORD (see .env.example); several
# instances behind nginx: docker-compose.yml.

# ---- build: compiles the server (dist/) and the console (admin-ui/dist/) -------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so that the dependency layer is reused until they change.
COPY package.json package-lock.json ./
COPY admin-ui/package.json admin-ui/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: production dependencies and the build output only ---------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --workspaces=false: the console is prebuilt static files, its packages (React, Vite) stay out.
# --omit=optional: the only optional package of the production tree is typescript (an optional
# peer of @nestjs/swagger, for its build-time plugin); test/deploy checks that this stays true.
# --ignore-scripts: the only install script of the production tree is a telemetry ping.
RUN npm ci --omit=dev --omit=optional --workspaces=false --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
# Same layout as the repository: dist/admin serves ../../admin-ui/dist, i.e. /app/admin-ui/dist.
# The files stay owned by root: the server only reads them.
COPY --from=build /app/dist ./dist
COPY --from=build /app/admin-ui/dist ./admin-ui/dist

USER node
EXPOSE 3000
# Nest's shutdown hooks close the HTTP server, the sockets and the Redis connections on SIGTERM.
STOPSIGNAL SIGTERM
# Readiness, not liveness: with CHAT_ENGINE=redis the instance is unhealthy while Redis is
# unreachable, so that a load balancer (or compose's depends_on) waits for it. No curl in slim
# images: node's fetch does the request.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
