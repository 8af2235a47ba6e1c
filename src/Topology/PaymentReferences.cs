using System.Globalization;

namespace PerfReference.Topology;

/// <summary>
/// How OrdersService names the customer of a payment at the provider (<c>customer_reference</c>): the provider never sees
/// the orders database's keys, and the drills' books tell whose money a payment with no order holds.
/// </summary>
public static class PaymentReferences
{
    private const string CustomerPrefix = "customer-";

    public static string Customer(long customerId) => CustomerPrefix + customerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The customer a reference names, or null when it is not one of <see cref="Customer"/>'s.</summary>
    public static long? CustomerOf(string reference) =>
        reference.StartsWith(CustomerPrefix, StringComparison.Ordinal)
        && long.TryParse(reference.AsSpan(CustomerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
