using System.Net;
using System.Text;
using System.Text.Json;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Core.Domain;
using Jukwaa.Bot.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// A private Telegram chat with the bot: posts real Bot API update JSON with the secret token, and
/// reads what the host queued back (text and buttons) from the outbox.
/// </summary>
public sealed class TelegramChat(JukwaaApp app, long userId)
{
    private static long s_updateId = 100_000;

    public long UserId { get; } = userId;

    public string SecretToken { get; set; } = JukwaaApp.TelegramSecretToken;

    public static long NextUpdateId() => Interlocked.Increment(ref s_updateId);

    /// <summary>Types a message; returns the reply queued, rendered as text then "[key: label]" per button (null when none).</summary>
    public Task<string?> SendAsync(string text, long? updateId = null) => PostAndReadAsync(MessageUpdate(text, updateId));

    /// <summary>
    /// Presses the button for option <paramref name="key"/> on the last screen sent to this chat (its
    /// data names that screen), or sends <paramref name="key"/> as the data when no such button is shown.
    /// </summary>
    public async Task<string?> PressAsync(string key, long? updateId = null)
    {
        var last = (await OutboxAsync()).LastOrDefault(o => o.Kind == OutboxKind.Message && o.ButtonsJson is not null);
        var buttons = last is null ? [] : JsonSerializer.Deserialize<List<ReplyOption>>(last.ButtonsJson!)!;
        var data = buttons.FirstOrDefault(b => b.Key == key || b.Key.EndsWith(":" + key, StringComparison.Ordinal))?.Key ?? key;
        return await PostAndReadAsync(CallbackUpdate(data, updateId));
    }

    /// <summary>Presses a button with exactly this data (e.g. one from an older screen).</summary>
    public Task<string?> PressDataAsync(string data) => PostAndReadAsync(CallbackUpdate(data, null));

    public Task<string?> ShareContactAsync(string phone, long? contactUserId = null) => PostAndReadAsync(Update(new
    {
        message_id = 7, date = 1764316800, chat = Chat, from = From,
        contact = new { phone_number = phone.TrimStart('+'), first_name = "Wanjiru", user_id = contactUserId ?? UserId },
    }, "message", null));

    public string MessageUpdate(string text, long? updateId = null) =>
        Update(new { message_id = 5, date = 1764316800, chat = Chat, from = From, text }, "message", updateId);

    public string CallbackUpdate(string data, long? updateId = null) => Update(new
    {
        id = "cbq-" + Guid.NewGuid().ToString("N")[..12], from = From, chat_instance = "ci-1", data,
        message = new { message_id = 6, date = 1764316800, chat = Chat, from = new { id = 999_000, is_bot = true, first_name = "Jukwaa" }, text = "menu" },
    }, "callback_query", updateId);

    public async Task<HttpResponseMessage> PostAsync(string json, string? secret = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if ((secret ?? SecretToken) is { Length: > 0 } token) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", token);
        return await client.SendAsync(request);
    }

    /// <summary>What was queued to this chat, oldest first (answers to pressed buttons included).</summary>
    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var chat = UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var all = await app.QueryAsync(db => db.Outbox.Where(o => o.Channel == Channel.Telegram).OrderBy(o => o.Id).ToListAsync());
        // Messages go to this chat; callback answers belong to its person.
        var people = all.Where(o => o.Kind != OutboxKind.CallbackAnswer && protector.Unseal(o.ToSealed) == chat).Select(o => o.PersonId).ToHashSet();
        return [.. all.Where(o => protector.Unseal(o.ToSealed) == chat || (o.Kind == OutboxKind.CallbackAnswer && people.Contains(o.PersonId)))];
    }

    public string Render(OutboxMessage message)
    {
        var body = app.Services.GetRequiredService<PersonalDataProtector>().Unseal(message.BodySealed);
        var buttons = message.ButtonsJson is null ? [] : JsonSerializer.Deserialize<List<ReplyOption>>(message.ButtonsJson)!;
        // Citizen buttons carry "<screen>:<key>"; show the key a person would recognise.
        return string.Join('\n', [body, .. buttons.Select(b => $"[{(b.Key.StartsWith("op:", StringComparison.Ordinal) ? b.Key : b.Key[(b.Key.IndexOf(':', StringComparison.Ordinal) + 1)..])}: {b.Label}]")]);
    }

    private object Chat => new { id = UserId, type = "private", first_name = "Wanjiru" };

    private object From => new { id = UserId, is_bot = false, first_name = "Wanjiru", language_code = "sw" };

    private static string Update(object body, string kind, long? updateId) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["update_id"] = updateId ?? NextUpdateId(), [kind] = body });

    private async Task<string?> PostAndReadAsync(string json)
    {
        var before = (await OutboxAsync()).Where(o => o.Kind != OutboxKind.CallbackAnswer).Select(o => o.Id).ToHashSet();
        using var response = await PostAsync(json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var added = (await OutboxAsync()).Where(o => o.Kind != OutboxKind.CallbackAnswer && !before.Contains(o.Id)).ToList();
        Assert.True(added.Count <= 1, "more than one reply to one update");
        return added.Count == 0 ? null : Render(added[0]);
    }
}
