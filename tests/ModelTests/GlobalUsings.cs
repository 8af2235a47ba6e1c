// The AppHost references Aspire.Hosting.PostgreSQL (its publish mode), which has types of the same names as
// src/Hosting's executable-backed ones; unqualified, these names mean the executable-backed resources.
global using PostgresDatabaseResource = PerfReference.Hosting.Postgres.PostgresDatabaseResource;
global using PostgresServerResource = PerfReference.Hosting.Postgres.PostgresServerResource;
