#!/usr/bin/env bash
# Installs eventsub-relay on a Debian/Ubuntu host: user, code, unit, nginx site, first certificate,
# ddclient. Idempotent (safe to re-run). Every value comes from a flag or env; nothing is edited by hand.
#   sudo deploy/install.sh --domain relay.example.net --email you@example.net \
#        [--ddns namecheap|cloudflare|duckdns --ddns-host H --ddns-domain D --ddns-password P] [--dry-run]
set -euo pipefail

DOMAIN="${EVENTSUB_DOMAIN:-}"
EMAIL="${EVENTSUB_EMAIL:-}"
DDNS="${EVENTSUB_DDNS:-}"
DDNS_HOST="${EVENTSUB_DDNS_HOST:-}"
DDNS_DOMAIN="${EVENTSUB_DDNS_DOMAIN:-}"
DDNS_PASSWORD="${EVENTSUB_DDNS_PASSWORD:-}"
PREFIX="${EVENTSUB_PREFIX:-/opt/eventsub-relay}"
DRY_RUN=0
SRC="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) DOMAIN="$2"; shift 2 ;;
    --email) EMAIL="$2"; shift 2 ;;
    --ddns) DDNS="$2"; shift 2 ;;
    --ddns-host) DDNS_HOST="$2"; shift 2 ;;
    --ddns-domain) DDNS_DOMAIN="$2"; shift 2 ;;
    --ddns-password) DDNS_PASSWORD="$2"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$DOMAIN" ] || { echo "--domain is required (the public name Twitch will call, e.g. relay.example.net)" >&2; exit 2; }
[ -n "$EMAIL" ] || { echo "--email is required (Let's Encrypt expiry notices)" >&2; exit 2; }
case "$DDNS" in ''|namecheap|cloudflare|duckdns) ;; *) echo "--ddns must be namecheap, cloudflare or duckdns" >&2; exit 2 ;; esac
if [ -n "$DDNS" ] && [ -z "$DDNS_PASSWORD" ]; then echo "--ddns-password is required with --ddns" >&2; exit 2; fi
[ "$DRY_RUN" = 1 ] || [ "$(id -u)" = 0 ] || { echo "run as root (sudo), or add --dry-run to see the steps" >&2; exit 2; }

step=0
# Prints each step; runs it unless --dry-run. Secrets are never printed.
run() {
  local what="$1"; shift
  step=$((step + 1))
  echo "[$step] $what"
  if [ "$DRY_RUN" = 1 ]; then return 0; fi
  "$@"
}
render() { sed -e "s/eventsub\.example\.com/$DOMAIN/g" "$1" > "$2"; }
site=/etc/nginx/sites-available/eventsub.conf

run "install packages: nginx certbot ddclient nodejs" \
  env DEBIAN_FRONTEND=noninteractive apt-get install -y nginx certbot ddclient nodejs
run "create system user eventsub-relay" \
  sh -c 'id -u eventsub-relay >/dev/null 2>&1 || useradd --system --home-dir /var/lib/eventsub-relay --shell /usr/sbin/nologin eventsub-relay'
run "copy the built relay to $PREFIX" \
  sh -c "mkdir -p '$PREFIX' && cp -r '$SRC/dist' '$SRC/package.json' '$PREFIX/' && ln -sfn '$SRC/node_modules' '$PREFIX/node_modules'"
run "create /etc/eventsub-relay/env (0600 root, kept if present)" \
  sh -c 'install -d -m 0755 /etc/eventsub-relay && [ -f /etc/eventsub-relay/env ] || (umask 077; printf "EVENTSUB_SECRET=%s\n" "$(openssl rand -hex 32)" > /etc/eventsub-relay/env)'
run "install systemd unit /etc/systemd/system/eventsub-relay.service" \
  install -m 0644 "$SRC/deploy/systemd/eventsub-relay.service" /etc/systemd/system/eventsub-relay.service
run "create ACME webroot /var/www/eventsub-acme" install -d -m 0755 /var/www/eventsub-acme
run "install certbot deploy hook" \
  install -D -m 0755 "$SRC/deploy/certbot/deploy-hook.sh" /etc/letsencrypt/renewal-hooks/deploy/eventsub-relay-reload-nginx.sh
if [ "$DRY_RUN" = 1 ] || [ ! -e "/etc/letsencrypt/live/$DOMAIN/fullchain.pem" ]; then
  run "enable bootstrap nginx site (port 80 only) for the first certificate" \
    sh -c "$(declare -f render); DOMAIN='$DOMAIN'; render '$SRC/nginx/eventsub-bootstrap.conf' '$site' && ln -sfn '$site' /etc/nginx/sites-enabled/eventsub.conf && rm -f /etc/nginx/sites-enabled/default && nginx -t && systemctl reload-or-restart nginx"
  run "issue the first certificate for $DOMAIN (certbot webroot)" \
    "$SRC/deploy/certbot/issue.sh" "$DOMAIN" "$EMAIL"
fi
run "enable TLS nginx site for $DOMAIN" \
  sh -c "$(declare -f render); DOMAIN='$DOMAIN'; render '$SRC/nginx/eventsub.conf' '$site' && ln -sfn '$site' /etc/nginx/sites-enabled/eventsub.conf && nginx -t && systemctl reload-or-restart nginx"
if [ -n "$DDNS" ]; then
  export DDNS_PASSWORD  # read by the sh -c below, so it never appears in a command line
  run "write /etc/ddclient.conf for $DDNS (0600)" \
    sh -c "umask 077; sed -e 's|@HOST@|$DDNS_HOST|g' -e 's|@DOMAIN@|$DDNS_DOMAIN|g' -e 's|@WEB_URL@|https://api.ipify.org|g' \
      -e 's|@SERVER@|$(case $DDNS in namecheap) echo dynamicdns.park-your-domain.com;; cloudflare) echo api.cloudflare.com/client/v4;; duckdns) echo www.duckdns.org;; esac)|g' \
      -e \"s|@PASSWORD@|\$DDNS_PASSWORD|g\" '$SRC/deploy/ddclient/$DDNS.conf' > /etc/ddclient.conf && systemctl restart ddclient"
fi
run "enable and start eventsub-relay" systemctl enable --now eventsub-relay
echo "done$([ "$DRY_RUN" = 1 ] && echo ' (dry run: nothing was changed)'). Check: curl -fsS http://127.0.0.1:8080/healthz"
