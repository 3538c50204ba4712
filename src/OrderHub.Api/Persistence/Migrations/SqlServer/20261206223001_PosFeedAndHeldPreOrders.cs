using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PosFeedAndHeldPreOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HoldScheduledOrders",
                table: "PickupPoints",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "PreparationMinutes",
                table: "PickupPoints",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeldUntil",
                table: "ExportQueue",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PosFeedMessages",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    IntegrationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrderId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MessageId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false, collation: "Latin1_General_100_BIN2"),
                    Type = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, collation: "Latin1_General_100_BIN2"),
                    Body = table.Column<string>(type: "nvarchar(max)", nullable: false, collation: "Latin1_General_100_BIN2"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosFeedMessages", x => x.Sequence);
                    table.ForeignKey(
                        name: "FK_PosFeedMessages_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PosFeedPositions",
                columns: table => new
                {
                    IntegrationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AckedSequence = table.Column<long>(type: "bigint", nullable: false),
                    AckedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosFeedPositions", x => x.IntegrationId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_IntegrationId_MessageId",
                table: "PosFeedMessages",
                columns: new[] { "IntegrationId", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_IntegrationId_Sequence",
                table: "PosFeedMessages",
                columns: new[] { "IntegrationId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_OrderId",
                table: "PosFeedMessages",
                column: "OrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PosFeedMessages");

            migrationBuilder.DropTable(
                name: "PosFeedPositions");

            migrationBuilder.DropColumn(
                name: "HoldScheduledOrders",
                table: "PickupPoints");

            migrationBuilder.DropColumn(
                name: "PreparationMinutes",
                table: "PickupPoints");

            migrationBuilder.DropColumn(
                name: "HeldUntil",
                table: "ExportQueue");
        }
    }
}
