using Npgsql;

namespace PerfReference.CustomerGrains.Customers;

/// <summary>Reads a customer's row from the orders database: the source a grain's state starts from.</summary>
public sealed class CustomerDirectory(NpgsqlDataSource database)
{
    public async Task<CustomerState?> FindAsync(long customerId, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            "SELECT name, email, tier, loyalty_points FROM customers WHERE id = $1");
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
        };
    }
}
