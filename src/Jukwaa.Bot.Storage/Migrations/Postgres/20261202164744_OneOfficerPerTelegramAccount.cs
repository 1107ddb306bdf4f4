using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneOfficerPerTelegramAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_officers_TelegramHash",
                table: "officers");

            migrationBuilder.AddColumn<string>(
                name: "TelegramSealed",
                table: "officers",
                type: "text",
                nullable: true);

            // Where one Telegram account was registered to several active officers, the first registered keeps it;
            // the others are disabled (`officers list` shows them) so that the unique index can be made.
            migrationBuilder.Sql("""
                UPDATE officers SET "Disabled" = TRUE
                WHERE "Disabled" = FALSE AND "TelegramHash" IS NOT NULL AND EXISTS (
                    SELECT 1 FROM officers AS earlier
                    WHERE earlier."TelegramHash" = officers."TelegramHash" AND earlier."Disabled" = FALSE
                      AND (earlier."CreatedAt" < officers."CreatedAt" OR (earlier."CreatedAt" = officers."CreatedAt" AND earlier."Id" < officers."Id")))
                """);

            migrationBuilder.CreateIndex(
                name: "IX_officers_TelegramHash",
                table: "officers",
                column: "TelegramHash",
                unique: true,
                filter: "\"Disabled\" = FALSE");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_officers_TelegramHash",
                table: "officers");

            migrationBuilder.DropColumn(
                name: "TelegramSealed",
                table: "officers");

            migrationBuilder.CreateIndex(
                name: "IX_officers_TelegramHash",
                table: "officers",
                column: "TelegramHash");
        }
    }
}
