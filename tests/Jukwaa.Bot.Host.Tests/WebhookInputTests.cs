using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// What a hostile client sent our webhooks in outside testing (issue 11): each answered with a 4xx and a
/// reason, never a 500, and nothing stored.
/// </summary>
public class WebhookInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> FormRoutes =>
    [
        "/webhooks/ussd/africastalking", "/webhooks/ussd/africastalking/events",
        "/webhooks/sms/africastalking", "/webhooks/sms/africastalking/delivery",
        "/webhooks/sms/twilio", "/webhooks/sms/twilio/status",
    ];

    /// <summary>Posts a body to a form webhook, signed as Twilio would sign it (the others ignore the header).</summary>
    private static async Task<HttpResponseMessage> PostAsync(JukwaaApp app, string route, HttpContent content, IReadOnlyDictionary<string, string>? signedFields = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        request.Headers.Add("X-Twilio-Signature", SmsPhone.Sign("http://localhost" + route, signedFields ?? new Dictionary<string, string>(), JukwaaApp.TwilioAuthToken));
        return await client.SendAsync(request, Ct);
    }

    private static async Task AssertNothingStoredAsync(JukwaaApp app)
    {
        Assert.Equal(0, await app.QueryAsync(db => db.People.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.Messages.CountAsync(Ct)));
        Assert.Equal(0, await app.QueryAsync(db => db.Outbox.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task AMultipartBodyWithoutABoundaryIsRefusedWith400(string route)
    {
        await using var app = new JukwaaApp();
        var content = new ByteArrayContent("From=%2B254700000001"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        using var response = await PostAsync(app, route, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("application/x-www-form-urlencoded", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task AGarbageMultipartPartIsRefusedWith400(string route)
    {
        await using var app = new JukwaaApp();
        var content = new ByteArrayContent("--xyz\r\nnot a header line at all\r\n\r\n\u0000\u0001--xyz--"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        using var response = await PostAsync(app, route, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task AFiveMegabyteValueIsRefusedWith413(string route)
    {
        await using var app = new JukwaaApp();
        var fields = new Dictionary<string, string> { ["From"] = "+254700000001", ["Body"] = new string('a', 5 * 1024 * 1024) };
        using var response = await PostAsync(app, route, new FormUrlEncodedContent(fields), fields);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("bytes", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task TwoThousandKeysAreRefusedWith400(string route)
    {
        await using var app = new JukwaaApp();
        var fields = Enumerable.Range(0, 2000).ToDictionary(i => "k" + i, _ => "");
        using var response = await PostAsync(app, route, new FormUrlEncodedContent(fields), fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("count limit 100", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task A31MegabyteBodyIsRefusedWith413EvenWithoutALength(string route)
    {
        await using var app = new JukwaaApp();
        var body = new byte[31 * 1024 * 1024];
        Array.Fill(body, (byte)'a');
        using (var sized = await PostAsync(app, route, FormBytes(body)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        }
        // Streamed: no Content-Length to refuse it by, so the reading itself must stop.
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(body, Ct);
        await pipe.Writer.CompleteAsync();
        var chunked = new StreamContent(pipe.Reader.AsStream());
        chunked.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        Assert.Null(chunked.Headers.ContentLength);
        using (var streamed = await PostAsync(app, route, chunked))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        }
        await AssertNothingStoredAsync(app);
    }

    private static ByteArrayContent FormBytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
        return content;
    }

    [Fact]
    public async Task AnAfricasTalkingSmsWithoutTextIsRefusedWith400NamingTheField()
    {
        await using var app = new JukwaaApp();
        var fields = new Dictionary<string, string> { ["from"] = "+254700000003", ["to"] = "22384", ["id"] = "ATXid_notext" };
        using var response = await PostAsync(app, "/webhooks/sms/africastalking", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [InlineData("/webhooks/sms/africastalking", "from=%2B254700000003&to=22384&id=ATXid_dup&text=&text=1", "text")]
    [InlineData("/webhooks/sms/africastalking", "from=%2B254700000003&to=22384&id=ATXid_a&id=ATXid_b&text=HELP", "id")]
    [InlineData("/webhooks/ussd/africastalking", "sessionId=ATUid_a&sessionId=ATUid_b&serviceCode=*384*57%23&phoneNumber=%2B254700000003&text=", "sessionId")]
    [InlineData("/webhooks/sms/twilio", "MessageSid=SMa&From=%2B254700000003&To=%2B15005550006&Body=HELP&Body=STOP", "Body")]
    public async Task ARepeatedFormFieldIsRefusedWith400NamingIt(string route, string body, string field)
    {
        await using var app = new JukwaaApp();
        var pairs = body.Split('&').Select(p => p.Split('=')).Select(kv => (Key: kv[0], Value: Uri.UnescapeDataString(kv[1]))).ToList();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = FormBytes(Encoding.ASCII.GetBytes(body)) };
        request.Headers.Add("X-Twilio-Signature", SignRepeated("http://localhost" + route, pairs));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"Repeated form field(s): {field}", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    /// <summary>Twilio's scheme over repeated keys: each value after its name, names sorted (stable), so the signature itself is right.</summary>
    private static string SignRepeated(string url, List<(string Key, string Value)> pairs)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
#pragma warning disable CA5350 // Twilio's signature scheme is HMAC-SHA1.
        return Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(JukwaaApp.TwilioAuthToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    [Theory]
    [InlineData("twilio")]
    [InlineData("africastalking")]
    public async Task AMessageTextOverTheLimitIsRefusedWith413AndNotStored(string provider)
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        var text = new string('x', 4097);
        HttpResponseMessage response;
        if (provider == "twilio")
        {
            response = await phone.PostTwilioAsync(phone.TwilioFields(text));
        }
        else
        {
            var fields = new Dictionary<string, string> { ["from"] = phone.Phone, ["to"] = "22384", ["id"] = "ATXid_long", ["text"] = text };
            response = await PostAsync(app, "/webhooks/sms/africastalking", new FormUrlEncodedContent(fields));
        }
        using (response)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("4096", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        await AssertNothingStoredAsync(app);

        // The longest text a provider can deliver is taken whole.
        Assert.NotNull(await phone.SendAsync(new string('y', 1600)));
    }

    [Fact]
    public async Task ATelegramTextOverTheLimitOrATenMegabyteUpdateIsRefusedWith413()
    {
        await using var app = new JukwaaApp();
        var chat = app.Telegram();
        using (var longText = await chat.PostAsync(chat.MessageUpdate(new string('x', 4097))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, longText.StatusCode);
        }
        using (var huge = await chat.PostAsync(chat.MessageUpdate(new string('x', 10 * 1024 * 1024))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }
        await AssertNothingStoredAsync(app);
    }

    [Fact]
    public async Task AWhatsAppSenderOnTheTwilioSmsRouteIsRefusedAndNothingIsSent()
    {
        await using var app = new JukwaaApp();
        var phone = app.Sms();
        var fields = phone.TwilioFields("Habari");
        fields["From"] = "whatsapp:" + phone.Phone;
        fields["To"] = "whatsapp:+14155238886";
        using var response = await phone.PostTwilioAsync(fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WhatsApp is not enabled", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertNothingStoredAsync(app);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthRoutesAnswerGetAndHeadOnly(string path)
    {
        await using var app = new JukwaaApp();
        using var client = app.CreateClient();
        using (var post = await client.PostAsync(path, new StringContent(""), Ct))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        }
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }
        using var get = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }
}
