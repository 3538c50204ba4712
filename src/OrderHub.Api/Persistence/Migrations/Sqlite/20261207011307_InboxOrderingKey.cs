using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxOrderingKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OrderingKey",
                table: "InboxEvents",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_CompanyId_OrderingKey_LeaseUntil",
                table: "InboxEvents",
                columns: new[] { "CompanyId", "OrderingKey", "LeaseUntil" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboxEvents_CompanyId_OrderingKey_LeaseUntil",
                table: "InboxEvents");

            migrationBuilder.DropColumn(
                name: "OrderingKey",
                table: "InboxEvents");
        }
    }
}
