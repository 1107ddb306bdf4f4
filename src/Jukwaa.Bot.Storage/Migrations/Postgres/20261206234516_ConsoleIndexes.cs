using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConsoleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt",
                table: "reports");

            migrationBuilder.CreateIndex(
                name: "IX_reports_CountyCode_CreatedAt_Category_FirstActionMinutes",
                table: "reports",
                columns: new[] { "CountyCode", "CreatedAt", "Category", "FirstActionMinutes" });

            migrationBuilder.CreateIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt_Reference",
                table: "reports",
                columns: new[] { "Status", "CountyCode", "Category", "CreatedAt", "Reference" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_reports_CountyCode_CreatedAt_Category_FirstActionMinutes",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt_Reference",
                table: "reports");

            migrationBuilder.CreateIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt",
                table: "reports",
                columns: new[] { "Status", "CountyCode", "Category", "CreatedAt" });
        }
    }
}
