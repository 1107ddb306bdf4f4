using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>
/// The one way every webhook reads a provider's form, signature filters included. Providers post small
/// <c>application/x-www-form-urlencoded</c> bodies (a few KB), so anything else is refused with a 4xx
/// and a reason before it can cost memory or turn into a 500: another content type, a body over
/// <see cref="WebhookLimits.MaxFormBytes"/> (413, with or without a Content-Length), more than
/// <see cref="WebhookLimits.MaxFields"/> fields, or a field given twice (which would otherwise be joined
/// with a comma and stored). The form is read once per request.
/// </summary>
public static class Forms
{
    private static readonly object s_key = new();

    public static async Task<(IFormCollection? Form, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Items.TryGetValue(s_key, out var read)) return ((IFormCollection)read!, null);
        if (!IsUrlEncoded(request)) return (null, BadRequest("Expected a form post (application/x-www-form-urlencoded)."));

        var (body, tooLarge) = await WebhookLimits.ReadBodyAsync(request, WebhookLimits.MaxFormBytes, cancellationToken);
        if (body is null) return (null, tooLarge);

        Dictionary<string, StringValues> fields;
        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(body))
            {
                ValueCountLimit = WebhookLimits.MaxFields,
                KeyLengthLimit = 256,
                ValueLengthLimit = WebhookLimits.MaxFormBytes,
            };
            fields = await reader.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return (null, BadRequest($"The form could not be read: {ex.Message}"));
        }
        var repeated = fields.Where(f => f.Value.Count > 1).Select(f => f.Key).ToList();
        if (repeated.Count > 0) return (null, BadRequest($"Repeated form field(s): {string.Join(", ", repeated)}. Each field may be given once."));

        var form = new FormCollection(fields);
        request.HttpContext.Items[s_key] = form;
        return (form, null);
    }

    public static IResult BadRequest(string reason) =>
        Results.Text(reason, "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);

    private static bool IsUrlEncoded(HttpRequest request) =>
        request.ContentType is { } type
        && type.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}

/// <summary>How much a webhook request may carry. Real provider requests are a few KB.</summary>
public static class WebhookLimits
{
    public const int MaxFormBytes = 64 * 1024;

    /// <summary>A Telegram update carries at most 4,096 characters of text, plus the message it replies to.</summary>
    public const int MaxJsonBytes = 256 * 1024;

    public const int MaxFields = 100;

    /// <summary>
    /// The longest message text taken: Telegram's own maximum, and more than the longest concatenated SMS
    /// (Twilio 1,600 characters). Longer cannot come from a provider, so it is refused (413), never cut.
    /// </summary>
    public const int MaxText = 4096;

    /// <summary>The whole body, or null and the 413 to answer once it passes <paramref name="max"/> bytes (declared or read).</summary>
    public static async Task<(byte[]? Body, IResult? TooLarge)> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max) return (null, TooLargeResult(max));
        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[8192];
        int count;
        while ((count = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + count > max) return (null, TooLargeResult(max));
            buffer.Write(chunk, 0, count);
        }
        return (buffer.ToArray(), null);
    }

    public static IResult TextTooLong(string field, int length) => Results.Text(
        $"{field} is {length} characters; at most {MaxText} are accepted.", "text/plain", Encoding.UTF8, StatusCodes.Status413PayloadTooLarge);

    private static IResult TooLargeResult(int max) => Results.Text(
        $"The request body is larger than {max} bytes, the most a webhook accepts.", "text/plain", Encoding.UTF8, StatusCodes.Status413PayloadTooLarge);
}
