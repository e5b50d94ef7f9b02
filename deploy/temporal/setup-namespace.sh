#!/bin/sh
# Runs in temporalio/admin-tools (docker-compose.yml's temporal-namespace-setup) once the server
# listens: waits until it serves requests, creates TEMPORAL_NAMESPACE when it is missing, and
# registers each name in KEYWORD_SEARCH_ATTRIBUTES as a Keyword search attribute of it, skipping
# those it has. The temporal CLI reads TEMPORAL_ADDRESS itself.
#
# Every step is retried for a while: the server answers on its port before it serves requests,
# and a namespace created a moment ago can take some seconds to be known to every part of it.
set -eu

: "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_NAMESPACE_RETENTION:?}" "${KEYWORD_SEARCH_ATTRIBUTES:?}"

# Runs "$@" until it succeeds, at most 60 times two seconds apart.
retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge 60 ]; then
      echo "Gave up after two minutes: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

namespace_exists() {
  temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 ||
    temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION"
}

keyword_attribute_exists() {
  if temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$1"; then
    echo "Search attribute $1: registered already"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$1" --type Keyword
  fi
}

retry temporal operator cluster health
retry namespace_exists
for name in $KEYWORD_SEARCH_ATTRIBUTES; do
  retry keyword_attribute_exists "$name"
done
echo "Namespace $TEMPORAL_NAMESPACE: ready, with search attributes $KEYWORD_SEARCH_ATTRIBUTES"
