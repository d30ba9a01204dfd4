#!/bin/sh
# First certificate for the callback name, via the webroot that nginx serves on port 80.
# Usage: issue.sh DOMAIN EMAIL   (extra certbot flags after them, e.g. --server for a test CA)
set -eu
domain="${1:?usage: issue.sh DOMAIN EMAIL [certbot flags]}"
email="${2:?usage: issue.sh DOMAIN EMAIL [certbot flags]}"
shift 2
webroot="${ACME_WEBROOT:-/var/www/eventsub-acme}"
hook="${DEPLOY_HOOK:-/etc/letsencrypt/renewal-hooks/deploy/eventsub-relay-reload-nginx.sh}"
mkdir -p "$webroot"
exec certbot certonly --non-interactive --agree-tos --email "$email" \
  --webroot --webroot-path "$webroot" --domain "$domain" \
  --deploy-hook "$hook" "$@"
