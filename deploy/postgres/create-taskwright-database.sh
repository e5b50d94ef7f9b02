#!/bin/bash
# Creates the taskwright ledger's user and database. The postgres image runs this once, when it
# initialises an empty data volume, with TASKWRIGHT_DATABASE_USER and TASKWRIGHT_DATABASE_PASSWORD
# from docker-compose.yml. Changing the password later does not change it here: use ALTER ROLE,
# or remove the volume and start again.
#
# The ledger gets a user of its own, not Temporal's superuser, so that it can reach its own
# database and nothing else. The values travel as psql variables, which psql quotes, so no
# password can break the SQL.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$TASKWRIGHT_DATABASE_USER" -v password="$TASKWRIGHT_DATABASE_PASSWORD" <<'SQL'
CREATE ROLE :"user" WITH LOGIN PASSWORD :'password';
CREATE DATABASE taskwright OWNER :"user";
REVOKE ALL ON DATABASE taskwright FROM PUBLIC;
SQL
