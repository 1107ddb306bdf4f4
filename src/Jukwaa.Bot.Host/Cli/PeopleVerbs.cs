using System.CommandLine;
using Jukwaa.Bot.Core.People;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Host.Cli;

/// <summary><c>people export</c> (right of access) and <c>people forget</c> (right to erasure), by phone number.</summary>
public static class PeopleVerbs
{
    public static Command Command(Func<WebApplication> buildApp)
    {
        var phone = new Argument<string>("phone") { Description = "The person's phone number, e.g. 0712345678 or +254712345678." };
        var export = new Command("export", "Print everything held about the person.") { phone };
        export.SetAction(async (parse, cancellationToken) =>
        {
            if (Normalize(parse.GetValue(phone)!) is not { } e164) return 1;
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var text = await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ExportAsync(e164, cancellationToken);
            if (text is null)
            {
                Console.Error.WriteLine("Nothing is held about that number.");
                return 1;
            }
            Console.Write(text);
            return 0;
        });

        var forgetPhone = new Argument<string>("phone") { Description = "The person's phone number." };
        var forget = new Command("forget", "Erase the person's identity and everything they typed; anonymous counts stay.") { forgetPhone };
        forget.SetAction(async (parse, cancellationToken) =>
        {
            if (Normalize(parse.GetValue(forgetPhone)!) is not { } e164) return 1;
            await using var app = buildApp();
            await using var scope = app.Services.CreateAsyncScope();
            var forgotten = await scope.ServiceProvider.GetRequiredService<PersonalDataService>().ForgetAsync(e164, DateTime.UtcNow, cancellationToken);
            Console.WriteLine(forgotten ? "Forgotten: identity and text erased; reports and counts kept anonymously." : "Nothing is held about that number.");
            return forgotten ? 0 : 1;
        });
        return new Command("people", "Personal data: right of access and right to erasure.") { export, forget };
    }

    private static string? Normalize(string typed)
    {
        var e164 = PhoneNumber.Normalize(typed);
        if (e164 is null) Console.Error.WriteLine($"'{typed}' is not a phone number.");
        return e164;
    }
}
