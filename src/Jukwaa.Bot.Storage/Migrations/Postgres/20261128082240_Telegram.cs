using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Telegram : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TelegramChatSealed",
                table: "people",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TelegramHash",
                table: "people",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "TelegramStoppedAt",
                table: "people",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ButtonsJson",
                table: "outbox",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "outbox",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_people_TelegramHash",
                table: "people",
                column: "TelegramHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_people_TelegramHash",
                table: "people");

            migrationBuilder.DropColumn(
                name: "TelegramChatSealed",
                table: "people");

            migrationBuilder.DropColumn(
                name: "TelegramHash",
                table: "people");

            migrationBuilder.DropColumn(
                name: "TelegramStoppedAt",
                table: "people");

            migrationBuilder.DropColumn(
                name: "ButtonsJson",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "outbox");
        }
    }
}
