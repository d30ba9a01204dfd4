#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Installs eventsub-relay on Debian 12+ / Ubuntu 24.04+ from a built checkout: packages, system user,
# a self-contained copy of the relay in /opt/eventsub-relay, /etc/eventsub-relay/env, the systemd
# unit, the `eventsub-relay` CLI wrapper, the first certificate, the nginx site, ddclient, and starts
# the service. Idempotent: a re-run changes only what differs, restarts only if something the
# service reads changed, and says so. Every value comes from a flag (or env); nothing is edited by hand.
#
#   sudo deploy/install.sh --domain relay.example.net --email you@example.net \
#        [--twitch-client-id ID --twitch-client-secret SECRET] \
#        [--ddns namecheap|cloudflare|duckdns --ddns-host H [--ddns-domain D] --ddns-password P] [--dry-run]
#
#   --domain NAME               public name Twitch calls; PUBLIC_URL=https://NAME      env EVENTSUB_DOMAIN
#   --email ADDRESS             Let's Encrypt account, for the first certificate       env EVENTSUB_EMAIL
#   --twitch-client-id ID       your Twitch app (dev.twitch.tv/console/apps)           env TWITCH_CLIENT_ID
#   --twitch-client-secret S    its secret (never printed)                             env TWITCH_CLIENT_SECRET
#   --ddns PROVIDER             namecheap, cloudflare or duckdns                       env EVENTSUB_DDNS
#   --ddns-host H               host part (relay), or the DuckDNS subdomain            env EVENTSUB_DDNS_HOST
#   --ddns-domain D             the domain / Cloudflare zone (not for duckdns)         env EVENTSUB_DDNS_DOMAIN
#   --ddns-password P           password / API token / DuckDNS token (never printed)   env EVENTSUB_DDNS_PASSWORD
#   --dry-run                   print every step, change nothing
#   --only STEP,...             only these of: packages user app env unit wrapper certificate nginx ddclient service
#   --render-ddclient FILE      only write the ddclient.conf the --ddns* flags give to FILE (0600), then exit
#   --prefix DIR                where the code goes (default /opt/eventsub-relay)      env EVENTSUB_PREFIX
#   env EVENTSUB_NODE_BIN       the node the unit and the wrapper run (default /usr/bin/node, >= 20.18)
#   env EVENTSUB_DDNS_SERVER, EVENTSUB_DDNS_WEB_URL   replace the provider's server / the IP lookup URL
#   env EVENTSUB_CERTBOT_ARGS   extra certbot flags for the first certificate (--staging, --server URL)
# Values already in /etc/eventsub-relay/env are kept unless a flag gives a new one.
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/common.sh
. "$SRC/deploy/lib/common.sh"
# shellcheck source=lib/env-file.sh
. "$SRC/deploy/lib/env-file.sh"
# shellcheck source=lib/ddclient.sh
. "$SRC/deploy/lib/ddclient.sh"
# shellcheck source=lib/app.sh
. "$SRC/deploy/lib/app.sh"
# shellcheck source=lib/steps.sh
. "$SRC/deploy/lib/steps.sh"
# shellcheck source=lib/nginx.sh
. "$SRC/deploy/lib/nginx.sh"

DOMAIN="${EVENTSUB_DOMAIN:-}"
EMAIL="${EVENTSUB_EMAIL:-}"
TWITCH_CLIENT_ID="${TWITCH_CLIENT_ID:-}"
TWITCH_CLIENT_SECRET="${TWITCH_CLIENT_SECRET:-}"
DDNS="${EVENTSUB_DDNS:-}"
DDNS_HOST="${EVENTSUB_DDNS_HOST:-}"
DDNS_DOMAIN="${EVENTSUB_DDNS_DOMAIN:-}"
DDNS_PASSWORD="${EVENTSUB_DDNS_PASSWORD:-}"
PREFIX="${EVENTSUB_PREFIX:-/opt/eventsub-relay}"
# The node the unit and the wrapper run: a system path (ProtectHome=yes hides an nvm install).
NODE_BIN="${EVENTSUB_NODE_BIN:-/usr/bin/node}"
NODE_MIN=20.18.0
ALL_STEPS="packages user app env unit wrapper certificate nginx ddclient service"
ONLY=""
RENDER_DDCLIENT=""

