using Jukwaa.Bot.Channels.AfricasTalking;
using Jukwaa.Bot.Channels.Http;
using Jukwaa.Bot.Core.Conversations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Jukwaa.Bot.Channels.Tests;

public class AfricasTalkingUssdTests
{
    private static FormCollection Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));

    [Fact]
    public void AGatewayStepIsReadWithTheNumberInE164()
    {
        var (request, error) = UssdRequest.Parse(Form(
            ("sessionId", "ATUid_abc"), ("serviceCode", "*384*57#"), ("phoneNumber", "0712345678"), ("networkCode", "63902"), ("text", "1*Kibuye * market")));
        Assert.Null(error);
        Assert.Equal(new UssdRequest("ATUid_abc", "*384*57#", "+254712345678", "63902", "1*Kibuye * market"), request);
    }

    [Fact]
    public void AnEmptyTextIsTheFirstStepNotAMissingField()
    {
        var (request, error) = UssdRequest.Parse(Form(("sessionId", "s"), ("serviceCode", "*384#"), ("phoneNumber", "+254712345678"), ("text", "")));
        Assert.Null(error);
        Assert.Equal("", request!.Text);
    }

    [Fact]
    public void EveryMissingFieldIsNamed()
    {
        var (request, error) = UssdRequest.Parse(Form(("serviceCode", "*384#")));
        Assert.Null(request);
        Assert.Equal("Missing form field(s): sessionId, phoneNumber, text.", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ABlankSessionIdIsRefused(string sessionId)
    {
        var (_, error) = UssdRequest.Parse(Form(("sessionId", sessionId), ("serviceCode", "*384#"), ("phoneNumber", "+254712345678"), ("text", "")));
        Assert.Equal("sessionId must be 1 to 128 characters.", error);
    }

    [Fact]
    public async Task AScreenIsAnsweredAsPlainTextStartingWithConOrEnd()
    {
        Assert.Equal("CON Chagua\n1. Ndiyo", await BodyAsync(new Screen("Chagua\n1. Ndiyo", Ends: false)));
        Assert.Equal("END Asante - \"sawa\"", await BodyAsync(new Screen("Asante — “sawa”", Ends: true)));
    }

    [Theory]
    [InlineData("s3cret", "s3cret", true)]
    [InlineData("s3cret", "s3cre", false)]
    [InlineData("s3cret", "", false)]
    [InlineData("s3cret", "S3CRET", false)]
    public void TheSecretMustMatchExactly(string expected, string given, bool matches) =>
        Assert.Equal(matches, WebhookChecks.FixedTimeEquals(expected, given));

    private static async Task<string> BodyAsync(Screen screen)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await AfricasTalkingUssdEndpoints.Screen(screen).ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.StartsWith("text/plain", context.Response.ContentType, StringComparison.Ordinal);
        return System.Text.Encoding.UTF8.GetString(body.ToArray());
    }
}
