using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PerfReference.OrdersDatabase.Migrations
{
    /// <inheritdoc />
    public partial class PaymentOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "payments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_payments_next_attempt_at",
                table: "payments",
                column: "next_attempt_at",
                filter: "next_attempt_at IS NOT NULL");

            // Payments authorised but never captured before the worker existed (a capture that
            // failed inline) are the worker's first work.
            migrationBuilder.Sql("UPDATE payments SET next_attempt_at = updated_at WHERE status = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_payments_next_attempt_at",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "payments");
        }
    }
}
