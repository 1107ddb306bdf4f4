using System.Net;
using System.Security.Cryptography;
using System.Text;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// A phone that texts the host the way Twilio (with a real X-Twilio-Signature) or Africa's Talking
/// delivers SMS, and reads what the host queued back to it from the outbox.
/// </summary>
public sealed class SmsPhone(JukwaaApp app, string phone)
{
    public string Phone { get; } = phone;

    /// <summary>Query string for Africa's Talking's secret, when the host has one.</summary>
    public string Query { get; set; } = "";

    /// <summary>Sends through Twilio and returns the reply queued for this phone (null when none was).</summary>
    public async Task<string?> SendAsync(string body, string? messageSid = null)
    {
        var before = await RepliesAsync();
        using var response = await PostTwilioAsync(TwilioFields(body, messageSid));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Response/>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return await NewReplyAsync(before);
    }

    /// <summary>Sends through Africa's Talking's short code and returns the reply queued (null when none was).</summary>
    public async Task<string?> SendViaAfricasTalkingAsync(string text, string? id = null)
    {
        var before = await RepliesAsync();
        using var client = app.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["from"] = Phone, ["to"] = "22384", ["text"] = text, ["date"] = "2026-11-28 09:00:00", ["id"] = id ?? "ATXid_" + Guid.NewGuid().ToString("N"), ["linkId"] = "SampleLinkId123",
        });
        using var response = await client.PostAsync("/webhooks/sms/africastalking" + Query, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await NewReplyAsync(before);
    }

    public Dictionary<string, string> TwilioFields(string body, string? messageSid = null) => new()
    {
        ["MessageSid"] = messageSid ?? "SM" + Guid.NewGuid().ToString("N"),
        ["AccountSid"] = "AC_test_account",
        ["From"] = Phone,
        ["To"] = "+15005550006",
        ["Body"] = body,
        ["NumSegments"] = "1",
        ["NumMedia"] = "0",
    };

    public async Task<HttpResponseMessage> PostTwilioAsync(
        Dictionary<string, string> fields, string? signature = null, string path = "/webhooks/sms/twilio", string? signedBase = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? Sign((signedBase ?? client.BaseAddress!.GetLeftPart(UriPartial.Authority)) + path, fields, JukwaaApp.TwilioAuthToken));
        return await client.SendAsync(request);
    }

    /// <summary>Twilio's scheme, computed here independently: URL, then each parameter name and value sorted by name, HMAC-SHA1, Base64.</summary>
    public static string Sign(string url, IReadOnlyDictionary<string, string> fields, string authToken)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in fields.OrderBy(kv => kv.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
#pragma warning disable CA5350 // Twilio's signature scheme is HMAC-SHA1; the test must compute exactly that.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    /// <summary>Every message queued to this phone so far, oldest first, decrypted.</summary>
    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var hash = protector.Hash("tel:" + PhoneNumber.Normalize(Phone));
        return await app.QueryAsync(async db =>
        {
            var person = await db.People.SingleOrDefaultAsync(p => p.AddressHash == hash);
            return person is null ? [] : await db.Outbox.Where(o => o.PersonId == person.Id).OrderBy(o => o.Id).ToListAsync();
        });
    }

    /// <summary>This phone's SMS conversation.</summary>
    public async Task<Conversation> ConversationAsync()
    {
        var hash = app.Services.GetRequiredService<PersonalDataProtector>().Hash("tel:" + PhoneNumber.Normalize(Phone));
        return await app.QueryAsync(db => db.Conversations.SingleAsync(
            c => c.Channel == Channel.Sms && db.People.Any(p => p.Id == c.PersonId && p.AddressHash == hash)));
    }

    public async Task<List<string>> RepliesAsync()
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        return [.. (await OutboxAsync()).Select(o => protector.Unseal(o.BodySealed))];
    }

    private async Task<string?> NewReplyAsync(List<string> before)
    {
        var after = await RepliesAsync();
        Assert.True(after.Count <= before.Count + 1, "more than one reply to one message: " + string.Join(" | ", after.Skip(before.Count)));
        return after.Count > before.Count ? after[^1] : null;
    }
}
