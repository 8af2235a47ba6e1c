using Npgsql;

namespace PerfReference.CustomerGrains.Customers;

/// <summary>Reads a customer's row from the orders database: the source a grain's state starts from.</summary>
public sealed class CustomerDirectory(NpgsqlDataSource database)
{
    public async Task<CustomerState?> FindAsync(long customerId, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            """
            SELECT c.name, c.email, c.tier, c.loyalty_points, o.order_count, o.last_order_at
            FROM customers c
            CROSS JOIN LATERAL (SELECT count(*)::int AS order_count, max(created_at) AS last_order_at FROM orders WHERE customer_id = c.id) o
            WHERE c.id = $1
            """);
        command.Parameters.Add(new() { Value = customerId });

        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new CustomerState
        {
            Name = reader.GetString(0),
            Email = reader.GetString(1),
            Tier = (CustomerTier)reader.GetInt32(2),
            LoyaltyPoints = reader.GetInt32(3),
            OrderCount = reader.GetInt32(4),
            LastOrderAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        };
    }
}
