using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScorecardWithdrawAndCorrect : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_scorecard_deliveries_Quarter_PersonId",
                table: "scorecard_deliveries");

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "scorecard_deliveries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "CorrectedAt",
                table: "published_scorecards",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CorrectionReason",
                table: "published_scorecards",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "published_scorecards",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "WithdrawnAt",
                table: "published_scorecards",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WithdrawnReason",
                table: "published_scorecards",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_deliveries_Quarter_PersonId_Revision",
                table: "scorecard_deliveries",
                columns: new[] { "Quarter", "PersonId", "Revision" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_scorecard_deliveries_Quarter_PersonId_Revision",
                table: "scorecard_deliveries");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "scorecard_deliveries");

            migrationBuilder.DropColumn(
                name: "CorrectedAt",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "CorrectionReason",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "WithdrawnAt",
                table: "published_scorecards");

            migrationBuilder.DropColumn(
                name: "WithdrawnReason",
                table: "published_scorecards");

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_deliveries_Quarter_PersonId",
                table: "scorecard_deliveries",
                columns: new[] { "Quarter", "PersonId" },
                unique: true);
        }
    }
}
