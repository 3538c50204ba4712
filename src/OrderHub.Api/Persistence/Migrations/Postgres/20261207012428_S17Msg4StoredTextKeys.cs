using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.Postgres
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
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ErrorKey",
                table: "ReconciliationRuns",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusMessageArgs",
                table: "FiscalConnections",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusMessageKey",
                table: "FiscalConnections",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
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
