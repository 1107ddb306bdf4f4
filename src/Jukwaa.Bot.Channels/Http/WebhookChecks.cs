using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>What the three webhook filters share: a secret compared in constant time, and the 403 they answer.</summary>
public static class WebhookChecks
{
    public static bool FixedTimeEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    public static IResult Forbidden(string reason) => Results.Text(reason, "text/plain", Encoding.UTF8, StatusCodes.Status403Forbidden);
}
