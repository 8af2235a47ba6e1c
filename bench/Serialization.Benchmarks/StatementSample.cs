using PerfReference.OrdersDatabase;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.CustomerGrains;
using PerfReference.OrdersDatabase.Customers;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersService.Statements;

namespace PerfReference.Serialization.Benchmarks;

/// <summary>
/// One realistic statement built twice from the same generated rows: as the entity graph the naive
/// endpoint returns (payments pointing back at their orders, as EF fixes them up) and as the
/// projection the optimized endpoint returns.
/// </summary>
public static class StatementSample
{
    public static (StatementEntities Entities, CustomerStatement Statement) Create(int orders, int linesPerOrder)
    {
        var random = new Random(42);
        var customer = new Customer { Id = 7, Name = "Customer 7", Email = "customer7@example.com", Tier = CustomerTier.Silver, LoyaltyPoints = 1_234, CreatedAt = DateTimeOffset.UnixEpoch };
        var products = Enumerable.Range(1, 250).Select(id => new Product
        {
            Id = id,
            Sku = $"SKU-{id:D7}",
            Name = $"Travel Kettle {id}",
            Category = "kitchen",
            PriceMinor = 199 + random.Next(20_000),
        }).ToArray();

        var entityOrders = new List<Order>();
        var payments = new List<PaymentRecord>();
        for (var o = 0; o < orders; o++)
        {
            var createdAt = DateTimeOffset.UnixEpoch.AddDays(20_000 - o);
            var first = random.Next(products.Length);
            var lines = Enumerable.Range(0, linesPerOrder).Select(l =>
            {
                var product = products[(first + l) % products.Length];
                var quantity = 1 + random.Next(3);
                return new OrderLine { Id = o * linesPerOrder + l + 1, OrderId = o + 1, ProductId = product.Id, Product = product, Quantity = quantity, UnitPriceMinor = product.PriceMinor, LineTotalMinor = product.PriceMinor * quantity };
            }).ToList();
            var total = lines.Sum(l => l.LineTotalMinor);
            var order = new Order
            {
                Id = o + 1,
                CustomerId = customer.Id,
                Customer = customer,
                Status = OrderStatus.Paid,
                SubtotalMinor = total,
                TotalMinor = total,
                CreatedAt = createdAt,
                IdempotencyKey = $"checkout-{Guid.NewGuid():N}",
                RequestHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                Lines = lines,
            };
            entityOrders.Add(order);
            payments.Add(new PaymentRecord
            {
                Id = o + 1,
                OrderId = order.Id,
                Order = order,
                IdempotencyKey = $"checkout:{order.IdempotencyKey}",
                ProviderPaymentId = $"pay_{Guid.NewGuid():N}",
                Status = PaymentRecordStatus.Captured,
                AmountMinor = total,
                Attempts = 1,
                CreatedAt = createdAt,
                UpdatedAt = createdAt,
            });
        }

        var statement = new CustomerStatement(customer.Id, customer.Name, OrdersDbContext.Currency, [.. entityOrders.Select(order => new StatementOrder(
            order.Id, order.CreatedAt, order.Status, order.TotalMinor, PaymentRecordStatus.Captured,
            [.. order.Lines.Select(l => new StatementLine(l.Product!.Sku, l.Product.Name, l.Quantity, l.LineTotalMinor))]))]);
        return (new StatementEntities(customer, entityOrders, payments), statement);
    }
}
