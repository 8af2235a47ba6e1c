using System.Security.Cryptography;
using System.Text;

namespace PerfReference.OrdersService.Checkout;

/// <summary>
/// A fingerprint of what a checkout asks for, stored with the order: a retry with the same
/// Idempotency-Key must ask for the same thing (the order of the lines does not matter).
/// </summary>
public static class CheckoutRequestHash
{
    public static string Compute(long customerId, IEnumerable<(long ProductId, int Quantity)> lines)
    {
        var canonical = new StringBuilder().Append(customerId);
        foreach (var (productId, quantity) in lines.OrderBy(line => line.ProductId))
        {
            canonical.Append('|').Append(productId).Append('x').Append(quantity);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
