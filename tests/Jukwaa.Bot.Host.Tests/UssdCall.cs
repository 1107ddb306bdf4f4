using System.Net;
using Jukwaa.Bot.Core.Text;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// One phone talking to the USSD webhook the way Africa's Talking relays it: the same sessionId, and
/// <c>text</c> growing with every answer joined by '*'. Every answer is checked against the protocol.
/// </summary>
public sealed class UssdCall(HttpClient client, string phone) : IDisposable
{
    public const string Route = "/webhooks/ussd/africastalking";

    public string Phone { get; } = phone;
    public string SessionId { get; private set; } = NewSessionId();
    public string Text { get; private set; } = "";
    public string Query { get; set; } = "";

    /// <summary>Hangs up (or the network drops) and dials again: a new session.</summary>
    public Task<string> DialAsync()
    {
        SessionId = NewSessionId();
        Text = "";
        return StepAsync("");
    }

    public Task<string> SendAsync(string input) => StepAsync(Text.Length == 0 ? input : Text + "*" + input);

    /// <summary>Posts a step with exactly this <c>text</c> and returns the screen, after checking it is valid USSD.</summary>
    public async Task<string> StepAsync(string text)
    {
        using var response = await PostAsync(Fields(text));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.StartsWith("CON ", StringComparison.Ordinal) || body.StartsWith("END ", StringComparison.Ordinal), body);
        var screen = body[4..];
        Assert.True(screen.Length <= 160, $"{screen.Length} characters: {screen}");
        Assert.True(Gsm7.IsGsm7(screen), "not GSM-7: " + screen);
        Text = text;
        return body;
    }

    public Dictionary<string, string> Fields(string text) => new()
    {
        ["sessionId"] = SessionId, ["serviceCode"] = "*384*57#", ["phoneNumber"] = Phone, ["networkCode"] = "63902", ["text"] = text,
    };

    public async Task<HttpResponseMessage> PostAsync(Dictionary<string, string> fields)
    {
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync(Route + Query, form);
    }

    public void Dispose() => client.Dispose();

    private static string NewSessionId() => "ATUid_" + Guid.NewGuid().ToString("N");
}
