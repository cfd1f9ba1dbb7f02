#!/bin/sh
# The build stage of the container image (Dockerfile), also runnable by hand: a static bpubot
# binary (no cgo; time zones inside, for a base image without them) and the empty state
# directory the image gives its user. Run from anywhere: deploy/build.sh OUTDIR.
set -eu
out=${1:?usage: deploy/build.sh OUTDIR}
cd "$(dirname "$0")/.."
mkdir -p "$out/state"
CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags "-s -w" -o "$out/bpubot" ./cmd/bpubot
# The binary that runs in production has neither the fake Bot API nor the load generator.
if go list -deps ./cmd/bpubot | grep -q '^bpubot/bot/telegram/\(fakeapi\|loadtest\)$'; then
	echo "deploy/build.sh: the production binary would include a test fake" >&2
	exit 1
fi
