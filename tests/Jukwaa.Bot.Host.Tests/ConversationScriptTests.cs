using System.Text.RegularExpressions;
using Jukwaa.Bot.Core.Dialogs;
using Jukwaa.Bot.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Jukwaa.Bot.Host.Tests;

/// <summary>
/// Plays every conversation script in <c>dialogs/tests/</c> through the real webhook: the inputs a person
/// sends and fragments of the replies they must see. The format is in <c>dialogs/README.md</c>.
/// </summary>
public class ConversationScriptTests
{
    public static TheoryData<string> Scripts() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.Dialogs, "tests"), "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    /// <summary>Every script on SQLite, and on PostgreSQL when a server is configured.</summary>
    public static TheoryData<string, string> ScriptsOnEachDatabase()
    {
        var rows = new TheoryData<string, string>();
        foreach (var provider in TestPostgres.Providers())
        {
            foreach (var script in Scripts()) rows.Add(script.Data, provider.Data);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(ScriptsOnEachDatabase))]
    public async Task ScriptedConversationPlaysAsWritten(string file, string provider)
    {
        await using var app = new JukwaaApp(provider: provider);
        await PlayAsync(app, file);
    }

    [Fact]
    public async Task EveryDialogIsWalkedByAScript()
    {
        await using var app = new JukwaaApp();
        var walked = new HashSet<string>();
        foreach (var file in Scripts()) await PlayAsync(app, file.Data, walked);
        // A dialog with no screen of its own (only actions that lead elsewhere) is seen only by its effect:
        // a script names it under `covers` and checks that effect.
        var catalog = app.Service<DialogCatalog>();
        foreach (var covered in Scripts().SelectMany(f => Load(f.Data).Covers))
        {
            Assert.True(catalog.Current(covered).States.Values.All(s => s is ActionStateDefinition), $"'{covered}' has screens: a script must walk it");
            walked.Add(covered);
        }
        Assert.Empty(catalog.CurrentDialogs.Select(d => d.Id).Except(walked));
    }

    private static async Task PlayAsync(JukwaaApp app, string file, HashSet<string>? walked = null)
    {
        var script = Load(file);
        Assert.Contains(script.Channel, new[] { "ussd", "sms", "telegram" });
        using var call = app.Call();
        var sms = app.Sms(call.Phone);
        var telegram = app.Telegram();
        var captured = new Dictionary<string, string>();
        string Fill(string text) => Regex.Replace(text, @"\{(\w+)\}", m => captured.GetValueOrDefault(m.Groups[1].Value, m.Value));

        for (var i = 0; i < script.Steps.Count; i++)
        {
            var step = script.Steps[i];
            var where = $"{file} step {i + 1}";
            var send = step.Dial || step.Press is not null || step.Contact is not null ? null : Fill(step.Send ?? throw new InvalidOperationException($"{where}: needs 'send' or 'dial'"));
            string reply;
            if (script.Channel == "telegram")
            {
                var answer = step.Press is { } press ? await telegram.PressAsync(press)
                    : step.Contact is { } contact ? await telegram.ShareContactAsync(Fill(contact))
                    : await telegram.SendAsync(send ?? throw new InvalidOperationException($"{where}: needs 'send', 'press' or 'contact'"));
                reply = answer ?? throw new Xunit.Sdk.XunitException($"{where}: expected a reply, none was queued");
            }
            else if (script.Channel == "sms")
            {
                var texted = await sms.SendAsync(send ?? throw new InvalidOperationException($"{where}: SMS has no 'dial'"));
                if (step.Silent)
                {
                    Assert.True(texted is null, $"{where}: expected no reply, got:\n{texted}");
                    continue;
                }
                reply = texted ?? throw new Xunit.Sdk.XunitException($"{where}: expected a reply, none was queued");
                Assert.True(reply.Length <= 160 && Core.Text.Gsm7.SmsParts(reply) == 1, $"{where}: not one SMS part ({reply.Length}):\n{reply}");
            }
            else
            {
                reply = step.Dial ? await call.DialAsync() : await call.SendAsync(send!);
            }
            foreach (var fragment in step.Expect.Select(Fill))
            {
                Assert.True(reply.Contains(fragment, StringComparison.Ordinal), $"{where}: expected \"{fragment}\" in:\n{reply}");
            }
            if (walked is not null)
            {
                walked.Add(script.Channel switch
                {
                    "sms" => (await sms.ConversationAsync()).DialogId,
                    "telegram" => await app.QueryAsync(db => db.Conversations.Where(c => c.Channel == Core.Domain.Channel.Telegram)
                        .OrderByDescending(c => c.Steps).Select(c => c.DialogId).FirstAsync()),
                    _ => await app.QueryAsync(db => db.Conversations.Where(c => c.ProviderSessionId == call.SessionId).Select(c => c.DialogId).SingleAsync()),
                });
            }
            if (step.Ends is { } ends && script.Channel == "ussd")
            {
                Assert.True(reply.StartsWith(ends ? "END " : "CON ", StringComparison.Ordinal), $"{where}: expected {(ends ? "END" : "CON")}:\n{reply}");
            }
            foreach (var (name, pattern) in step.Capture)
            {
                var match = Regex.Match(reply, pattern);
                Assert.True(match.Success, $"{where}: nothing matches {pattern} in:\n{reply}");
                captured[name] = match.Groups[1].Value;
            }
        }
    }

    private static Script Load(string file)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        return deserializer.Deserialize<Script>(File.ReadAllText(Path.Combine(RepoPaths.Dialogs, "tests", file)));
    }

    public sealed class Script
    {
        public string Name { get; set; } = "";
        public string Channel { get; set; } = "ussd";
        public List<ScriptStep> Steps { get; set; } = [];
        public List<string> Covers { get; set; } = [];
    }

    public sealed class ScriptStep
    {
        public bool Dial { get; set; }
        public string? Send { get; set; }
        public string? Press { get; set; }
        public string? Contact { get; set; }
        public List<string> Expect { get; set; } = [];
        public bool? Ends { get; set; }
        public bool Silent { get; set; }
        public Dictionary<string, string> Capture { get; set; } = [];
    }
}
