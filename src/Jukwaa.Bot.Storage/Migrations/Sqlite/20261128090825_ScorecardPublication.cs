using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScorecardPublication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "published_scorecards",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Overall = table.Column<int>(type: "INTEGER", nullable: false),
                    SummaryEn = table.Column<string>(type: "TEXT", nullable: false),
                    SummarySw = table.Column<string>(type: "TEXT", nullable: false),
                    FullEn = table.Column<string>(type: "TEXT", nullable: false),
                    FullSw = table.Column<string>(type: "TEXT", nullable: false),
                    DataJson = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_published_scorecards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scorecard_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scorecard_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scorecard_subscriptions",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scorecard_subscriptions", x => x.PersonId);
                    table.ForeignKey(
                        name: "FK_scorecard_subscriptions_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_published_scorecards_CountyCode_Quarter",
                table: "published_scorecards",
                columns: new[] { "CountyCode", "Quarter" });

            migrationBuilder.CreateIndex(
                name: "IX_published_scorecards_Quarter_CountyCode",
                table: "published_scorecards",
                columns: new[] { "Quarter", "CountyCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_deliveries_Quarter_PersonId",
                table: "scorecard_deliveries",
                columns: new[] { "Quarter", "PersonId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "published_scorecards");

            migrationBuilder.DropTable(
                name: "scorecard_deliveries");

            migrationBuilder.DropTable(
                name: "scorecard_subscriptions");
        }
    }
}
