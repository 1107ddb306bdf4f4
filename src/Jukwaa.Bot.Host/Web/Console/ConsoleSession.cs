using System.Security.Claims;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Officers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jukwaa.Bot.Host.Web.Console;

/// <summary>
/// Who is signed in to the console. Sign-in is by single-use link only (no passwords): the cookie holds the
/// officer's id, HttpOnly, SameSite=Strict, Secure outside Development, 8 hours sliding. Every request looks the
/// officer up again, so a disabled officer's sessions end at their next request.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "Console";
    public const string CookieName = "jukwaa_console";
    public const string LanguageCookie = "jukwaa_lang";
    private const string OfficerClaim = "officer";

    public static IServiceCollection AddConsoleSession(this IServiceCollection services, bool development)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            // The console answers signed-out requests itself (a page saying how to sign in), never with a login redirect.
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "jukwaa_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.FormFieldName = "__RequestVerificationToken";
        });
        return services;
    }

    public static Task SignInAsync(HttpContext context, Officer officer) =>
        context.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(OfficerClaim, officer.Id.ToString())], Scheme)));

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>The signed-in officer, looked up now; null when signed out, unknown or disabled (their cookie is then cleared).</summary>
    public static async Task<Officer?> OfficerAsync(HttpContext context, IOfficerStore officers, CancellationToken cancellationToken)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Principal?.FindFirst(OfficerClaim)?.Value is not { } id || !Guid.TryParse(id, out var officerId)) return null;
        var officer = await officers.FindOfficerAsync(officerId, cancellationToken);
        if (officer is { Disabled: false }) return officer;
        await SignOutAsync(context);
        return null;
    }

    /// <summary>The page's language: <c>?lang=</c> (remembered in a cookie), else the remembered one, else English. Null: a language we do not offer.</summary>
    public static string? Language(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("lang", out var asked))
        {
            if (asked is not [var lang] || !Languages.All.Contains(lang, StringComparer.Ordinal)) return null;
            context.Response.Cookies.Append(LanguageCookie, lang!, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), Path = "/console",
            });
            return lang;
        }
        return context.Request.Cookies.TryGetValue(LanguageCookie, out var remembered) && Languages.All.Contains(remembered, StringComparer.Ordinal)
            ? remembered
            : Languages.English;
    }

    /// <summary>A fresh anti-forgery token for the page's forms.</summary>
    public static FormToken Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new FormToken(tokens.FormFieldName, tokens.RequestToken ?? "");
    }
}

/// <summary>The hidden field every console form carries.</summary>
public sealed record FormToken(string FieldName, string Value);
