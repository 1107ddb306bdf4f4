using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>A person using the web console with a browser's cookies: follows nothing by itself, so each answer can be checked.</summary>
public sealed partial class ConsoleVisitor(JukwaaApp app, Uri? baseAddress = null)
{
    private readonly HttpClient _client = app.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost"),
    });

    /// <summary>The last page's anti-forgery token, as a browser would post it back.</summary>
    public string? FormToken { get; private set; }

    public HttpClient Client => _client;

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (TokenField().Match(html) is { Success: true } token) FormToken = WebUtility.HtmlDecode(token.Groups[1].Value);
        return (response.StatusCode, html);
    }

    public async Task<string> PageAsync(string path)
    {
        var (status, html) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status}\n{html}");
        return html;
    }

    /// <summary>Posts a form as the page's own form would (with its token unless told not to); the raw answer.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken) form["__RequestVerificationToken"] = FormToken ?? throw new InvalidOperationException("No page with a form was loaded.");
        return await _client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    /// <summary>Opens a sign-in link and presses its button; the answer to the POST.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string link)
    {
        var path = new Uri(link).PathAndQuery;
        var (status, html) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"the sign-in link answered {(int)status}: {html}");
        var token = Regex.Match(html, "name=\"token\" value=\"([^\"]+)\"").Groups[1].Value;
        return await PostAsync("/console/signin", new Dictionary<string, string> { ["token"] = WebUtility.HtmlDecode(token) });
    }

    /// <summary>The text a person reads in the page's main part, tags dropped.</summary>
    public static string Text(string html) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(Regex.Match(html, "<body[^>]*>(.*)</body>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", " ")), @"\s+", " ").Trim();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
