using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PerfReference.OrdersDatabase;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// Statements sent together on the request's EF Core connection. An <see cref="NpgsqlBatch"/> is one round trip
/// however many statements it holds, and PostgreSQL runs them as one implicit transaction: all of them, or none.
/// EF Core sends neither two queries nor an order with its lines as one statement in one round trip: the checkout's
/// optimized reads (<see cref="CheckoutLookup"/>) and writes (<see cref="OrderWriter"/>) are written here instead.
/// </summary>
internal static class CheckoutBatch
{
    /// <summary>Sends the commands as one batch and gives the reader of their results to <paramref name="read"/>.</summary>
    public static async Task<T> ExecuteAsync<T>(
        OrdersDbContext db, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken ct, params NpgsqlBatchCommand[] commands)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var command in commands)
            {
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            return await read(reader, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Sends the commands as one batch, for their effect: every result is read, so a failure in any of them is thrown here.</summary>
    public static Task ExecuteAsync(OrdersDbContext db, CancellationToken ct, params NpgsqlBatchCommand[] commands) =>
        ExecuteAsync(db, static async (reader, token) =>
        {
            while (await reader.NextResultAsync(token))
            {
            }

            return true;
        }, ct, commands);

    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    public static NpgsqlParameter Nullable(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar };

    public static NpgsqlParameter Nullable(DateTimeOffset? value) =>
        new() { Value = value is { } time ? time : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
