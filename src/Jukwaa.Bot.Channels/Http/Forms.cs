using System.Text;
using Microsoft.AspNetCore.Http;

namespace Jukwaa.Bot.Channels.Http;

/// <summary>Reading a provider's form post without ever turning a bad one into a 500.</summary>
public static class Forms
{
    public static async Task<(IFormCollection? Form, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType) return (null, "Expected a form post (application/x-www-form-urlencoded).");
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, "The form could not be read: " + ex.Message);
        }
    }

    public static IResult BadRequest(string reason) =>
        Results.Text(reason, "text/plain", Encoding.UTF8, StatusCodes.Status400BadRequest);
}
