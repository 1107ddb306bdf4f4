using System.Data.Common;
using Jukwaa.Bot.Core.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

public class OutboxStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime s_now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AClaimThatFailsPartWayHandsOverEveryMessageItClaimed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var scope = database.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
            var person = new Person { AddressHash = "h", AddressSealed = "s", CreatedAt = s_now };
            db.People.Add(person);
            for (var i = 0; i < 3; i++) db.Outbox.Add(OutboxMessage.Pending(person.Id, Channel.Sms, "twilio", "to", "body", 1, s_now));
            await db.SaveChangesAsync(Ct);
        }

        // The database fails the second row's update (a busy or failing disk), after the first was claimed.
        var options = new DbContextOptionsBuilder<SqliteJukwaaDbContext>().UseSqlite($"Data Source={database.File}").AddInterceptors(new FailingUpdate(2)).Options;
        await using (var failing = new SqliteJukwaaDbContext(options))
        {
            var claimed = await new EfOutboxStore(failing, new WriteGate(serialize: true)).ClaimDueAsync(s_now, TimeSpan.FromMinutes(1), 3, "twilio", [], Ct);

            await using var check = database.Scope();
            var sending = await check.ServiceProvider.GetRequiredService<JukwaaDbContext>().Outbox
                .Where(o => o.Status == OutboxStatus.Sending).OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(Ct);
            Assert.Equal(2, sending.Count);
            Assert.Equal(sending, claimed.Select(m => m.Id).Order());
        }
    }

    /// <summary>Fails the <paramref name="nth"/> UPDATE sent to the database.</summary>
    private sealed class FailingUpdate(int nth) : DbCommandInterceptor
    {
        private int _updates;

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            command.CommandText.TrimStart().StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref _updates) == nth
                ? throw new SqliteException("disk I/O error", 10)
                : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}
