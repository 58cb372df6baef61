#!/usr/bin/env bash
# Writes .env for docker-compose.prod.yml from .env.example with every generated secret filled in
# (POSTGRES_PASSWORD, SESSION_SECRET, TOKEN_ENCRYPTION_KEYS, METRICS_TOKEN, AUDIT_PSEUDONYM_KEY,
# and the VAPID key pair of push alerts).
# What only you can provide (PUBLIC_URL, SMTP_URL, the Square credentials, NWS_USER_AGENT) keeps the example's value:
# edit those next (DEPLOYMENT.md, step 2). Refuses to overwrite an existing .env, whose secrets
# are in use (a new SESSION_SECRET signs everyone out; new token keys cannot read stored tokens).
#   scripts/init-env.sh [path/to/.env]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-.env}"
if [ -e "$target" ]; then
  echo "$target exists: not overwriting its secrets (delete it first to start over)" >&2
  exit 1
fi
umask 077
postgres_password="$(openssl rand -hex 24)"
session_secret="$(openssl rand -base64 32)"
token_key="$(openssl rand -base64 32)"
metrics_token="$(openssl rand -hex 24)"
audit_key="$(openssl rand -base64 32)"
# Web Push (VAPID): a P-256 key pair, the public key as the uncompressed point and the private key
# as the 32-byte scalar, both base64url (what web-push and browsers expect).
b64url() { xxd -r -p | openssl base64 -A | tr '+/' '-_' | tr -d '='; }
vapid_text="$(openssl ecparam -name prime256v1 -genkey -noout | openssl ec -text -noout 2>/dev/null)"
vapid_private="$(printf '%s\n' "$vapid_text" | sed -n '/^priv:/,/^pub:/p' | sed '1d;$d' | tr -d ' :\n' | tail -c 64 | b64url)"
vapid_public="$(printf '%s\n' "$vapid_text" | sed -n '/^pub:/,/^ASN1 OID/p' | sed '1d;$d' | tr -d ' :\n' | b64url)"
sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=${postgres_password}|" \
  -e "s|^SESSION_SECRET=.*|SESSION_SECRET=${session_secret}|" \
  -e "s|^TOKEN_ENCRYPTION_KEYS=.*|TOKEN_ENCRYPTION_KEYS=k1:${token_key}|" \
  -e "s|^TOKEN_ENCRYPTION_KEY_ID=.*|TOKEN_ENCRYPTION_KEY_ID=k1|" \
  -e "s|^METRICS_TOKEN=.*|METRICS_TOKEN=${metrics_token}|" \
  -e "s|^AUDIT_PSEUDONYM_KEY=.*|AUDIT_PSEUDONYM_KEY=${audit_key}|" \
  -e "s|^VAPID_PUBLIC_KEY=.*|VAPID_PUBLIC_KEY=${vapid_public}|" \
  -e "s|^VAPID_PRIVATE_KEY=.*|VAPID_PRIVATE_KEY=${vapid_private}|" \
  .env.example >"$target"
echo "wrote $target with generated secrets; now set PUBLIC_URL, SMTP_URL, the SQUARE_* values and NWS_USER_AGENT in it"
