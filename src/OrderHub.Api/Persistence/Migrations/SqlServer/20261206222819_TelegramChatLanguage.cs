using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TelegramChatLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "TelegramChats",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "uk",
                collation: "Latin1_General_100_BIN2");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Language",
                table: "TelegramChats");
        }
    }
}
