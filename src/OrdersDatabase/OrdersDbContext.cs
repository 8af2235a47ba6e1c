using Microsoft.EntityFrameworkCore;
using PerfReference.OrdersDatabase.Catalog;
using PerfReference.OrdersDatabase.Customers;
using PerfReference.OrdersDatabase.Ordering;
using PerfReference.OrdersDatabase.Payments;
using PerfReference.OrdersDatabase.Seeding;

namespace PerfReference.OrdersDatabase;

/// <summary>The orders database. Tables and columns are snake_case (configured where the context is registered).</summary>
public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    /// <summary>Every amount in the system is in this currency's minor units.</summary>
    public const string Currency = "EUR";

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Product> Products => Set<Product>();

    /// <summary>The hi/lo sequence orders take their ids from (blocks of ten).</summary>
    public const string OrderIdSequence = "orders_hilo";

    public DbSet<Order> Orders => Set<Order>();

    /// <summary>The index on orders (created_at, id): named, because tests and the log assert plans by it.</summary>
    public const string CreatedAtIndex = "ix_orders_created_at_id";

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();

    public DbSet<SeedProgress> SeedProgress => Set<SeedProgress>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Customer>(customer =>
        {
            customer.Property(c => c.Name).HasMaxLength(200);
            customer.Property(c => c.Email).HasMaxLength(320);
            customer.HasIndex(c => c.Email).IsUnique();
            customer.ToTable(t => t.HasCheckConstraint("ck_customers_loyalty_points", "loyalty_points >= 0"));
        });

        model.Entity<Product>(product =>
        {
            product.Property(p => p.Sku).HasMaxLength(64);
            product.Property(p => p.Name).HasMaxLength(200);
            product.Property(p => p.Category).HasMaxLength(100);
            product.HasIndex(p => p.Sku).IsUnique();
            product.ToTable(t => t.HasCheckConstraint("ck_products_price", "price_minor > 0"));
        });

        model.Entity<Order>(order =>
        {
            // Ids come in blocks from a sequence (hi/lo), so EF knows an order's id before inserting it and
            // sends the order, its lines and its payment as one batch — one round trip, atomic on its own —
            // instead of INSERT order RETURNING id, then the rest, then COMMIT (n-plus-one-db's last round trips).
            order.Property(o => o.Id).UseHiLo(OrderIdSequence);
            order.HasOne(o => o.Customer).WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Restrict);
            order.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            order.Property(o => o.IdempotencyKey).HasMaxLength(128);
            order.Property(o => o.RequestHash).HasMaxLength(64);
            order.HasIndex(o => o.IdempotencyKey).IsUnique();
            // Orders by when they were placed (catalog entry missing-index): the operations summary of a time window
            // and the date-range listing read a slice of 1M orders through it instead of scanning them all. The id
            // second makes (created_at, id) unique, so the listing's keyset pages follow the index exactly. Built
            // CONCURRENTLY: on a live table a plain CREATE INDEX would block every checkout until it finished.
            order.HasIndex(o => new { o.CreatedAt, o.Id }).HasDatabaseName(CreatedAtIndex).IsCreatedConcurrently();
            order.ToTable(t => t.HasCheckConstraint("ck_orders_total", "total_minor >= 0"));
        });

        model.Entity<OrderLine>(line =>
        {
            line.HasOne(l => l.Product).WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
            line.ToTable(t => t.HasCheckConstraint("ck_order_lines_quantity", "quantity > 0"));
        });

        model.Entity<PaymentRecord>(payment =>
        {
            payment.ToTable("payments");
            payment.HasOne(p => p.Order).WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
            payment.Property(p => p.IdempotencyKey).HasMaxLength(128);
            payment.Property(p => p.ProviderPaymentId).HasMaxLength(64);
            payment.HasIndex(p => p.IdempotencyKey).IsUnique();
            payment.HasIndex(p => p.OrderId);
            payment.Property(p => p.LastError).HasMaxLength(500);
            // The worker's queue: only payments with work left are indexed, so the index stays as small as the queue.
            payment.HasIndex(p => p.NextAttemptAt).HasFilter("next_attempt_at IS NOT NULL");
        });

        model.Entity<SeedProgress>(progress =>
        {
            progress.HasKey(p => p.TableName);
            progress.Property(p => p.TableName).HasMaxLength(64);
        });
    }
}
