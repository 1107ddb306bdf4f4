namespace Jukwaa.Bot.Host.Web;

/// <summary>
/// Headers for every response the host sends: <c>nosniff</c> on all, and on every HTML page a strict
/// Content-Security-Policy (no script at all, styles only from our stylesheet, no framing). One
/// middleware rather than per page, so a page added later cannot forget them.
/// </summary>
public static class PageHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UsePageHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
            }
            return Task.CompletedTask;
        });
        return next(context);
    });
}
