using Jukwaa.Bot.Channels.Telegram;
using Jukwaa.Bot.Core.Conversations;
using Jukwaa.Bot.Core.Officers;

namespace Jukwaa.Bot.Host.Officers;

/// <summary>Puts the officer console in front of the citizen dialogs on Telegram.</summary>
public sealed class OfficerTelegramCommands(OfficerConsole console) : ITelegramCommandHandler
{
    public Task<bool> TryHandleAsync(InboundMessage message, CancellationToken cancellationToken) =>
        console.TryHandleAsync(message, cancellationToken);
}
