using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Jukwaa.Bot.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

public class StoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime s_now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheFirstRunCreatesTheDatabaseFileWithEveryTable()
    {
        await using var database = await TestDatabase.CreateAsync();
        Assert.True(File.Exists(database.File));
        await using var scope = database.Scope();
        var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(0, await db.People.CountAsync(Ct));
        Assert.Equal(0, await db.Reports.CountAsync(Ct));
        Assert.Equal(0, await db.Messages.CountAsync(Ct));
    }

    [Fact]
    public void MigrationsOfBothProvidersMatchTheModel()
    {
        using var sqlite = new SqliteJukwaaDbContext(new DbContextOptionsBuilder<SqliteJukwaaDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var postgres = new PostgresJukwaaDbContext(new DbContextOptionsBuilder<PostgresJukwaaDbContext>().UseNpgsql("Host=localhost").Options);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite migrations lag behind the model: add a migration");
        Assert.False(postgres.Database.HasPendingModelChanges(), "the PostgreSQL migrations lag behind the model: add a migration");
        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.Equal(sqlite.Database.GetMigrations().Count(), postgres.Database.GetMigrations().Count());
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task TwoRequestsChangingTheSameConversationCannotBothApply(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var conversationId = await SeedConversationAsync(database);

        await using var first = database.Scope();
        await using var second = database.Scope();
        var a = first.ServiceProvider.GetRequiredService<IConversationStore>();
        var b = second.ServiceProvider.GetRequiredService<IConversationStore>();
        var seenByA = (await a.FindConversationAsync(conversationId, Ct))!;
        var seenByB = (await b.FindConversationAsync(conversationId, Ct))!;

        seenByA.State = "place";
        seenByA.Version++;
        await a.SaveAsync(Ct);

        seenByB.State = "details";
        seenByB.Version++;
        await Assert.ThrowsAsync<ConcurrentStepException>(() => b.SaveAsync(Ct));

        await using var check = database.Scope();
        var stored = await check.ServiceProvider.GetRequiredService<IConversationStore>().FindConversationAsync(conversationId, Ct);
        Assert.Equal("place", stored!.State);
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task ThePersonCreatedTwiceAtOnceIsStoredOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var first = database.Scope();
        await using var second = database.Scope();
        var a = first.ServiceProvider.GetRequiredService<IConversationStore>();
        var b = second.ServiceProvider.GetRequiredService<IConversationStore>();
        a.AddPerson(new Person { AddressHash = "same", AddressSealed = "x", CreatedAt = s_now });
        b.AddPerson(new Person { AddressHash = "same", AddressSealed = "y", CreatedAt = s_now });
        await a.SaveAsync(Ct);
        await Assert.ThrowsAsync<ConcurrentStepException>(() => b.SaveAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task AReportIsFoundByItsReference(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var conversationId = await SeedConversationAsync(database);
        await using (var scope = database.Scope())
        {
            var store = scope.ServiceProvider.GetRequiredService<EfJukwaaStore>();
            var conversation = (await store.FindConversationAsync(conversationId, Ct))!;
            store.Add(new Report
            {
                Reference = "123456780", Category = "gangs", CountyCode = "042", PlaceSealed = "p", DetailsSealed = "d",
                ReporterId = conversation.PersonId, CreatedAt = s_now, StatusChangedAt = s_now,
            });
            await store.SaveAsync(Ct);
        }
        await using var reader = database.Scope();
        var reports = reader.ServiceProvider.GetRequiredService<IReportStore>();
        Assert.True(await reports.ReferenceExistsAsync("123456780", Ct));
        Assert.False(await reports.ReferenceExistsAsync("123456781", Ct));
        var found = await reports.FindByReferenceAsync("123456780", Ct);
        Assert.Equal(("gangs", "042", ReportStatus.Received), (found!.Category, found.CountyCode, found.Status));
    }

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task OnlyTheLatestUnfinishedSessionOfAPersonCanBeResumed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var dropped = await SeedConversationAsync(database);
        Guid personId;
        await using (var scope = database.Scope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IConversationStore>();
            var conversation = (await store.FindConversationAsync(dropped, Ct))!;
            personId = conversation.PersonId;
            Assert.Equal(dropped, (await store.FindResumableAsync(personId, Channel.Ussd, s_now.AddMinutes(-10), Guid.Empty, Ct))?.Id);
            Assert.Null(await store.FindResumableAsync(personId, Channel.Ussd, s_now.AddMinutes(1), Guid.Empty, Ct));
            Assert.Null(await store.FindResumableAsync(personId, Channel.Sms, s_now.AddMinutes(-10), Guid.Empty, Ct));

            store.AddConversation(new Conversation
            {
                PersonId = personId, Channel = Channel.Ussd, ProviderSessionId = "later", DialogId = "status", State = "shown",
                Ended = true, StartedAt = s_now, UpdatedAt = s_now.AddMinutes(1),
            });
            await store.SaveAsync(Ct);
        }
        await using var after = database.Scope();
        Assert.Null(await after.ServiceProvider.GetRequiredService<IConversationStore>()
            .FindResumableAsync(personId, Channel.Ussd, s_now.AddMinutes(-10), Guid.Empty, Ct));
    }

    private static async Task<Guid> SeedConversationAsync(TestDatabase database)
    {
        await using var scope = database.Scope();
        var store = scope.ServiceProvider.GetRequiredService<IConversationStore>();
        var person = new Person { AddressHash = Guid.NewGuid().ToString("N"), AddressSealed = "sealed", CreatedAt = s_now };
        store.AddPerson(person);
        var conversation = new Conversation
        {
            PersonId = person.Id, Channel = Channel.Ussd, ProviderSessionId = "ATUid_" + Guid.NewGuid().ToString("N"),
            DialogId = "report", DialogVersion = 1, State = "county", StartedAt = s_now, UpdatedAt = s_now,
        };
        store.AddConversation(conversation);
        await store.SaveAsync(Ct);
        return conversation.Id;
    }
}
