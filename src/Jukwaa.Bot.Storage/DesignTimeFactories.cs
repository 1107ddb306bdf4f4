using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jukwaa.Bot.Storage;

// Used only by `dotnet ef migrations add`: no server is contacted to generate a migration.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteJukwaaDbContext>
{
    public SqliteJukwaaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteJukwaaDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresJukwaaDbContext>
{
    public PostgresJukwaaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresJukwaaDbContext>().UseNpgsql("Host=localhost;Database=jukwaa_design").Options);
}
