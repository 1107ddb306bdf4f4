using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsoleCountyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_reports_CountyCode_CreatedAt_Category_FirstActionMinutes",
                table: "reports",
                columns: new[] { "CountyCode", "CreatedAt", "Category", "FirstActionMinutes" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reports_CountyCode_CreatedAt_Category_FirstActionMinutes",
                table: "reports");
        }
    }
}
