// Aspire.Hosting.PostgreSQL (publish mode, see DataStores) has a type of the same name as src/Hosting's
// executable-backed ones; unqualified, the name means the executable-backed resource the AppHost runs.
global using PostgresServerResource = PerfReference.Hosting.Postgres.PostgresServerResource;
global using PostgresDatabaseResource = PerfReference.Hosting.Postgres.PostgresDatabaseResource;
