using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "uk");
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
