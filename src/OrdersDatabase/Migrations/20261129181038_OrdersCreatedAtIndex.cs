using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfReference.OrdersDatabase.Migrations
{
    /// <inheritdoc />
    public partial class OrdersCreatedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_orders_created_at_id",
                table: "orders",
                columns: new[] { "created_at", "id" })
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_created_at_id",
                table: "orders");
        }
    }
}
