# shellcheck shell=bash disable=SC2034 # (variables are read by the other files of install.sh)
# /etc/eventsub-relay/env for deploy/install.sh (sourced, bash): the service's EnvironmentFile=,
# also read by the `eventsub-relay` CLI wrapper. Values come from flags; lines already in the file
# are kept (a re-run never loses EVENTSUB_SECRET or a value added by hand) unless a flag replaces them.

# Values both systemd's EnvironmentFile= and Node's process.loadEnvFile read the same way: no
# quotes, spaces, # or $ (each parser treats those differently).
ENV_VALUE_RE='^[A-Za-z0-9._~:/@+=,-]+$'

# env_merge FILE KEY=VALUE...: prints FILE's lines with each KEY's first line replaced (later
# duplicates dropped) and keys that were absent appended. FILE may be missing.
env_merge() {
  local file=$1 line key
  shift
  local -A want=() seen=()
  local order=()
  for pair in "$@"; do
    want[${pair%%=*}]=${pair#*=}
    order+=("${pair%%=*}")
  done
  if [ -f "$file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      key=${line%%=*}
      if [[ $line == *=* && -v want[$key] ]]; then
        if [ -z "${seen[$key]:-}" ]; then printf '%s=%s\n' "$key" "${want[$key]}"; fi
        seen[$key]=1
      else
        printf '%s\n' "$line"
      fi
    done <"$file"
  fi
  for key in "${order[@]}"; do
    if [ -z "${seen[$key]:-}" ]; then printf '%s=%s\n' "$key" "${want[$key]}"; fi
  done
}

# env_get FILE KEY: the value of KEY's first line in FILE (empty if absent or unreadable).
env_get() {
  local line
  [ -r "$1" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line == "$2="* ]]; then
      printf '%s' "${line#*=}"
      return 0
    fi
  done <"$1"
}

# mask VALUE: a secret shown in output as its length only.
mask() { printf '<%d characters, not shown>' "${#1}"; }

# install_env_file: writes $ENV_FILE (0640 root:eventsub-relay: the service user's CLI reads it too).
install_env_file() {
  say "write $ENV_FILE (0640 root:$SERVICE_USER): PUBLIC_URL, Twitch app credentials, EVENTSUB_SECRET"
  local pairs=("PUBLIC_URL=https://$DOMAIN")
  note "PUBLIC_URL=https://$DOMAIN (from --domain)"
  if [ -n "$TWITCH_CLIENT_ID" ]; then
    pairs+=("TWITCH_CLIENT_ID=$TWITCH_CLIENT_ID")
    note "TWITCH_CLIENT_ID=$TWITCH_CLIENT_ID"
  fi
  if [ -n "$TWITCH_CLIENT_SECRET" ]; then
    pairs+=("TWITCH_CLIENT_SECRET=$TWITCH_CLIENT_SECRET")
    note "TWITCH_CLIENT_SECRET=$(mask "$TWITCH_CLIENT_SECRET")"
  fi
  if [ -z "$(env_get "$ENV_FILE" EVENTSUB_SECRET)" ]; then
    if [ "$DRY_RUN" = 1 ] && [ -e "$ENV_FILE" ] && [ ! -r "$ENV_FILE" ]; then
      note "EVENTSUB_SECRET: kept if present, else generated (not shown)"
    else
      note "EVENTSUB_SECRET: generated (openssl rand -hex 32; not shown)"
      pairs+=("EVENTSUB_SECRET=$(openssl rand -hex 32)")
    fi
  else
    note "EVENTSUB_SECRET: kept (not shown)"
  fi
  local missing=()
  [ -n "$TWITCH_CLIENT_ID" ] || [ -n "$(env_get "$ENV_FILE" TWITCH_CLIENT_ID)" ] || missing+=(--twitch-client-id)
  [ -n "$TWITCH_CLIENT_SECRET" ] || [ -n "$(env_get "$ENV_FILE" TWITCH_CLIENT_SECRET)" ] || missing+=(--twitch-client-secret)
  if [ ${#missing[@]} -gt 0 ] && { [ "$DRY_RUN" = 0 ] || [ ! -e "$ENV_FILE" ] || [ -r "$ENV_FILE" ]; }; then
    note "not set yet: ${missing[*]} (https://dev.twitch.tv/console/apps); the service runs without them, but"
    note "'eventsub-relay auth login' and 'subscribe' need them: re-run install.sh with them"
  fi
  act install -d -m 0755 -o root -g root "$(dirname "$ENV_FILE")"
  put_file "$ENV_FILE" 0640 "root:$SERVICE_USER" relay < <(env_merge "$ENV_FILE" "${pairs[@]}")
}
