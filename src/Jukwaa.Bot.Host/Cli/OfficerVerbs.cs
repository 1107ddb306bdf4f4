using System.CommandLine;
using System.Globalization;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Officers;
using Jukwaa.Bot.Core.Privacy;
using Jukwaa.Bot.Core.Reports;
using Jukwaa.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>officers add|list|disable</c>: who may use the officer console on Telegram, with what role and counties.</summary>
public static class OfficerVerbs
{
    public static Command Command(Func<WebApplication> buildApp)
    {
        var name = new Option<string>("--name") { Description = "The officer's name, as shown in report histories.", Required = true };
        var role = new Option<OfficerRole>("--role") { Description = "county, regional, national (all counties, read-only), analyst (M&E: all counties, read-only, reads free-text answers) or admin.", Required = true };
        var counties = new Option<string[]>("--county") { Description = "A county name or code; repeat for several. Not needed for national, analyst and admin.", AllowMultipleArgumentsPerToken = false };
        var telegram = new Option<long?>("--telegram-id") { Description = "The officer's numeric Telegram user id." };
        var phone = new Option<string?>("--phone") { Description = "The officer's phone number." };
        var sensitive = new Option<bool>("--sensitive") { Description = "May see SGBV, child-protection and terrorism reports." };
        var add = new Command("add", "Register an officer.") { name, role, counties, telegram, phone, sensitive };
        add.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var catalog = app.Services.GetRequiredService<DialogCatalog>();
            var protector = app.Services.GetRequiredService<PersonalDataProtector>();
            var officer = new Officer
            {
                Name = parse.GetValue(name)!.Trim(),
                Role = parse.GetValue(role),
                SeesSensitive = parse.GetValue(sensitive),
                CreatedAt = DateTime.UtcNow,
            };
            var codes = new List<string>();
            foreach (var typed in parse.GetValue(counties) ?? [])
            {
                if (CountySearchAction.Search(catalog, typed) is not [var county])
                {
                    Console.Error.WriteLine($"'{typed}' is not one county; use its name or code (e.g. Nakuru or 032).");
                    return 1;
                }
                codes.Add(county.Code);
            }
            if (!officer.CoversAllCounties && codes.Count == 0)
            {
                Console.Error.WriteLine($"A {officer.Role.ToString().ToLowerInvariant()} officer needs at least one --county.");
                return 1;
            }
            officer.Counties = officer.CoversAllCounties ? "" : string.Join(',', codes.Distinct());
            var store = scope.ServiceProvider.GetRequiredService<IOfficerStore>();
            var telegramId = parse.GetValue(telegram)?.ToString(CultureInfo.InvariantCulture);
            if (telegramId is not null)
            {
                officer.TelegramHash = protector.Hash("tg:" + telegramId);
                officer.TelegramSealed = protector.Seal(telegramId);
                if (await store.FindOfficerByTelegramAsync(officer.TelegramHash, cancellationToken) is { } holder)
                {
                    Console.Error.WriteLine(Taken(telegramId, holder));
                    return 1;
                }
            }
            if (parse.GetValue(phone) is { } typedPhone)
            {
                if (PhoneNumber.Normalize(typedPhone) is not { } e164)
                {
                    Console.Error.WriteLine($"'{typedPhone}' is not a phone number.");
                    return 1;
                }
                officer.PhoneHash = protector.Hash("tel:" + e164);
                officer.PhoneSealed = protector.Seal(e164);
            }
            store.AddOfficer(officer);
            try
            {
                await scope.ServiceProvider.GetRequiredService<EfJukwaaStore>().SaveAsync(cancellationToken);
            }
            catch (ConcurrentStepException) when (telegramId is not null)
            {
                // Registered by someone else between the check and the save: the unique index said no.
                await using var again = app.Services.CreateAsyncScope();
                var holder = await again.ServiceProvider.GetRequiredService<IOfficerStore>().FindOfficerByTelegramAsync(officer.TelegramHash!, cancellationToken);
                Console.Error.WriteLine(holder is null ? $"Telegram id {telegramId} was registered to another officer at the same time." : Taken(telegramId, holder));
                return 1;
            }
            Console.WriteLine($"Officer {officer.Id} added: {Describe(officer, catalog, protector)}");
            return 0;
        });

        var list = new Command("list", "List the officers.");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var catalog = app.Services.GetRequiredService<DialogCatalog>();
            var protector = app.Services.GetRequiredService<PersonalDataProtector>();
            var all = await scope.ServiceProvider.GetRequiredService<IOfficerStore>().OfficersAsync(cancellationToken);
            foreach (var officer in all) Console.WriteLine($"{officer.Id}  {Describe(officer, catalog, protector)}");
            if (all.Count == 0) Console.WriteLine("No officers yet: add one with `officers add`.");
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The officer's id, from `officers list`." };
        var disable = new Command("disable", "Stop an officer from using the console (their history stays).") { id };
        disable.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            if (await FindAsync(scope, parse.GetValue(id), cancellationToken) is not { } officer) return 1;
            officer.Disabled = true;
            await scope.ServiceProvider.GetRequiredService<EfJukwaaStore>().SaveAsync(cancellationToken);
            Console.WriteLine($"Officer {officer.Id} ({officer.Name}) disabled.");
            return 0;
        });

        var linkId = new Argument<string>("id") { Description = "The officer's id, from `officers list`." };
        var signinLink = new Command("signin-link", "Print a single-use link (valid 10 minutes) that signs the officer in to the web console.") { linkId };
        signinLink.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            if (await FindAsync(scope, parse.GetValue(linkId), cancellationToken) is not { } officer) return 1;
            if (officer.Disabled)
            {
                Console.Error.WriteLine($"Officer {officer.Id} ({officer.Name}) is disabled: a disabled officer cannot sign in.");
                return 1;
            }
            // In Development the link points at the address this host serves on; elsewhere it must be configured.
            var served = app.Configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? DevelopmentAddress;
            if (app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.BaseUrl(app.Environment.IsDevelopment(), served) is not { } baseUrl)
            {
                Console.Error.WriteLine("Console:PublicBaseUrl is not set: sign-in links are built from the console's public address (e.g. https://jukwaa.example.go.ke).");
                return 1;
            }
            var token = scope.ServiceProvider.GetRequiredService<SignInLinks>().Issue(officer, DateTime.UtcNow);
            await scope.ServiceProvider.GetRequiredService<EfJukwaaStore>().SaveAsync(cancellationToken);
            Console.WriteLine(SignInLinks.Link(baseUrl, token));
            Console.Error.WriteLine($"For {officer.Name} only; it signs in once, within {SignInLinks.Lifetime.TotalMinutes:0} minutes.");
            return 0;
        });

        return new Command("officers", "Officers who use the Telegram console and the web console.") { add, list, disable, signinLink };
    }

    /// <summary>Where <c>dotnet run</c> serves in Development (launchSettings.json).</summary>
    private const string DevelopmentAddress = "http://localhost:5047";

    /// <summary>The officer with this id (from <c>officers list</c>), or null after saying there is none.</summary>
    private static async Task<Officer?> FindAsync(AsyncServiceScope scope, string? typed, CancellationToken cancellationToken)
    {
        var store = scope.ServiceProvider.GetRequiredService<IOfficerStore>();
        if (Guid.TryParse(typed, out var officerId) && await store.FindOfficerAsync(officerId, cancellationToken) is { } officer) return officer;
        Console.Error.WriteLine($"No officer '{typed}'.");
        return null;
    }

    private static string Taken(string telegramId, Officer holder) =>
        $"Telegram id {telegramId} is already registered to officer {holder.Id} ({holder.Name}): one Telegram account is one officer. "
        + $"Disable that officer first (officers disable {holder.Id}) or check the id.";

    private static string Describe(Officer officer, DialogCatalog catalog, PersonalDataProtector protector)
    {
        var where = officer.CoversAllCounties ? "all counties" : string.Join(", ", officer.CountyCodes.Select(c => catalog.County(c)?.Name ?? c));
        var phone = officer.PhoneSealed is null ? "" : ", phone " + PhoneNumber.Mask(protector.Unseal(officer.PhoneSealed));
        return $"{officer.Name}, {officer.Role.ToString().ToLowerInvariant()}, {where}"
            + (officer.TelegramHash is null ? ", no Telegram" : officer.TelegramSealed is null ? ", Telegram" : ", Telegram " + protector.Unseal(officer.TelegramSealed)) + phone
            + (officer.SeesSensitive ? ", sees sensitive reports" : "") + (officer.Disabled ? ", DISABLED" : "");
    }
}
