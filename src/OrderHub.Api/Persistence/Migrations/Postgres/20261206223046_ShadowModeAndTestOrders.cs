using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShadowModeAndTestOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Mode",
                table: "PosIntegrations",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Live");

            migrationBuilder.AddColumn<bool>(
                name: "IsTest",
                table: "Orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Mode",
                table: "PosIntegrations");

            migrationBuilder.DropColumn(
                name: "IsTest",
                table: "Orders");
        }
    }
}
