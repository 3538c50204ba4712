using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class S17Msg4StoredTextKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ErrorArgs",
                table: "ReconciliationRuns",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true,
                collation: "Latin1_General_100_BIN2");

            migrationBuilder.AddColumn<string>(
                name: "ErrorKey",
                table: "ReconciliationRuns",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true,
                collation: "Latin1_General_100_BIN2");

            migrationBuilder.AddColumn<string>(
                name: "StatusMessageArgs",
                table: "FiscalConnections",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true,
                collation: "Latin1_General_100_BIN2");

            migrationBuilder.AddColumn<string>(
                name: "StatusMessageKey",
                table: "FiscalConnections",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true,
                collation: "Latin1_General_100_BIN2");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ErrorArgs",
                table: "ReconciliationRuns");

            migrationBuilder.DropColumn(
                name: "ErrorKey",
                table: "ReconciliationRuns");

            migrationBuilder.DropColumn(
                name: "StatusMessageArgs",
                table: "FiscalConnections");

            migrationBuilder.DropColumn(
                name: "StatusMessageKey",
                table: "FiscalConnections");
        }
    }
}
