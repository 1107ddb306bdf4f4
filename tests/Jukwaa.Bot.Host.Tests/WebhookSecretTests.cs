using System.Net;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

public class WebhookSecretTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("")]
    [InlineData("?secret=wrong")]
    [InlineData("?secret=s3cret-value-but-longer")]
    public async Task AStepWithoutTheRightSecretIsForbiddenAndChangesNothing(string query)
    {
        await using var app = new JukwaaApp(webhookSecret: "s3cret-value");
        using var call = app.Call();
        call.Query = query;
        foreach (var route in new[] { UssdCall.Route, UssdCall.Route + "/events" })
        {
            using var client = app.CreateClient();
            using var form = new FormUrlEncodedContent(call.Fields(""));
            using var response = await client.PostAsync(route + query, form, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.Equal(0, await app.QueryAsync(db => db.Conversations.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.People.CountAsync(Ct)));
    }

    [Fact]
    public async Task AStepWithTheSecretIsAnswered()
    {
        await using var app = new JukwaaApp(webhookSecret: "s3cret-value");
        using var call = app.Call();
        call.Query = "?secret=s3cret-value";
        Assert.StartsWith("CON ", await call.DialAsync(), StringComparison.Ordinal);
    }
}
