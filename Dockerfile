# The server as an image (see the README, "Several instances (PostgreSQL)"). Docker cannot run on the
# machines this project is built on, so this file is documentation: it is not built or tested here.
#
#   docker build -t sotay .
#   docker run -p 3000:3000 -v sotay-data:/data sotay                     # SQLite in the volume
#   docker run -p 3000:3000 -e DATABASE_URL=postgresql://... sotay          # one of several instances
#
# Build stage: native modules (better-sqlite3, hnswlib-node) may compile, so it has a compiler.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` for both engines (SQLite and PostgreSQL clients).
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx prisma generate && npx prisma generate --config prisma/postgresql/prisma.config.ts

# Run stage: the same files without the compiler, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown node:node /data
COPY --from=build --chown=node:node /app /app
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `npm start`. The server handles SIGTERM itself (docker stop): it finishes the replies in flight and
# hands claimed work back to the other instances before it exits.
CMD ["npm", "start"]
