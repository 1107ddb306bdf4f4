using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Storage.Tests;

/// <summary>The console's counts as each database computes them: per day and category, and the oldest open report.</summary>
public class ReportQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime s_now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [MemberData(nameof(TestPostgres.Providers), MemberType = typeof(TestPostgres))]
    public async Task ArrivalsAreCountedPerDayAndCategoryAndTheOldestOpenReportIsFoundInItsGroup(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var scope = database.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JukwaaDbContext>();
            var person = new Person { AddressHash = "h", AddressSealed = "sealed", CreatedAt = s_now };
            db.People.Add(person);
            var n = 0;
            void Add(string county, string category, DateTime at, ReportStatus status = ReportStatus.Received) => db.Reports.Add(new Report
            {
                Reference = (100_000_000 + n++).ToString(System.Globalization.CultureInfo.InvariantCulture), Category = category, CountyCode = county,
                PlaceSealed = "p", DetailsSealed = "d", ReporterId = person.Id, CreatedAt = at, StatusChangedAt = at, Status = status,
            });
            Add("032", "gangs", s_now.AddDays(-1).AddHours(-7));        // 27 Nov 01:00
            Add("032", "gangs", s_now.AddDays(-1).AddHours(15));        // 27 Nov 23:00: the same day
            Add("032", "theft", s_now.AddDays(-1));                     // 27 Nov, another category
            Add("032", "gangs", s_now.AddDays(-3), ReportStatus.Closed); // 25 Nov, closed: counted, never the oldest open
            Add("032", "gangs", s_now.AddDays(-40));                    // before the period
            Add("042", "gangs", s_now.AddDays(-1));                     // another county
            Add("032", "theft", s_now.AddDays(-20), ReportStatus.UnderReview);
            await db.SaveChangesAsync(Ct);
        }

        await using var reader = database.Scope();
        var queries = reader.ServiceProvider.GetRequiredService<IReportQueries>();
        var nakuru = new ReportScope(["032"], []);
        var arrivals = await queries.ArrivalsAsync(nakuru, s_now.AddDays(-30), Ct);
        Assert.Equal(
            [new DailyCount(new DateOnly(2026, 11, 8), "theft", 1), new DailyCount(new DateOnly(2026, 11, 25), "gangs", 1),
             new DailyCount(new DateOnly(2026, 11, 27), "gangs", 2), new DailyCount(new DateOnly(2026, 11, 27), "theft", 1)],
            arrivals.OrderBy(a => a.Day).ThenBy(a => a.Category, StringComparer.Ordinal));

        var open = await queries.OpenAsync(nakuru, Ct);
        var oldestGroup = open.OrderBy(o => o.Oldest).First();
        Assert.Equal(("032", "gangs", s_now.AddDays(-40)), (oldestGroup.CountyCode, oldestGroup.Category, oldestGroup.Oldest));
        var oldest = await queries.OldestOpenAsync(oldestGroup, Ct);
        Assert.Equal(("100000004", ReportStatus.Received), (oldest!.Reference, oldest.Status));

        // The queue's dates are Kenya days (the console shows Kenya time): 27 Nov 23:00 UTC is 28 Nov 02:00 in Kenya.
        var kenya28th = await queries.QueueAsync(nakuru, new QueueFilter(From: new DateOnly(2026, 11, 28), To: new DateOnly(2026, 11, 28)), 1, 25, Ct);
        Assert.Equal(["100000001"], kenya28th.Rows.Select(r => r.Reference));
        var kenya27th = await queries.QueueAsync(nakuru, new QueueFilter(From: new DateOnly(2026, 11, 27), To: new DateOnly(2026, 11, 27)), 1, 25, Ct);
        Assert.Equal(["100000000", "100000002"], kenya27th.Rows.Select(r => r.Reference).Order(StringComparer.Ordinal));

        var figures = await new ReportFigures(queries).WeeklyAsync(nakuru, s_now, 4, Ct);
        // Weeks from Monday 2 November; the 25th and the 27th share the current week (from Monday the 23rd), the 8th ends the first.
        Assert.Equal([new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 23)], figures.Weeks);
        Assert.Equal([0, 0, 0, 3], figures.ByCategory["gangs"]);
        Assert.Equal([1, 0, 0, 1], figures.ByCategory["theft"]);
    }
}
