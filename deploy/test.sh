#!/usr/bin/env bash
# Checks the deploy recipe as far as a machine without a Docker engine can (README, Deploy):
#  - the Dockerfile's build stage: `go mod download` and deploy/build.sh, and a static binary;
#  - that binary as the image runs it: as user 65532 in a state directory of its own, with the
#    image's environment: migrate, serve, the image's HEALTHCHECK command, a backup while it
#    serves, and a clean stop on SIGTERM;
#  - the systemd unit with systemd-analyze (verify, and the security report), when installed;
#  - deploy/Caddyfile with `caddy validate`, when caddy is installed.
# compose.yaml, the Dockerfile's settings and the unit's hardening are checked by
# `go test ./deploy`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deploy/test.sh: $*" >&2; exit 1; }

echo "== the Dockerfile's build stage"
go mod download
deploy/build.sh "$work/out"
go version -m "$work/out/bpubot" | grep -q 'CGO_ENABLED=0' || fail "the binary was built with cgo"
if command -v readelf >/dev/null && readelf -l "$work/out/bpubot" | grep -q 'program interpreter'; then
	fail "the binary is dynamically linked"
fi

echo "== the binary as the image runs it"
chmod 0755 "$work" "$work/out"
state="$work/out/state"
as_image=()
if [ "$(id -u)" = 0 ]; then
	chown 65532:65532 "$state"
	as_image=(setpriv --reuid=65532 --regid=65532 --clear-groups)
else
	echo "(not root: runs as $(id -un), not as user 65532)"
fi
chmod 0700 "$state"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run=(env -i PATH=/usr/bin:/bin BPUBOT_HTTP_ADDR="0.0.0.0:$port" BPUBOT_LOG_FORMAT=json
	BPUBOT_SECRET_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	"${as_image[@]}" "$work/out/bpubot")
bpubot() { (cd "$state" && exec "${run[@]}" "$@"); }
bpubot migrate >/dev/null
(cd "$state" && exec "${run[@]}" serve) 2>"$work/serve.log" &
pid=$!
for _ in $(seq 1 60); do
	if bpubot healthcheck 2>/dev/null; then break; fi
	kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; fail "serve exited"; }
	sleep 0.5
done
bpubot healthcheck || { cat "$work/serve.log"; fail "the HEALTHCHECK command failed against a running serve"; }
bpubot backup "$state/backup.db" >/dev/null
[ "$(stat -c %a "$state/backup.db")" = 600 ] || fail "the backup is readable by others"
if bpubot backup "$state/backup.db" 2>/dev/null; then fail "a backup overwrote a file"; fi
kill -TERM "$pid"
# A watchdog kills it after 60s (and takes its sleep with it when it is not needed).
(trap 'kill "$s" 2>/dev/null; exit' TERM; sleep 60 & s=$!; wait "$s"; kill -KILL "$pid" 2>/dev/null) &
watchdog=$!
rc=0
wait "$pid" || rc=$?
pid=
kill "$watchdog" 2>/dev/null || true
wait "$watchdog" 2>/dev/null || true
[ "$rc" = 0 ] || { cat "$work/serve.log"; fail "serve exited $rc on SIGTERM (137: killed after 60s)"; }
if bpubot healthcheck 2>/dev/null; then fail "healthcheck passed with serve stopped"; fi
echo "migrate, serve, healthcheck, backup while serving, stop: ok (port $port)"

echo "== systemd unit"
if command -v systemd-analyze >/dev/null; then
	mkdir "$work/unit"
	sed "s#/usr/local/bin/bpubot#$work/out/bpubot#" deploy/bpubot.service >"$work/unit/bpubot.service"
	systemd-analyze verify "$work/unit/bpubot.service"
	systemd-analyze security --offline=true "$work/unit/bpubot.service" | tail -n 1
else
	echo "systemd-analyze is not installed: unit not verified"
fi

echo "== Caddyfile"
if command -v caddy >/dev/null; then
	BPUBOT_DOMAIN=bot.example.org caddy validate --adapter caddyfile --config deploy/Caddyfile
else
	echo "caddy is not installed: Caddyfile not validated"
fi
echo "deploy/test.sh: ok"