usage() {
  sed -n "3,/^set -euo/p" "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
  exit "${1:-0}"
}
need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1; shift; continue ;;
    -h | --help) usage 0 ;;
    --domain | --email | --twitch-client-id | --twitch-client-secret | --ddns | --ddns-host | --ddns-domain | \
      --ddns-password | --prefix | --only | --render-ddclient) need_value "$@" ;;
    *) usage_error "unknown option: $1" ;;
  esac
  case "$1" in
    --domain) DOMAIN=$2 ;;
    --email) EMAIL=$2 ;;
    --twitch-client-id) TWITCH_CLIENT_ID=$2 ;;
    --twitch-client-secret) TWITCH_CLIENT_SECRET=$2 ;;
    --ddns) DDNS=$2 ;;
    --ddns-host) DDNS_HOST=$2 ;;
    --ddns-domain) DDNS_DOMAIN=$2 ;;
    --ddns-password) DDNS_PASSWORD=$2 ;;
    --prefix) PREFIX=$2 ;;
    --only) ONLY=$2 ;;
    --render-ddclient) RENDER_DDCLIENT=$2 ;;
  esac
  shift 2
done

if [ -n "$RENDER_DDCLIENT" ]; then
  [ -n "$DDNS" ] || usage_error "--render-ddclient needs --ddns and its values"
  ddns_validate
  (umask 077 && ddns_render >"$RENDER_DDCLIENT")
  echo "wrote $RENDER_DDCLIENT ($DDNS)"
  exit 0
fi

# --- Check every input before changing anything. -----------------------------------------------
[ -n "$DOMAIN" ] || usage_error "--domain is required (the public name Twitch will call, e.g. relay.example.net)"
[[ $DOMAIN =~ $DOMAIN_RE ]] || usage_error "--domain '$DOMAIN' is not a DNS name such as relay.example.net"
for value in "$TWITCH_CLIENT_ID" "$TWITCH_CLIENT_SECRET"; do
  [ -z "$value" ] || [[ $value =~ $ENV_VALUE_RE ]] ||
    usage_error "--twitch-client-id/--twitch-client-secret may only contain letters, digits and ._~:/@+=,- (copy them from dev.twitch.tv/console/apps)"
done
if [ -n "$DDNS" ] || [ -n "$DDNS_HOST$DDNS_DOMAIN$DDNS_PASSWORD" ]; then
  [ -n "$DDNS" ] || usage_error "--ddns-host/--ddns-domain/--ddns-password need --ddns namecheap|cloudflare|duckdns"
  ddns_validate
fi
STEPS=${ONLY//,/ }
for s in ${STEPS:-$ALL_STEPS}; do
  [[ " $ALL_STEPS " == *" $s "* ]] || usage_error "--only: unknown step '$s' (steps: $ALL_STEPS)"
done
STEPS=${STEPS:-$ALL_STEPS}
wants() { [[ " $STEPS " == *" $1 "* ]]; }
if wants certificate && [ -z "$EMAIL" ] && [ ! -e "$LIVE_DIR/$DOMAIN/fullchain.pem" ]; then
  usage_error "--email is required for the first certificate (Let's Encrypt sends expiry notices there)"
fi
[ "$DRY_RUN" = 1 ] || [ "$(id -u)" = 0 ] || usage_error "run as root (sudo), or add --dry-run to see the steps"
check_node

for s in $STEPS; do
  case "$s" in
    packages) install_packages ;;
    user) install_user ;;
    app) install_app ;;
    env) install_env_file ;;
    unit) install_unit ;;
    wrapper) install_wrapper ;;
    certificate) install_certificate ;;
    nginx) install_nginx_site ;;
    ddclient) install_ddclient ;;
    service) start_service ;;
  esac
done

if [ "$DRY_RUN" = 1 ]; then
  echo "done (dry run: nothing was changed)"
elif [ "$ANY_CHANGED" = 0 ]; then
  echo "done: nothing changed (everything was already up to date)"
else
  echo "done: changed ${#CHANGES[@]} item(s). Check: curl -fsS http://127.0.0.1:$(relay_port)/healthz"
fi
