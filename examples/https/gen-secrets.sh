#!/usr/bin/env bash
# Writes the Secrets api-cert and app-cert of this example to DIR/secrets.yaml (default: this
# script's directory), with certificates signed by a local CA (DIR/ca.crt, created on the first
# run and reused after, so clients keep trusting it when the certificates are renewed).
# Run it again to rotate: new keys, new serial numbers; the file is replaced atomically.
#   ./gen-secrets.sh [DIR]
set -euo pipefail
dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
mkdir -p "$dir"
cd "$dir"
if [ ! -f ca.key ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
    -subj "/CN=Ringway example CA" -keyout ca.key -out ca.crt 2>/dev/null
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for name in api app; do
  host="$name.example.com"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=$host" -keyout "$tmp/$name.key" -out "$tmp/$name.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' "$host" > "$tmp/$name.ext"
  openssl x509 -req -in "$tmp/$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 90 -extfile "$tmp/$name.ext" -out "$tmp/$name.crt" 2>/dev/null
  {
    echo "---"
    echo "apiVersion: v1"
    echo "kind: Secret"
    echo "metadata:"
    echo "  name: $name-cert"
    echo "  namespace: default"
    echo "type: kubernetes.io/tls"
    echo "stringData:"
    echo "  tls.crt: |"
    sed 's/^/    /' "$tmp/$name.crt"
    echo "  tls.key: |"
    sed 's/^/    /' "$tmp/$name.key"
  } >> "$tmp/secrets.yaml"
done
# a temp file renamed into place: the gateway never reads a half-written file
cp "$tmp/secrets.yaml" secrets.yaml.tmp
mv -f secrets.yaml.tmp secrets.yaml
echo "wrote $dir/secrets.yaml (api-cert, app-cert; CA: $dir/ca.crt)"
