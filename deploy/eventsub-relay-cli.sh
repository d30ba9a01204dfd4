#!/bin/sh
# /usr/local/bin/eventsub-relay, installed by deploy/install.sh: the eventsub-relay CLI as the
# service sees the world. It runs as the service user @USER@, with the service's EnvironmentFile
# (@ENV_FILE@), DATA_DIR (@STATE_DIR@) and working directory (@PREFIX@), so `auth login` stores
# the tokens the service uses, `subscribe` registers the secret the service verifies with, and
# `events list` reads the service's store. Run it with sudo:
#   sudo eventsub-relay auth login --device --types channel.follow
set -eu
user=@USER@
env_file=@ENV_FILE@

if [ "$(id -u)" != 0 ] && [ "$(id -un)" != "$user" ]; then
  echo "eventsub-relay: run it with sudo (it runs as the service user $user and reads $env_file)" >&2
  exit 1
fi
if [ ! -r "$env_file" ]; then
  echo "eventsub-relay: $env_file is missing: run deploy/install.sh first" >&2
  exit 1
fi

# Only the unit's environment, not the caller's: the unit's Environment= defaults for what the env
# file does not set (EnvironmentFile= overrides Environment=, and the real environment would
# override the file in the CLI), so both see the same values.
set -- @NODE@ @PREFIX@/dist/cli/main.js --env-file "$env_file" "$@"
for pair in NODE_ENV=production HOST=127.0.0.1 PORT=8080 TRUST_PROXY=loopback DATA_DIR=@STATE_DIR@; do
  if ! grep -q "^${pair%%=*}=" "$env_file"; then set -- "$pair" "$@"; fi
done
cd @PREFIX@
if [ "$(id -u)" = 0 ]; then
  exec runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME=@STATE_DIR@ TERM="${TERM:-dumb}" \
    LANG="${LANG:-C.UTF-8}" "$@"
fi
exec env -i PATH=/usr/bin:/bin HOME=@STATE_DIR@ TERM="${TERM:-dumb}" LANG="${LANG:-C.UTF-8}" "$@"
