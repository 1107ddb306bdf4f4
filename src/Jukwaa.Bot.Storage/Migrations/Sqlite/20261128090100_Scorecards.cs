using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Scorecards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "indicator_values",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CountyCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Quarter = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    IndicatorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Target = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Achieved = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ImportedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_indicator_values", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_indicator_values_CountyCode_Quarter_IndicatorId",
                table: "indicator_values",
                columns: new[] { "CountyCode", "Quarter", "IndicatorId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "indicator_values");
        }
    }
}
