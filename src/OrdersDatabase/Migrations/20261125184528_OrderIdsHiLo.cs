using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PerfReference.OrdersDatabase.Migrations
{
    /// <inheritdoc />
    public partial class OrderIdsHiLo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "orders_hilo",
                incrementBy: 10);

            // Existing orders keep their ids: the first block handed out starts past them.
            migrationBuilder.Sql("SELECT setval('orders_hilo', GREATEST((SELECT COALESCE(MAX(id), 0) FROM orders), 1));");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "orders",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropSequence(
                name: "orders_hilo");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "orders",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
        }
    }
}
