# syntax=docker/dockerfile:1
# bpubot's container image: a static binary on a distroless base, run as a non-root user, with
# a health check on /healthz (README, Deploy). The build stage's commands live in
# deploy/build.sh, which deploy/test.sh runs on a machine without Docker.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: a change to the code alone does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN deploy/build.sh /out

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bpubot /usr/local/bin/bpubot
# The working directory is the state of a bpubot on SQLite (the database, the WhatsApp session
# in it); on PostgreSQL it stays empty. Give it a volume.
COPY --from=build --chown=65532:65532 /out/state /var/lib/bpubot
WORKDIR /var/lib/bpubot
USER 65532:65532
ENV BPUBOT_HTTP_ADDR=0.0.0.0:8080 \
    BPUBOT_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/bpubot"]
# The image has no shell and no curl: bpubot asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/bpubot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/bpubot"]
CMD ["serve"]
