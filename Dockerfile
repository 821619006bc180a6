# Tamtam: web and worker roles from one image (`--role web` / `--role worker`).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY locales ./locales
COPY lexicons ./lexicons
COPY deploy ./deploy
# DATA_DIR: the web process's inbound journal (warnings kept while PostgreSQL is unreachable).
ENV DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
