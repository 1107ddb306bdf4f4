using System.Net.Http.Headers;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;

namespace Jukwaa.Bot.Host.Cli;

/// <summary>Something that answers USSD steps: the real webhook over HTTP, or the conversation service in-process.</summary>
public interface IUssdGateway
{
    Task<Screen> StepAsync(string sessionId, string phone, string serviceCode, string text, CancellationToken cancellationToken);
}

/// <summary>Posts to a running host exactly as Africa's Talking does.</summary>
public sealed class HttpGateway(Uri host, string? secret) : IUssdGateway, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = host };

    public async Task<Screen> StepAsync(string sessionId, string phone, string serviceCode, string text, CancellationToken cancellationToken)
    {
        var path = "/webhooks/ussd/africastalking" + (string.IsNullOrEmpty(secret) ? "" : "?secret=" + Uri.EscapeDataString(secret));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sessionId"] = sessionId, ["serviceCode"] = serviceCode, ["phoneNumber"] = phone, ["networkCode"] = "63902", ["text"] = text,
        });
        using var response = await _http.PostAsync(path, form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) return new Screen($"[HTTP {(int)response.StatusCode}] {body}", Ends: true);
        return body.StartsWith("CON ", StringComparison.Ordinal) ? new Screen(body[4..], false)
            : body.StartsWith("END ", StringComparison.Ordinal) ? new Screen(body[4..], true)
            : new Screen("[not a USSD answer] " + body, true);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Runs the dialogs in this process against the configured database.</summary>
public sealed class InProcessGateway(IServiceProvider services) : IUssdGateway
{
    public async Task<Screen> StepAsync(string sessionId, string phone, string serviceCode, string text, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var conversations = scope.ServiceProvider.GetRequiredService<ConversationService>();
        return await conversations.HandleAsync(new InboundMessage(Channel.Ussd, phone, text, null, sessionId, CumulativeText: true), cancellationToken)
            ?? throw new InvalidOperationException("A USSD step always has a screen.");
    }
}

/// <summary>A feature phone in the terminal: shows each screen, sends what you type, keeps the session's text.</summary>
public sealed class PhoneSimulator(IUssdGateway gateway, string phone, string serviceCode, TextReader input, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var normalized = PhoneNumber.Normalize(phone);
        if (normalized is null)
        {
            await output.WriteLineAsync($"'{phone}' is not a phone number.");
            return 1;
        }
        await output.WriteLineAsync($"Dialling {serviceCode} as {normalized}. Type your answer and press Enter; :hangup drops the call, :q quits.");
        while (!cancellationToken.IsCancellationRequested)
        {
            var sessionId = "sim-" + Guid.NewGuid().ToString("N")[..12];
            var text = "";
            while (true)
            {
                var screen = await gateway.StepAsync(sessionId, normalized, serviceCode, text, cancellationToken);
                await Show(screen);
                if (screen.Ends)
                {
                    await output.WriteLineAsync("(session ended: Enter to dial again, :q to quit)");
                    if (await input.ReadLineAsync(cancellationToken) is null or ":q") return 0;
                    break;
                }
                var typed = await input.ReadLineAsync(cancellationToken);
                if (typed is null or ":q") return 0;
                if (typed == ":hangup")
                {
                    await output.WriteLineAsync("(call dropped: dialling again)");
                    break;
                }
                text = text.Length == 0 && typed.Length > 0 ? typed : text + "*" + typed;
                if (text == "*") text = "";
            }
        }
        return 0;
    }

    private async Task Show(Screen screen)
    {
        var width = Math.Max(24, screen.Text.Split('\n').Max(l => l.Length));
        await output.WriteLineAsync("+" + new string('-', width + 2) + "+");
        foreach (var line in screen.Text.Split('\n')) await output.WriteLineAsync("| " + line.PadRight(width) + " |");
        await output.WriteLineAsync("+" + new string('-', width + 2) + "+ " + (screen.Ends ? "END" : "CON") + $" ({screen.Text.Length} chars)");
    }
}
