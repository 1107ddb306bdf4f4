using Microsoft.AspNetCore.Http;

namespace Jukwaa.Bot.Channels.AfricasTalking;

/// <summary>One USSD step as Africa's Talking posts it (form fields <c>sessionId</c>, <c>serviceCode</c>, <c>phoneNumber</c>, <c>networkCode</c>, <c>text</c>).</summary>
public sealed record UssdRequest(string SessionId, string ServiceCode, string PhoneNumber, string? NetworkCode, string Text)
{
    public const int MaxSessionIdLength = 128;
    private static readonly string[] s_required = ["sessionId", "serviceCode", "phoneNumber", "text"];

    /// <summary>The request, or the reason it is refused (for a 400).</summary>
    public static (UssdRequest? Request, string? Error) Parse(IFormCollection form)
    {
        string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var missing = s_required.Where(f => Field(f) is null).ToList();
        if (missing.Count > 0) return (null, $"Missing form field(s): {string.Join(", ", missing)}.");

        var sessionId = Field("sessionId")!.Trim();
        if (sessionId.Length is 0 or > MaxSessionIdLength) return (null, $"sessionId must be 1 to {MaxSessionIdLength} characters.");
        if (Core.Privacy.PhoneNumber.Normalize(Field("phoneNumber")) is not { } phone) return (null, "phoneNumber is not a phone number.");
        return (new UssdRequest(sessionId, Field("serviceCode")!, phone, Field("networkCode"), Field("text")!), null);
    }
}
