using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>A person using the web console with a browser's cookies: follows nothing by itself, so each answer can be checked.</summary>
public sealed partial class ConsoleVisitor
{
    private readonly HttpClient _client;

    public ConsoleVisitor(JukwaaApp app, Uri? baseAddress = null) => _client = app.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost"),
    });

    private ConsoleVisitor(HttpClient client) => _client = client;

    /// <summary>
    /// A browser on https://jukwaa.example.go.ke reaching <paramref name="app"/> through a proxy that ends TLS, as nginx
    /// does: the browser keeps its (Secure) cookies in <paramref name="cookies"/>; the host gets http with X-Forwarded-Proto.
    /// </summary>
    public static ConsoleVisitor BehindTlsProxy(JukwaaApp app, CookieContainer cookies) =>
        new(app.CreateDefaultClient(new Uri("https://jukwaa.example.go.ke"), new CookieContainerHandler(cookies), new TlsTerminatingProxy()));

    private sealed class TlsTerminatingProxy : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = "http", Port = 80 }.Uri;
            request.Headers.Add("X-Forwarded-Proto", "https");
            return base.SendAsync(request, cancellationToken);
        }
    }

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
