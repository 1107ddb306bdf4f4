using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace Jukwaa.Bot.Host.Hosting;

/// <summary>
/// When the database cannot be reached, a webhook answers 503 with Retry-After at once, so the provider
/// retries or falls back, instead of a 500. Nothing was stored, so nothing is lost by answering so.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception)) return false;
        LogUnavailable(logger, exception.GetType().Name);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        await httpContext.Response.WriteAsync("The database is unavailable; try again shortly.", cancellationToken);
        return true;
    }

    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException || e.GetType().Name == "RetryLimitExceededException") return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Database unavailable ({Kind}): answered 503")]
    private static partial void LogUnavailable(ILogger logger, string kind);
}
