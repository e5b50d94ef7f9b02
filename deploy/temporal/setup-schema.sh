#!/bin/sh
# Runs in temporalio/admin-tools (docker-compose.yml's temporal-admin-tools): creates Temporal's
# two PostgreSQL databases and brings their schemas to the version this admin-tools image ships.
# Each step is idempotent: `create` accepts a database that exists, `setup-schema -v 0.0` leaves a
# newer schema alone and `update-schema` applies only the versions a database lacks. So it runs
# on every `docker compose up`, and upgrading the Temporal images upgrades the schema before the
# new server starts. The password comes from SQL_PASSWORD, so it is never on a command line.
set -eu

schemas=/etc/temporal/schema/postgresql/v12

setup() {
  database=$1
  versions=$2
  echo "Temporal schema: database $database"
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --db "$database" create
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --db "$database" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --db "$database" update-schema -d "$versions"
}

setup temporal "$schemas/temporal/versioned"
setup temporal_visibility "$schemas/visibility/versioned"
echo "Temporal schema: up to date"
