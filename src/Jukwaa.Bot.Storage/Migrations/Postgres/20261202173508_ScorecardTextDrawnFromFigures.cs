using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <summary>A published scorecard's words are drawn from its figures when shown or sent (small counts protected alike), no longer stored.</summary>
    public partial class ScorecardTextDrawnFromFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FullEn",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "FullSw",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "SummaryEn",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "SummarySw",
                table: "published_scorecards");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FullEn",
                table: "published_scorecards",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "FullSw",
                table: "published_scorecards",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SummaryEn",
                table: "published_scorecards",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SummarySw",
                table: "published_scorecards",
                type: "text",
                nullable: false,
                defaultValue: "");
        }
    }
}
