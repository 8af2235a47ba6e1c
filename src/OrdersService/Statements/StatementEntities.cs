using PerfReference.OrdersDatabase.Customers;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;

namespace PerfReference.OrdersService.Statements;

/// <summary>
/// A customer's statement as it is first written (naive variant of <c>serialization</c>): the EF
/// entities returned as loaded. Every column goes out — idempotency keys, request hashes, product
/// categories and flags, the customer's e-mail once per order — and each payment carries its whole
/// order again, lines and products included, because EF fixed the navigation up.
/// </summary>
public sealed record StatementEntities(Customer Customer, IReadOnlyList<Order> Orders, IReadOnlyList<PaymentRecord> Payments);
