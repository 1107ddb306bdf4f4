namespace Jukwaa.Bot.Host.Web;

/// <summary>The pages' stylesheet, built into the host (Web/pages.css) and served from one path, so the pages' CSP is <c>style-src 'self'</c>.</summary>
public static class PageStyles
{
    public const string Path = "/assets/pages.css";

    private static readonly Lazy<byte[]> s_css = new(() =>
    {
        using var stream = typeof(PageStyles).Assembly.GetManifestResourceStream("pages.css")
            ?? throw new InvalidOperationException("pages.css is not built into the host.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(s_css.Value, "text/css; charset=utf-8");
    }
}
