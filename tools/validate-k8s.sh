#!/bin/sh
# Validates deploy/kubernetes offline (no cluster needed):
#  - kubectl kustomize renders the kustomization (when kubectl is installed);
#  - every object against the Kubernetes API schemas, with unknown fields
#    rejected, and the project's deployment policy (deploy/validate/).
# Needs Node.js and npm (the npm registry); installs deploy/validate's
# locked dependencies on first use.
set -eu
cd "$(dirname "$0")/.."
dir=deploy/kubernetes
if command -v kubectl >/dev/null 2>&1; then
	echo "== kubectl kustomize $dir ($(kubectl version --client 2>/dev/null | head -1))"
	kubectl kustomize "$dir" >/dev/null
	echo "ok   rendered: $(kubectl kustomize "$dir" | grep -c '^kind:') objects"
else
	echo "== kubectl not installed: skipping the kustomize render"
fi
if [ ! -d deploy/validate/node_modules/kubernetes-models ] ||
    [ ! -d deploy/validate/node_modules/typescript ]; then
	echo "== npm ci in deploy/validate"
	(cd deploy/validate && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "== schema, unknown fields and policy"
node deploy/validate/validate.mjs "$dir"
