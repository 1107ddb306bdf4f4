using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Jukwaa.Bot.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Console : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FirstActionMinutes",
                table: "reports",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "report_events",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Alerts",
                table: "officers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "DigestMinute",
                table: "officers",
                type: "integer",
                nullable: false,
                defaultValue: 420);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastDigestAt",
                table: "officers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "officer_alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OfficerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    InDigest = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_officer_alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_officer_alerts_officers_OfficerId",
                        column: x => x.OfficerId,
                        principalTable: "officers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_officer_alerts_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "signin_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OfficerId = table.Column<Guid>(type: "uuid", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signin_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_signin_tokens_officers_OfficerId",
                        column: x => x.OfficerId,
                        principalTable: "officers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reports_CreatedAt_CountyCode_Category_FirstActionMinutes",
                table: "reports",
                columns: new[] { "CreatedAt", "CountyCode", "Category", "FirstActionMinutes" });

            migrationBuilder.CreateIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt",
                table: "reports",
                columns: new[] { "Status", "CountyCode", "Category", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_officer_alerts_OfficerId_ReportId",
                table: "officer_alerts",
                columns: new[] { "OfficerId", "ReportId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_officer_alerts_ReportId",
                table: "officer_alerts",
                column: "ReportId");

            migrationBuilder.CreateIndex(
                name: "IX_signin_tokens_ExpiresAt",
                table: "signin_tokens",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_signin_tokens_OfficerId",
                table: "signin_tokens",
                column: "OfficerId");

            migrationBuilder.CreateIndex(
                name: "IX_signin_tokens_TokenHash",
                table: "signin_tokens",
                column: "TokenHash",
                unique: true);

            // Reports acted on before the column existed: the minutes from receipt to first action, from the two times kept.
            migrationBuilder.Sql("""
                UPDATE reports SET "FirstActionMinutes" = CAST(ROUND(EXTRACT(EPOCH FROM ("FirstActionAt" - "CreatedAt")) / 60) AS integer) WHERE "FirstActionAt" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "officer_alerts");

            migrationBuilder.DropTable(
                name: "signin_tokens");

            migrationBuilder.DropIndex(
                name: "IX_reports_CreatedAt_CountyCode_Category_FirstActionMinutes",
                table: "reports");

            migrationBuilder.DropIndex(
                name: "IX_reports_Status_CountyCode_Category_CreatedAt",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "FirstActionMinutes",
                table: "reports");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "report_events");

            migrationBuilder.DropColumn(
                name: "Alerts",
                table: "officers");

            migrationBuilder.DropColumn(
                name: "DigestMinute",
                table: "officers");

            migrationBuilder.DropColumn(
                name: "LastDigestAt",
                table: "officers");
        }
    }
}
